import { DefinitionLocator, isRecord, parseDefinitionText, toPointer } from '../definition';
import { parseDate, parseOffset } from '../expression/evaluate';
import type { TextRange } from '../findings/finding';
export { RULE_TEST_FILE, definitionCandidates, testFileFor } from './files';

/**
 * The rule-test file (`x.milestone.test.json` / `.jsonc`, beside `x.milestone.json(c)`), as
 * schemas/milestone-test.schema.json describes it: sample transactions and behavioural events,
 * and per target what the rule should make of them.
 */

/** A line item of a sample transaction: value = rate × qty, amount = value − discount (profiles page). */
export interface SampleLineItem {
  code?: string;
  description?: string;
  qty?: number;
  rate?: number;
  value?: number;
  amount?: number;
  discount?: number;
  /** Inventory attributes (BrandName, category, sku_code, …) read by the basket methods and doesItemMatch. */
  attributes?: Record<string, string | number | boolean>;
  [attribute: string]: unknown;
}

export interface SampleTransaction {
  /** When the transaction happened (decides the period); a date or a date-time. */
  date?: string | number;
  /** Net amount (SALES); defaults to the sum of the line items' amounts. */
  amount?: number;
  /** Gross amount (GROSS_SALES); defaults to the sum of the line items' values. */
  grossAmount?: number;
  /** Regular points of the transaction (REGULAR_POINTS, ALL_POINTS). */
  points?: number;
  /** Promotional points of the transaction (PROMOTIONAL_POINTS, ALL_POINTS). */
  promotionalPoints?: number;
  lineItems?: SampleLineItem[];
  extendedFields?: Record<string, unknown>;
  customFields?: Record<string, unknown>;
  [attribute: string]: unknown;
}

export interface SampleEvent {
  /** The behavioural event's name (compared with the target's eventName). */
  name: string;
  date?: string | number;
  /** The event data: the fields EVENT_ATTRIBUTE targets aggregate; also readable as currentEvent.<field>. */
  attributes?: Record<string, unknown>;
  [attribute: string]: unknown;
}

export interface SampleStore {
  /** Store id (STORE filters). */
  id?: number | string;
  zoneId?: number | string;
  conceptId?: number | string;
  code?: string;
  name?: string;
  [attribute: string]: unknown;
}

export interface TargetExpectation {
  counted?: boolean;
  contribution?: number;
}

export interface RuleTestCase {
  name: string;
  transaction?: SampleTransaction;
  event?: SampleEvent;
  customer?: Record<string, unknown> | undefined;
  store?: SampleStore;
  card?: Record<string, unknown>;
  tracker?: Record<string, unknown>;
  userGroup?: Record<string, unknown>;
  /** Any other profile by its rule name (currentCustomerPartner, tenderProfile, …). */
  profiles?: Record<string, Record<string, unknown>>;
  /** Per target name. */
  expect?: Record<string, TargetExpectation>;
}

export interface PeriodExpectation {
  /** The period's refCode, or its 1-based position in `periods`. */
  period: string | number;
  progress?: number;
  achieved?: boolean;
}

export interface RuleTestSequence {
  name: string;
  /** Cases in order: the name of a case of `cases`, or a case written here. */
  cases: (string | RuleTestCase)[];
  expect: Record<string, PeriodExpectation[]>;
}

export interface RuleTestFile {
  $schema?: string;
  /** The definition file, relative to this file; default: this file's name without `.test`. */
  definition?: string;
  /** The cluster timezone as a UTC offset ("+05:30"); rules read dates on its clock. Default "+00:00". */
  timezone?: string | undefined;
  /** Customer attributes shared by every case (a case's own `customer` adds to them). */
  customer?: Record<string, unknown> | undefined;
  cases: RuleTestCase[];
  sequences?: RuleTestSequence[];
}

export interface RuleTestProblem {
  message: string;
  pointer: string;
  range: TextRange;
}

export interface ParsedRuleTestFile {
  /** Undefined when the file cannot be used at all (syntax errors, not an object, no cases). */
  file: RuleTestFile | undefined;
  problems: RuleTestProblem[];
  locator: DefinitionLocator;
}

const PROFILE_KEYS = ['customer', 'store', 'card', 'tracker', 'userGroup'] as const;
const CASE_KEYS = new Set(['name', 'transaction', 'event', 'profiles', 'expect', ...PROFILE_KEYS]);

/**
 * Parses and checks a rule-test file. Problems carry the range of the offending value; the
 * checks are those of the schema plus what it cannot say (unique case names, references,
 * dates and offsets). Target names are checked by the runner, which has the definition.
 */
