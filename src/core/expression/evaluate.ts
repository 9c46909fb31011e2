import { isComparison, type ExprNode, type Span } from './ast';
import { findAttribute, findProfile, type ValueType } from './catalog';
import { InvalidTreeError, fromExpressionJson } from './json';
import { parseExpression } from './parser';
import { printExpression } from './print';
import { textOf } from '../util/records';

/**
 * The evaluator of the rule language: a parsed expression (or an expressionJson tree) against
 * sample profiles. Three-valued: a result is true, false, or unknown, and unknown always says
 * why (an attribute the sample does not give, a semantic the docs leave open, a type mismatch).
 * The semantics chosen where the docs are open are listed in README.md ("Evaluator semantics");
 * each such case yields unknown rather than a guess. Nothing here throws on user input.
 */

/** A date: the instant, and its wall-clock fields in the evaluation timezone. */
export interface DateValue {
  epochMs: number;
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 1 = Sunday … 7 = Saturday (the docs' numbering). */
  weekday: number;
}

export type Value =
  | { kind: 'boolean'; value: boolean }
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'date'; value: DateValue }
  | { kind: 'null' }
  | { kind: 'profile'; name: string; data: Record<string, unknown> }
  | { kind: 'unknown'; reason: string };

/** A sample profile: attribute values by name, plus the collections methods read (see README). */
export type ProfileData = Record<string, unknown>;

export interface EvaluationContext {
  /** Profiles by the name rules use (currentTxn, currentLineItem, currentEvent, currentCustomer, …). */
  profiles: Readonly<Record<string, ProfileData | undefined>>;
  /** The cluster timezone as a UTC offset, "+05:30"; dates are read on its wall clock. Default "+00:00". */
  timezone?: string | undefined;
}

/** One evaluated node, for explanations: the source text, the value, and the children evaluated. */
export interface TraceNode extends Span {
  text: string;
  /** The operator of a binary or unary node. */
  op?: string;
  value: Value;
  children: TraceNode[];
}

export interface EvaluationError extends Span {
  message: string;
}

export interface EvaluationResult {
  /** The value of the whole expression. */
  value: Value;
  /** true / false / 'unknown' (also 'unknown' when the expression does not give a boolean). */
  outcome: boolean | 'unknown';
  trace: TraceNode | undefined;
  /** Why the expression could not be evaluated (syntax, an invalid tree), with the position. */
  errors: EvaluationError[];
}

const unknown = (reason: string): Value => ({ kind: 'unknown', reason });
const bool = (value: boolean): Value => ({ kind: 'boolean', value });
const num = (value: number): Value => ({ kind: 'number', value });
const str = (value: string): Value => ({ kind: 'string', value });
const NULL: Value = { kind: 'null' };

const MS_PER_DAY = 86_400_000;

/** Minutes east of UTC for "+05:30" / "-04:00" / "Z"; undefined when the text is not an offset. */
export function parseOffset(text: string): number | undefined {
  if (text === 'Z' || text === 'z') return 0;
  const match = /^([+-])(\d{1,2}):?(\d{2})$/.exec(text);
  if (!match) return undefined;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  if (minutes > 14 * 60) return undefined;
  return match[1] === '-' ? -minutes : minutes;
}

function wallClock(epochMs: number, offsetMinutes: number): DateValue {
  const d = new Date(epochMs + offsetMinutes * 60_000);
  return {
    epochMs,
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: d.getUTCDay() + 1,
  };
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|z|[+-]\d{1,2}:?\d{2})?$/;

/**
 * Reads a sample date: epoch milliseconds, "YYYY-MM-DD", or a date-time with or without an
 * offset. A date-time with an offset is converted to the evaluation timezone; one without is
 * taken as already on its wall clock (README: "Dates").
 */