export function parseRuleTestFile(text: string): ParsedRuleTestFile {
  const locator = new DefinitionLocator(text);
  const problems: RuleTestProblem[] = [];
  const at = (segments: (string | number)[], message: string): void => {
    const pointer = toPointer(segments);
    problems.push({ message, pointer, range: locator.value(pointer) ?? locator.anchor(pointer) });
  };
  const parsed = parseDefinitionText(text);
  if (parsed.problems.length > 0 || parsed.empty) {
    const first = parsed.problems[0];
    problems.push({
      message: parsed.empty
        ? 'The test file is empty: it needs a "cases" list.'
        : `The test file is not valid JSON/JSONC (${first?.name ?? 'syntax error'}).`,
      pointer: '',
      range: first?.range ?? { offset: 0, length: 0 },
    });
    return { file: undefined, problems, locator };
  }
  const root = parsed.value;
  if (!isRecord(root)) {
    at([], 'A rule-test file is an object with a "cases" list.');
    return { file: undefined, problems, locator };
  }
  if (root.definition !== undefined && (typeof root.definition !== 'string' || root.definition.trim() === ''))
    at(['definition'], '"definition" is the path of the definition file, relative to this file.');
  if (root.timezone !== undefined && (typeof root.timezone !== 'string' || parseOffset(root.timezone) === undefined)) {
    at(['timezone'], '"timezone" is the cluster\'s UTC offset, such as "+05:30" or "+00:00".');
  }
  if (root.customer !== undefined && !isRecord(root.customer)) at(['customer'], '"customer" is an object of currentCustomer attributes.');
  if (!Array.isArray(root.cases)) {
    at(root.cases === undefined ? [] : ['cases'], 'A rule-test file needs a "cases" list (it may be empty).');
    return { file: undefined, problems, locator };
  }
  const names = new Set<string>();
  root.cases.forEach((c, i) => checkCase(c, ['cases', i], at, names, true));
  if (root.sequences !== undefined) {
    if (!Array.isArray(root.sequences)) at(['sequences'], '"sequences" is a list of sequences of cases.');
    else {
      const sequenceNames = new Set<string>();
      root.sequences.forEach((s, i) => checkSequence(s, ['sequences', i], at, names, sequenceNames));
    }
  }
  return { file: root as unknown as RuleTestFile, problems, locator };
}

type At = (segments: (string | number)[], message: string) => void;

function checkDate(value: unknown, path: (string | number)[], at: At): void {
  if (value !== undefined && parseDate(value, 0) === undefined)
    at(path, '"date" is a date ("2027-03-10"), a date-time ("2027-03-10T18:30:00+05:30") or epoch milliseconds.');
}

function checkNumber(value: unknown, path: (string | number)[], at: At, what: string): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) at(path, `${what} is a number.`);
}

function checkCase(c: unknown, path: (string | number)[], at: At, names: Set<string> | undefined, needsExpect: boolean): void {
  if (!isRecord(c)) {
    at(path, 'A case is an object with a "name", a "transaction" or an "event", and "expect".');
    return;
  }
  if (typeof c.name !== 'string' || c.name.trim() === '')
    at([...path, 'name'], 'A case needs a "name" (it names the test in reports and in the Test Explorer).');
  else if (names) {
    if (names.has(c.name))
      at([...path, 'name'], `Another case is already named "${c.name}"; case names are unique so reports and sequences can name them.`);
    names.add(c.name);
  }
  for (const key of Object.keys(c))
    if (!CASE_KEYS.has(key))
      at(
        [...path, key],
        `"${key}" is not part of a case; use transaction, event, customer, store, card, tracker, userGroup, profiles or expect.`,
      );
  const hasTxn = c.transaction !== undefined;
  const hasEvent = c.event !== undefined;
  if (hasTxn === hasEvent) at(path, 'A case has either a "transaction" or an "event" (one sample activity).');
  if (hasTxn) {
    const t = c.transaction;
    if (!isRecord(t)) at([...path, 'transaction'], '"transaction" is an object of currentTxn attributes.');
    else {
      checkDate(t.date, [...path, 'transaction', 'date'], at);
      for (const key of ['amount', 'grossAmount', 'points', 'promotionalPoints'] as const)
        checkNumber(t[key], [...path, 'transaction', key], at, `"${key}"`);
      if (t.lineItems !== undefined) {
        if (!Array.isArray(t.lineItems)) at([...path, 'transaction', 'lineItems'], '"lineItems" is a list of line items.');
        else
          t.lineItems.forEach((item, j) => {
            const itemPath = [...path, 'transaction', 'lineItems', j];
            if (!isRecord(item)) return at(itemPath, 'A line item is an object (qty, rate, value, amount, discount, attributes).');
            for (const key of ['qty', 'rate', 'value', 'amount', 'discount'] as const)
              checkNumber(item[key], [...itemPath, key], at, `"${key}"`);
            if (item.attributes !== undefined && !isRecord(item.attributes))
              at([...itemPath, 'attributes'], '"attributes" is an object of inventory attributes, such as {"BrandName": "Puma"}.');
          });
      }
    }
  }
  if (hasEvent) {
    const e = c.event;
    if (!isRecord(e)) at([...path, 'event'], '"event" is an object with the event\'s "name" and its "attributes".');
    else {
      if (typeof e.name !== 'string' || e.name === '')
        at([...path, 'event', 'name'], 'An event needs its "name" (the eventName of the target it is for).');
      checkDate(e.date, [...path, 'event', 'date'], at);
      if (e.attributes !== undefined && !isRecord(e.attributes))
        at([...path, 'event', 'attributes'], '"attributes" is an object: the event data.');
    }
  }
  for (const key of PROFILE_KEYS)
    if (c[key] !== undefined && !isRecord(c[key])) at([...path, key], `"${key}" is an object of profile attributes.`);
  if (c.profiles !== undefined) {
    if (!isRecord(c.profiles)) at([...path, 'profiles'], '"profiles" is an object of profiles by their rule name.');
    else
      for (const [k, v] of Object.entries(c.profiles))
        if (!isRecord(v)) at([...path, 'profiles', k], `The profile "${k}" is an object of attributes.`);
  }
  if (c.expect === undefined) {
    if (needsExpect) at(path, 'A case needs "expect": per target name, {"counted": true|false, "contribution": number}.');
    return;
  }
  if (!isRecord(c.expect)) {
    at([...path, 'expect'], '"expect" is an object: per target name, {"counted": true|false, "contribution": number}.');
    return;
  }
  for (const [target, e] of Object.entries(c.expect)) {
    const ePath = [...path, 'expect', target];
    if (!isRecord(e)) {
      at(ePath, 'An expectation is {"counted": true|false, "contribution": number}.');
      continue;
    }
    if (e.counted !== undefined && typeof e.counted !== 'boolean') at([...ePath, 'counted'], '"counted" is true or false.');
    checkNumber(e.contribution, [...ePath, 'contribution'], at, '"contribution"');
    if (e.counted === undefined && e.contribution === undefined) at(ePath, 'Say what to expect: "counted", "contribution", or both.');
    for (const key of Object.keys(e))
      if (key !== 'counted' && key !== 'contribution')
        at([...ePath, key], `"${key}" is not an expectation; use "counted" and "contribution".`);
  }
}

function checkSequence(s: unknown, path: (string | number)[], at: At, caseNames: Set<string>, names: Set<string>): void {
  if (!isRecord(s)) return at(path, 'A sequence is an object with a "name", its "cases" in order and "expect" per target.');
  if (typeof s.name !== 'string' || s.name.trim() === '') at([...path, 'name'], 'A sequence needs a "name".');
  else {
    if (names.has(s.name)) at([...path, 'name'], `Another sequence is already named "${s.name}".`);
    names.add(s.name);
  }
  if (!Array.isArray(s.cases))
    at([...path, 'cases'], '"cases" lists the sequence\'s cases in order: names of cases, or cases written here.');
  else
    s.cases.forEach((c, i) => {
      if (typeof c === 'string') {
        if (!caseNames.has(c)) at([...path, 'cases', i], `No case is named "${c}".`);
      } else checkCase(c, [...path, 'cases', i], at, undefined, false);
    });
  if (!isRecord(s.expect))
    return at(
      s.expect === undefined ? path : [...path, 'expect'],
      'A sequence needs "expect": per target name, a list of {"period", "progress", "achieved"}.',
    );
  for (const [target, list] of Object.entries(s.expect)) {
    if (!Array.isArray(list)) {
      at(
        [...path, 'expect', target],
        'Per target, a list of {"period": refCode or 1-based number, "progress": number, "achieved": true|false}.',
      );
      continue;
    }
    list.forEach((p, i) => {
      const pPath = [...path, 'expect', target, i];
      if (!isRecord(p)) return at(pPath, 'A period expectation is {"period", "progress", "achieved"}.');
      if (!(typeof p.period === 'string' || (typeof p.period === 'number' && Number.isInteger(p.period) && p.period >= 1)))
        at([...pPath, 'period'], '"period" is the period\'s refCode or its 1-based position.');
      checkNumber(p.progress, [...pPath, 'progress'], at, '"progress"');
      if (p.achieved !== undefined && typeof p.achieved !== 'boolean') at([...pPath, 'achieved'], '"achieved" is true or false.');
    });
  }
}