export function parseDate(raw: unknown, offsetMinutes: number): DateValue | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) && Math.abs(raw) < 8.64e15 ? wallClock(raw, offsetMinutes) : undefined;
  if (typeof raw !== 'string') return undefined;
  const match = DATE_PATTERN.exec(raw.trim());
  if (!match) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', zone] = match;
  const fields = [Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s)] as const;
  if (fields[1] < 1 || fields[1] > 12 || fields[2] < 1 || fields[3] > 23 || fields[4] > 59 || fields[5] > 59) return undefined;
  const local = Date.UTC(fields[0], fields[1] - 1, fields[2], fields[3], fields[4], fields[5], Number(frac.slice(0, 3).padEnd(3, '0')));
  if (new Date(local).getUTCDate() !== fields[2]) return undefined; // 2027-02-30
  const zoneOffset = zone === undefined ? offsetMinutes : parseOffset(zone);
  if (zoneOffset === undefined) return undefined;
  return wallClock(local - zoneOffset * 60_000, offsetMinutes);
}

/** The calendar day of a date on its wall clock, as a day number (for VISIT and dateDiff). */
export function dayNumber(date: DateValue): number {
  return Math.floor(Date.UTC(date.year, date.month - 1, date.day) / MS_PER_DAY);
}

function describeValue(value: Value): string {
  switch (value.kind) {
    case 'boolean':
    case 'number':
      return String(value.value);
    case 'string':
      return JSON.stringify(value.value);
    case 'date': {
      const d = value.value;
      const p = (n: number, w = 2): string => String(n).padStart(w, '0');
      return `${p(d.year, 4)}-${p(d.month)}-${p(d.day)} ${p(d.hour)}:${p(d.minute)}:${p(d.second)}`;
    }
    case 'null':
      return 'null';
    case 'profile':
      return value.name;
    case 'unknown':
      return `unknown (${value.reason})`;
  }
}

export { describeValue };

/** Numbers compare as decimals (the platform uses BigDecimal): equal when they agree to 10 places. */
function sameNumber(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-10 * Math.max(1, Math.abs(a), Math.abs(b));
}

function compareNumbers(op: string, a: number, b: number): boolean {
  const eq = sameNumber(a, b);
  switch (op) {
    case '==':
      return eq;
    case '!=':
      return !eq;
    case '<':
      return a < b && !eq;
    case '<=':
      return a < b || eq;
    case '>':
      return a > b && !eq;
    default:
      return a > b || eq;
  }
}

/** Literal regexes of the docs are Java regexes; the common subset reads the same in JavaScript. */
function compileRegex(pattern: string): RegExp | string {
  if (/\(\?[<!=]?[a-zA-Z]|\\[pPQEAZzG]|\+\+|\*\+|\?\+/.test(pattern)) {
    return `the pattern ${JSON.stringify(pattern)} uses Java-only regular expression syntax, which is not evaluated here`;
  }
  try {
    return new RegExp(pattern, 'u');
  } catch (e) {
    return `${JSON.stringify(pattern)} is not a valid regular expression (${(e as Error).message})`;
  }
}

/** `matches` and the *Regex methods: the pattern is searched for in the value (README: "Regular expressions"). */
function regexTest(pattern: string, value: string): boolean | string {
  const regex = compileRegex(pattern);
  return typeof regex === 'string' ? regex : regex.test(value);
}

const IF_PARAMETERS: Record<string, string> = { AMOUNT: 'amount', DISCOUNT: 'discount', QUANTITY: 'qty', RATE: 'rate', VALUE: 'value' };
const IF_OPERATORS: Record<string, string> = {
  GREATER_THAN: '>',
  LESS_THAN: '<',
  LESS_THAN_EQUALS_TO: '<=',
  GREATER_THAN_EQUALS_TO: '>=',
  EQUALS_TO: '==',
  EQUAL_TO: '==',
  NOT_EQUALS_TO: '!=',
  NOT_EQUAL_TO: '!=',
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An own property (never one inherited from Object.prototype, such as "constructor"). */
function own(record: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

function numberOf(raw: unknown): number | undefined {
  if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
  if (typeof raw === 'string' && /^-?\d+(\.\d+)?$/.test(raw.trim())) return Number(raw);
  return undefined;
}

/** A line item's amount, per the docs: value = rate × qty (gross), amount = value − discount. */
export function lineItemField(item: Record<string, unknown>, field: 'amount' | 'value' | 'qty' | 'rate' | 'discount'): number | undefined {
  const direct = numberOf(own(item, field));
  if (direct !== undefined) return direct;
  const qty = numberOf(item.qty);
  const rate = numberOf(item.rate);
  const discount = numberOf(item.discount) ?? 0;
  switch (field) {
    case 'value':
      return qty !== undefined && rate !== undefined ? qty * rate : undefined;
    case 'amount': {
      const value = lineItemField(item, 'value');
      return value !== undefined ? value - discount : undefined;
    }
    case 'discount':
      return 0;
    default:
      return undefined;
  }
}

/** The value of an inventory attribute of a line item: its `attributes` object, then its own fields. */
function inventoryValue(item: Record<string, unknown>, attribute: string): string | undefined {
  const attrs = isRecord(item.attributes) ? item.attributes : {};
  const raw = Object.prototype.hasOwnProperty.call(attrs, attribute) ? attrs[attribute] : own(item, attribute);
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  return undefined;
}

class Evaluator {
  private readonly offset: number;
  constructor(private readonly context: EvaluationContext) {
    this.offset = parseOffset(context.timezone ?? '+00:00') ?? 0;
  }

  run(node: ExprNode): TraceNode {
    const children: TraceNode[] = [];
    const value = this.value(node, children);
    const trace: TraceNode = { start: node.start, end: node.end, text: printExpression(node), value, children };
    if (node.kind === 'binary' || node.kind === 'unary') trace.op = node.op;
    return trace;
  }

  private child(node: ExprNode, into: TraceNode[]): Value {
    const trace = this.run(node);
    into.push(trace);
    return trace.value;
  }

  private value(node: ExprNode, into: TraceNode[]): Value {
    switch (node.kind) {
      case 'literal':
        if (node.literalType === 'number') return num(Number(node.value));
        if (node.literalType === 'boolean') return bool(node.value === 'true');
        return str(node.value);
      case 'name': {
        const data = Object.prototype.hasOwnProperty.call(this.context.profiles, node.name) ? this.context.profiles[node.name] : undefined;
        if (isRecord(data)) return { kind: 'profile', name: node.name, data };
        if (!findProfile(node.name)) return unknown(`"${node.name}" is not a known profile`);
        return unknown(`the sample has no ${node.name} profile`);
      }
      case 'member':
        return this.member(node, this.child(node.object, into));
      case 'call': {
        const object = this.child(node.object, into);
        const args = node.args.map((a) => this.child(a, into));
        return this.call(node.method.name, object, args);
      }
      case 'unary': {
        const operand = this.child(node.operand, into);
        if (operand.kind === 'unknown') return operand;
        if (node.op === '!') return operand.kind === 'boolean' ? bool(!operand.value) : unknown(`"!" needs a boolean, not ${describeValue(operand)}`);
        return operand.kind === 'number' ? num(-operand.value) : unknown(`"-" needs a number, not ${describeValue(operand)}`);
      }
      case 'binary':
        return this.binary(node.op, node.left, node.right, into);
    }
  }

  private binary(op: string, leftNode: ExprNode, rightNode: ExprNode, into: TraceNode[]): Value {
    const left = this.child(leftNode, into);
    if (op === '&&' || op === '||') {
      const decisive = op === '||';
      if (left.kind === 'boolean' && left.value === decisive) return left; // short-circuit, as the platform evaluates
      const right = this.child(rightNode, into);
      if (right.kind === 'boolean' && right.value === decisive) return right;
      for (const side of [left, right]) {
        if (side.kind === 'unknown') return side;
        if (side.kind !== 'boolean') return unknown(`"${op}" needs booleans, not ${describeValue(side)}`);
      }
      return bool(!decisive);
    }
    const right = this.child(rightNode, into);
    if (left.kind === 'unknown') return left;
    if (right.kind === 'unknown') return right;
    if (isComparison(op as '==')) return this.compare(op, left, right);
    if (left.kind !== 'number' || right.kind !== 'number') {
      return unknown(`"${op}" is arithmetic on numbers; it got ${describeValue(left)} and ${describeValue(right)}`);
    }
    switch (op) {
      case '+':
        return num(left.value + right.value);
      case '-':
        return num(left.value - right.value);
      case '*':
        return num(left.value * right.value);
      case '/':
        return right.value === 0 ? unknown('division by zero') : num(left.value / right.value);
      default:
        return right.value === 0 ? unknown('modulo by zero') : num(left.value % right.value);
    }
  }

  private compare(op: string, left: Value, right: Value): Value {
    if (left.kind === 'null' || right.kind === 'null') {
      return unknown(`comparing null with ${op} is not described by the docs (${describeValue(left)} ${op} ${describeValue(right)})`);
    }
    if (left.kind === 'number' && right.kind === 'number') return bool(compareNumbers(op, left.value, right.value));
    const equality = op === '==' || op === '!=';
    if (left.kind !== right.kind) {
      return unknown(`${describeValue(left)} ${op} ${describeValue(right)} compares a ${left.kind} with a ${right.kind}, which the docs do not describe`);
    }
    if (!equality) return unknown(`${op} on ${left.kind} values is not described by the docs (only numbers are ordered)`);
    let same: boolean;
    if (left.kind === 'string' && right.kind === 'string') same = left.value === right.value;
    else if (left.kind === 'boolean' && right.kind === 'boolean') same = left.value === right.value;
    else if (left.kind === 'date' && right.kind === 'date') same = left.value.epochMs === right.value.epochMs;
    else return unknown(`${op} on ${left.kind} values is not described by the docs`);
    return bool(op === '==' ? same : !same);
  }

  /** The value of `profile.attribute`, typed by the catalog. */
  private member(node: Extract<ExprNode, { kind: 'member' }>, object: Value): Value {
    const name = node.property.name;
    if (object.kind === 'unknown') return object;
    if (object.kind !== 'profile') return unknown(`a ${object.kind} value has no attribute "${name}"`);
    const profile = findProfile(object.name);
    const declared: ValueType | undefined = profile ? findAttribute(profile, name)?.type : undefined;
    let raw: unknown = own(object.data, name);
    if (!Object.prototype.hasOwnProperty.call(object.data, name)) {
      raw = this.derived(object.name, object.data, name);
      if (raw === undefined) return unknown(`the sample's ${object.name} has no "${name}"`);
    }
    return this.typedValue(raw, declared, `${object.name}.${name}`);
  }

  /** Attributes the docs define from others: basketSize and totalQty from the line items. */
  private derived(profile: string, data: Record<string, unknown>, name: string): unknown {
    if (profile !== 'currentTxn' || !Array.isArray(data.lineItems)) return undefined;
    const items = data.lineItems.filter(isRecord);
    if (name === 'basketSize') return items.length;
    if (name === 'totalQty') {
      const qtys = items.map((i) => lineItemField(i, 'qty'));
      return qtys.every((q) => q !== undefined) ? qtys.reduce((s: number, q) => s + (q), 0) : undefined;
    }
    return undefined;
  }

  private typedValue(raw: unknown, declared: ValueType | undefined, label: string): Value {
    if (raw === null) return NULL;
    switch (declared) {
      case 'number': {
        const n = numberOf(raw);
        return n === undefined ? unknown(`${label} should be a number; the sample gives ${JSON.stringify(raw)}`) : num(n);
      }
      case 'date': {
        const d = parseDate(raw, this.offset);
        return d ? { kind: 'date', value: d } : unknown(`${label} should be a date; the sample gives ${JSON.stringify(raw)}`);
      }
      case 'boolean':
        return typeof raw === 'boolean' ? bool(raw) : unknown(`${label} should be a boolean; the sample gives ${JSON.stringify(raw)}`);
      case 'string':
        return typeof raw === 'string' ? str(raw) : typeof raw === 'number' ? str(String(raw)) : unknown(`${label} should be a string; the sample gives ${JSON.stringify(raw)}`);
      default:
        if (typeof raw === 'number' && Number.isFinite(raw)) return num(raw);
        if (typeof raw === 'string') return str(raw);
        if (typeof raw === 'boolean') return bool(raw);
        return unknown(`${label} in the sample is not a number, string or boolean`);
    }
  }

  private call(method: string, object: Value, args: Value[]): Value {
    if (object.kind === 'unknown' && method !== 'isNull' && method !== 'isNotNull') return object;
    // Null checks first: they are the only methods defined on a missing value.
    if (method === 'isNull' || method === 'isNotNull') {
      if (object.kind === 'unknown') return object;
      return bool((object.kind === 'null') === (method === 'isNull'));
    }
    for (const arg of args) if (arg.kind === 'unknown') return arg;
    if (object.kind === 'profile') return this.profileMethod(object.name, object.data, method, args);
    if (object.kind === 'null') {
      if (method === 'notExists' || method === 'isEmpty') return bool(true);
      if (method === 'exists') return bool(false);
      if (method === 'isValid' || method === 'isValidDate') return bool(false);
      return unknown(`${method}() on a null value is not described by the docs`);
    }
    if (object.kind === 'string') return this.stringMethod(object.value, method, args);
    if (object.kind === 'date') return this.dateMethod(object.value, method, args);
    if (object.kind === 'number') {
      if (method === 'interval') {
        return unknown('interval(): the docs\' two examples number the intervals differently (1-based with upper bounds included, and 0-based with lower bounds included), so it is not evaluated');
      }
    }
    return unknown(`${describeValue(object)} has no method ${method}() the evaluator knows`);
  }

  private args(method: string, args: Value[], kinds: readonly ('string' | 'number' | 'date')[]): Value | undefined {
    if (args.length !== kinds.length) return unknown(`${method}() takes ${kinds.length} argument(s), got ${args.length}`);
    for (let i = 0; i < kinds.length; i++) {
      const arg = args[i] as Value;
      const kind = kinds[i];
      if (kind === 'date' && arg.kind === 'null') return unknown(`${method}() with a null date is not described by the docs`);
      if (arg.kind !== kind) return unknown(`argument ${i + 1} of ${method}() should be a ${kind}, not ${describeValue(arg)}`);
    }
    return undefined;
  }

  private stringMethod(value: string, method: string, args: Value[]): Value {
    const text = (i: number): string => (args[i] as { value: string }).value;
    switch (method) {
      case 'contains':
        return this.args(method, args, ['string']) ?? bool(value.includes(text(0)));
      case 'matches': {
        const bad = this.args(method, args, ['string']);
        if (bad) return bad;
        const result = regexTest(text(0), value);
        return typeof result === 'string' ? unknown(result) : bool(result);
      }
      case 'exists':
        return bool(value !== '');
      case 'notExists':
      case 'isEmpty':
        return bool(value === '');
      case 'isValidDate':
        return bool(parseDate(value, this.offset) !== undefined);
      case 'daysDiffFromString':
        return unknown('daysDiffFromString() on a string value is not described by the docs (it is a date method taking a string)');
      default:
        return unknown(`strings have no method ${method}() the evaluator knows`);
    }
  }

  private dateMethod(date: DateValue, method: string, args: Value[]): Value {
    const n = (i: number): number => (args[i] as { value: number }).value;
    const other = (): DateValue => (args[0] as { value: DateValue }).value;
    const dateArgs = (count: number): Value | undefined => this.args(method, args, Array.from({ length: count }, () => 'number' as const));
    switch (method) {
      case 'isValid':
        return bool(true);
      case 'day':
        return dateArgs(0) ?? num(date.weekday);
      case 'dayOfMonth':
        return dateArgs(0) ?? num(date.day);
      case 'month':
        return dateArgs(0) ?? num(date.month);
      case 'year':
        return dateArgs(0) ?? num(date.year);
      case 'isWeekday':
        return dateArgs(0) ?? bool(date.weekday >= 2 && date.weekday <= 6);
      case 'isWeekend':
        return dateArgs(0) ?? bool(date.weekday === 1 || date.weekday === 7);
      case 'dateDiff':
        return this.args(method, args, ['date']) ?? num(Math.abs(dayNumber(date) - dayNumber(other())));
      case 'minutesDiff':
        return this.args(method, args, ['date']) ?? num(Math.floor(Math.abs(date.epochMs - other().epochMs) / 60_000));
      case 'daysDiff': {
        const bad = this.args(method, args, ['date']);
        if (bad) return bad;
        return daysDiffIgnoringYear(date, other());
      }
      case 'daysDiffFromString': {
        const bad = this.args(method, args, ['string']);
        if (bad) return bad;
        const parsed = parseDate((args[0] as { value: string }).value, this.offset);
        return parsed ? daysDiffIgnoringYear(date, parsed) : unknown(`${describeValue(args[0] as Value)} is not a date`);
      }
      case 'isAfter':
      case 'isBefore': {
        if (args.length !== 3 && args.length !== 6) return unknown(`${method}() takes (YYYY,MM,DD) or (YYYY,MM,DD,HH,MM,SS)`);
        const bad = dateArgs(args.length);
        if (bad) return bad;
        const [y, mo, d, h = 0, mi = 0, s = 0] = args.map((_, i) => n(i));
        const when = Date.UTC(y as number, (mo as number) - 1, d, h, mi, s) - this.offset * 60_000;
        if (date.epochMs === when) return unknown(`${method}() at exactly the given instant: the docs do not say whether the bound is included`);
        return bool(method === 'isAfter' ? date.epochMs > when : date.epochMs < when);
      }
      case 'isHourBetween': {
        const bad = dateArgs(2);
        if (bad) return bad;
        return between(date.hour * 60 + date.minute, n(0) * 60, n(1) * 60, 'isHourBetween()');
      }
      case 'isTimeBetween': {
        const bad = dateArgs(4);
        if (bad) return bad;
        return between(date.hour * 60 + date.minute, n(0) * 60 + n(1), n(2) * 60 + n(3), 'isTimeBetween()');
      }
      default:
        return unknown(`dates have no method ${method}() the evaluator knows`);
    }
  }

  private profileMethod(profile: string, data: Record<string, unknown>, method: string, args: Value[]): Value {
    const text = (i: number): string => (args[i] as { value: string }).value;
    const strings = (count: number): Value | undefined => this.args(method, args, Array.from({ length: count }, () => 'string' as const));
    const items = (): Record<string, unknown>[] | Value =>
      Array.isArray(data.lineItems) ? data.lineItems.filter(isRecord) : unknown(`the sample's ${profile} has no lineItems, which ${method}() reads`);

    const basket = /^basket(Sum|Count|Qty|Includes|Excludes)(Regex)?(Brand|Category)?(Gross)?$/.exec(method);
    if (basket && (profile === 'currentTxn' || profile === 'returnBill') && !method.endsWith('If')) {
      const [, what, regex, fixedAttribute, gross] = basket as unknown as [string, string, string | undefined, string | undefined, string | undefined];
      const needed = fixedAttribute ? 1 : 2;
      const bad = strings(needed);
      if (bad) return bad;
      const attribute = fixedAttribute ? fixedAttribute.toLowerCase() : text(0);
      const pattern = text(needed - 1);
      const list = items();
      if (!Array.isArray(list)) return list;
      const matching: Record<string, unknown>[] = [];
      for (const item of list) {
        const v = inventoryValue(item, attribute);
        if (v === undefined) continue;
        const hit = regex ? regexTest(pattern, v) : v === pattern;
        if (typeof hit === 'string') return unknown(hit);
        if (hit) matching.push(item);
      }
      switch (what) {
        case 'Includes':
          return bool(matching.length > 0);
        case 'Excludes':
          return bool(matching.length === 0);
        case 'Count':
          return num(matching.length);
        default:
          return this.sum(matching, what === 'Qty' ? 'qty' : gross ? 'value' : 'amount', method);
      }
    }
    if (profile === 'currentTxn' && (method === 'basketSumIf' || method === 'basketCountIf')) {
      const bad = strings(3);
      if (bad) return bad;
      const field = own(IF_PARAMETERS, text(0)) as string | undefined;
      const op = own(IF_OPERATORS, text(1)) as string | undefined;
      const bound = numberOf(text(2));
      if (!field) return unknown(`${method}(): "${text(0)}" is not one of ${Object.keys(IF_PARAMETERS).join(', ')}`);
      if (!op) return unknown(`${method}(): "${text(1)}" is not one of ${Object.keys(IF_OPERATORS).join(', ')}`);
      if (bound === undefined) return unknown(`${method}(): "${text(2)}" is not a number`);
      const list = items();
      if (!Array.isArray(list)) return list;
      const matching: Record<string, unknown>[] = [];
      for (const item of list) {
        const v = lineItemField(item, field as 'amount');
        if (v === undefined) return unknown(`${method}(): a line item has no ${field}`);
        if (compareNumbers(op, v, bound)) matching.push(item);
      }
      return method === 'basketCountIf' ? num(matching.length) : this.sum(matching, 'amount', method);
    }
    if (profile === 'currentLineItem' && method === 'doesItemMatch') {
      const bad = strings(2);
      if (bad) return bad;
      const v = inventoryValue(data, text(0));
      return v === undefined ? unknown(`the sample's currentLineItem has no inventory attribute "${text(0)}"`) : bool(v === text(1));
    }
    if (method === 'customFieldValueIncludes' || method === 'customFieldValueExcludes' || method === 'clusterValueIncludes' || method === 'clusterValueExcludes') {
      const bad = strings(2);
      if (bad) return bad;
      const key = method.startsWith('cluster') ? 'clusters' : 'customFields';
      const fields = isRecord(data[key]) ? data[key] : undefined;
      if (!fields) return unknown(`the sample's ${profile} has no ${key}, which ${method}() reads`);
      const raw = own(fields, text(0));
      const values = Array.isArray(raw) ? raw.map(textOf) : raw === undefined || raw === null ? [] : [textOf(raw)];
      const includes = values.includes(text(1));
      return bool(method.endsWith('Includes') ? includes : !includes);
    }
    if (profile === 'currentEvent' && (method === 'targetAchieved' || method === 'targetDefined' || method === 'targetExists')) {
      const bad = strings(1);
      if (bad) return bad;
      const targets = isRecord(data.targets) ? data.targets : undefined;
      if (!targets) return unknown(`the sample's currentEvent has no targets, which ${method}() reads`);
      const target = own(targets, text(0));
      if (method === 'targetExists') return bool(isRecord(target) && numberOf(target.defined) !== undefined);
      if (!isRecord(target)) return unknown(`the sample's currentEvent.targets has no "${text(0)}"`);
      const v = numberOf(method === 'targetAchieved' ? target.achieved : target.defined);
      return v === undefined ? unknown(`the sample's target "${text(0)}" has no ${method === 'targetAchieved' ? 'achieved' : 'defined'} value`) : num(v);
    }
    if (profile === 'currentEvent' && (method === 'currentCustomFieldValue' || method === 'previousCustomFieldValue')) {
      const bad = strings(2);
      if (bad) return bad;
      const key = method === 'currentCustomFieldValue' ? 'customFields' : 'previousCustomFields';
      const fields = isRecord(data[key]) ? data[key] : undefined;
      if (!fields) return unknown(`the sample's currentEvent has no ${key}, which ${method}() reads`);
      const raw = own(fields, text(0));
      return bool(raw !== undefined && raw !== null && textOf(raw) === text(1));
    }
    return unknown(`${profile}.${method}() is not evaluated: its semantics are not described precisely enough to compute`);
  }

  private sum(items: Record<string, unknown>[], field: 'amount' | 'value' | 'qty', method: string): Value {
    let total = 0;
    for (const item of items) {
      const v = lineItemField(item, field);
      if (v === undefined) return unknown(`${method}(): a matching line item has no ${field}${field === 'qty' ? '' : ' (nor rate and qty)'}`);
      total += v;
    }
    return num(total);
  }
}

function between(minutes: number, from: number, to: number, method: string): Value {
  if (from > to) return unknown(`${method} with a range that wraps past midnight is not described by the docs`);
  if (minutes >= to && minutes < to + (method === 'isHourBetween()' ? 60 : 1)) {
    return unknown(`${method}: the time falls in the closing hour or minute, and the docs do not say whether it is included`);
  }
  return bool(minutes >= from && minutes < to);
}

function daysDiffIgnoringYear(a: DateValue, b: DateValue): Value {
  // Day of the year in a leap year, so 29 February has a place; the difference never wraps round the new year.
  const dayOfYear = (d: DateValue): number => Math.floor((Date.UTC(2000, d.month - 1, d.day) - Date.UTC(2000, 0, 1)) / MS_PER_DAY);
  return num(Math.abs(dayOfYear(a) - dayOfYear(b)));
}

function outcomeOf(value: Value): boolean | 'unknown' {
  return value.kind === 'boolean' ? value.value : 'unknown';
}

/** Evaluates a syntax tree. */
export function evaluateAst(ast: ExprNode, context: EvaluationContext): EvaluationResult {
  const trace = new Evaluator(context).run(ast);
  const value = trace.value.kind === 'boolean' || trace.value.kind === 'unknown' ? trace.value : unknown(`the expression gives ${describeValue(trace.value)}, not true or false`);
  return { value, outcome: outcomeOf(value), trace, errors: [] };
}

function failed(message: string, start: number, end: number): EvaluationResult {
  return { value: unknown(message), outcome: 'unknown', trace: undefined, errors: [{ message, start, end }] };
}

/** Evaluates rule text; a syntax error comes back as an error with its position, never thrown. */
export function evaluateExpression(text: string, context: EvaluationContext): EvaluationResult {
  const { ast, errors } = parseExpression(text);
  if (!ast) {
    const error = errors[0] ?? { message: 'The expression could not be parsed.', start: 0, end: text.length };
    return failed(error.message, error.start, error.end);
  }
  return evaluateAst(ast, context);
}

/** Evaluates an expressionJson tree (the string or the parsed object); an invalid tree is an error naming where. */
export function evaluateExpressionJson(tree: unknown, context: EvaluationContext): EvaluationResult {
  let root = tree;
  if (typeof tree === 'string') {
    try {
      root = JSON.parse(tree) as unknown;
    } catch (e) {
      return failed(`expressionJson is not valid JSON: ${(e as Error).message}`, 0, 0);
    }
  }
  try {
    return evaluateAst(fromExpressionJson(root), context);
  } catch (e) {
    if (e instanceof InvalidTreeError) return failed(`expressionJson: ${e.message}`, 0, 0);
    throw e;
  }
}

/**
 * The sub-expressions that decided the outcome, down through && and ||: for a false &&, its
 * false operands; for a false ||, all of them; for a true one, the operands that made it true;
 * for unknown, the unknown ones. The leaves are comparisons, method calls and attributes, each
 * with its value (and its children's values, for "currentTxn.value = 300").
 */
export function explainOutcome(trace: TraceNode): TraceNode[] {
  const decisive: TraceNode[] = [];
  const same = (a: Value, b: Value): boolean => a.kind === b.kind && (a.kind !== 'boolean' || a.value === (b as { value: boolean }).value);
  const walk = (node: TraceNode): void => {
    if (node.op === '&&' || node.op === '||') {
      const deciding = node.children.filter((c) => same(c.value, node.value));
      if (deciding.length > 0) {
        deciding.forEach(walk);
        return;
      }
    }
    decisive.push(node);
  };
  walk(trace);
  return decisive;
}
