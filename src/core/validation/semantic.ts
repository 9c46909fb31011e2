import { escapePointerSegment } from '../util/pointer';
import { parsePlatformDate, type PlatformDate } from '../definition/dates';
import type { DefinitionMode } from '../definition/model';
import { isRecord } from '../util/records';
import type { DefinitionLocator } from '../definition/parse';
import { valueFacts } from '../definition/scan';
import type { FindingCode } from '../findings/codes';
import type { Finding, Fix, FixChange, TextRange } from '../findings/finding';
import { capitalise, describePointer, severityFor } from './severity';

/** The platform's limit on group and target names (error 310008). */
export const MAX_NAME_LENGTH = 200;

/** Documented alternate spellings and the canonical value to suggest (DESIGN.md "Spellings"). */
export const CANONICAL_SPELLINGS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  // STREAK is the enum docs' spelling; the others are the labels the docs write in prose
  // ("Supported values: Default (single target tracking), …, Non continuous streak").
  trackingType: {
    STREAK: 'STREAKS',
    Default: 'DEFAULT',
    Unified: 'UNIFIED',
    Streak: 'STREAKS',
    Capping: 'CAPPING',
    'Non continuous streak': 'NON_CONTINUOUS_STREAKS',
  },
  frequencyType: {
    Daily: 'DAILY',
    Weekly: 'WEEKLY',
    Monthly: 'MONTHLY',
    Quarterly: 'QUARTERLY',
    'Half-yearly': 'HALF_YEARLY',
    Yearly: 'YEARLY',
  },
  targetEntity: { Transaction: 'TRANSACTION', Lineitem: 'LINEITEM' },
};

export interface SemanticCheckInput {
  text: string;
  value: Record<string, unknown>;
  mode: DefinitionMode | undefined;
  locator: DefinitionLocator;
  now: Date;
  /** Whether some number in the value is not finite, when the caller knows (valueFacts, or the schema validator's count). */
  nonFinite?: boolean;
}

/** Builds findings with the right severity for the mode and a position in the text. */
class FindingSink {
  readonly findings: Finding[] = [];
  constructor(private readonly input: SemanticCheckInput) {}

  add(code: FindingCode, pointer: string, message: string, range?: TextRange, fix?: Fix): void {
    this.findings.push({
      code,
      severity: severityFor(code, pointer, this.input.mode),
      message,
      pointer,
      range: range ?? this.input.locator.nearest(pointer),
      source: 'semantic',
      ...(fix ? { fix } : {}),
    });
  }

  /** A fix as a description; its text edits are computed only when it is applied (fixEdits). */
  fix(title: string, changes: FixChange[]): Fix {
    return { title, changes };
  }

  where(pointer: string): string {
    return describePointer(pointer, this.input.value);
  }
}

/** MS2xx: the rules JSON Schema cannot express. */
export function semanticFindings(input: SemanticCheckInput): Finding[] {
  const sink = new FindingSink(input);
  const periods = Array.isArray(input.value['periods']) ? (input.value['periods'] as unknown[]) : undefined;
  const targets = Array.isArray(input.value['targets']) ? (input.value['targets'] as unknown[]) : [];
  checkGroupId(input, sink);
  checkHugeNumbers(input, sink);
  checkTotalPeriods(input, sink, periods);
  const ranges = checkPeriods(input, sink, periods);
  checkGroupDates(input, sink);
  checkTargets(input, sink, targets, periods);
  checkSpellings(input, sink, targets);
  if (input.mode === 'create') {
    checkPastPeriods(input, sink, ranges);
    checkResponseOnlyStatuses(input, sink, periods, ranges);
  }
  return sink.findings;
}

/**
 * The top-level id of an edit names the live group in the edit URL: a positive whole number the
 * platform can have issued. (Its type and a string's digits are the schema's business.)
 */
function checkGroupId(input: SemanticCheckInput, sink: FindingSink): void {
  const id = input.value['id'];
  const n = typeof id === 'number' ? id : typeof id === 'string' && /^\d+$/.test(id) ? Number(id) : undefined;
  if (n === undefined || (typeof id === 'number' && !Number.isInteger(id))) return;
  if (n > 0 && Number.isSafeInteger(n)) return;
  sink.add(
    'MS105',
    '/id',
    `${JSON.stringify(id)} is not a valid "id" in the target group: a target group id is a positive whole number (at most ${Number.MAX_SAFE_INTEGER}), so the edit URL cannot be built. Put the id of the live target group here, or remove "id" to create a new one.`,
  );
}

/**
 * A number too large for a double (1e999) reads as Infinity, which JSON cannot carry: the
 * request would send null instead. Found anywhere in the definition, without recursion; the
 * pointers are built only when there is one (a clean file pays one cheap walk).
 */
function checkHugeNumbers(input: SemanticCheckInput, sink: FindingSink): void {
  if (!(input.nonFinite ?? valueFacts(input.value).nonFinite)) return;
  const stack: Array<{ value: unknown; pointer: string }> = [{ value: input.value, pointer: '' }];
  while (stack.length > 0) {
    const { value, pointer } = stack.pop() as { value: unknown; pointer: string };
    if (typeof value === 'number' && !Number.isFinite(value)) {
      sink.add(
        'MS107',
        pointer,
        `A number in ${sink.where(pointer)} is too large to be sent: it reads as infinity, and the request would carry null instead. Use a smaller value.`,
      );
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => stack.push({ value: item, pointer: `${pointer}/${i}` }));
    } else if (isRecord(value)) {
      for (const [key, item] of Object.entries(value)) stack.push({ value: item, pointer: `${pointer}/${escapePointerSegment(key)}` });
    }
  }
}

function checkTotalPeriods(input: SemanticCheckInput, sink: FindingSink, periods: unknown[] | undefined): void {
  const total = input.value['totalPeriods'];
  if (!periods || typeof total !== 'number' || !Number.isFinite(total) || total === periods.length) return;
  sink.add(
    'MS201',
    '/totalPeriods',
    `totalPeriods is ${total} but "periods" has ${periods.length} ${periods.length === 1 ? 'entry' : 'entries'}. The platform accepts this (it creates every listed period and stores totalPeriods as sent), but the cycle count it reports will not match the periods you defined; set totalPeriods to ${periods.length}.`,
    undefined,
    sink.fix(`Set "totalPeriods" to ${periods.length}`, [{ op: 'set', path: ['totalPeriods'], value: periods.length }]),
  );
}

interface PeriodRange {
  index: number;
  start: PlatformDate;
  end: PlatformDate;
}

/** Date parsing for one field (at `${base}/${field}`, built only for a finding): reports MS209 and returns the parsed date when it parses. */
function dateAt(sink: FindingSink, base: string, field: string, raw: unknown): PlatformDate | undefined {
  if (typeof raw !== 'string') return undefined;
  const parsed = parsePlatformDate(raw);
  if (!parsed) {
    sink.add(
      'MS209',
      `${base}/${field}`,
      `${base === '' ? field : `The ${field} of ${sink.where(base)}`} is ${JSON.stringify(raw)}, which is not a date the platform reads. Use YYYY-MM-DD (e.g. "2027-01-31") or an ISO 8601 date-time (e.g. "2027-01-31T23:59:59.999Z" or "2027-01-31T10:30:00+05:30").`,
    );
  }
  return parsed;
}

function checkPeriods(input: SemanticCheckInput, sink: FindingSink, periods: unknown[] | undefined): PeriodRange[] {
  if (!periods) return [];
  const ranges: PeriodRange[] = [];
  const refCodes = new Map<string, number>();
  periods.forEach((period, index) => {
    if (!isRecord(period)) return;
    const base = `/periods/${index}`;
    const where = (): string => sink.where(base);
    const start = dateAt(sink, base, 'startDate', period['startDate']);
    const end = dateAt(sink, base, 'endDate', period['endDate']);
    if (start && end) {
      if (start.start >= end.end) {
        sink.add(
          'MS203',
          `${base}/startDate`,
          `${capitalise(where())} starts (${String(period['startDate'])}) ${start.start === end.end ? 'when' : 'after'} it ends (${String(period['endDate'])}). A period must start before it ends or the platform can never track it; swap or correct the dates.`,
        );
      } else {
        ranges.push({ index, start, end });
      }
    }
    const refCode = period['refCode'];
    if (typeof refCode === 'string' || typeof refCode === 'number') {
      const key = String(refCode).trim();
      const first = refCodes.get(key);
      if (first !== undefined) {
        sink.add(
          'MS206',
          `${base}/refCode`,
          `The refCode ${JSON.stringify(refCode)} of ${where()} is already used by period ${first + 1}. Period reference codes identify cycles and must be unique; rename one of them.`,
        );
      } else {
        refCodes.set(key, index);
      }
    }
  });
  checkPeriodOrder(sink, ranges);
  return ranges;
}

function checkPeriodOrder(sink: FindingSink, ranges: PeriodRange[]): void {
  // Listed in order already (ranges are in list order), as almost every file is: no sort needed.
  let inOrder = true;
  for (let i = 1; i < ranges.length && inOrder; i++)
    inOrder = (ranges[i - 1] as PeriodRange).start.start <= (ranges[i] as PeriodRange).start.start;
  const sorted = inOrder ? ranges : [...ranges].sort((a, b) => a.start.start - b.start.start || a.index - b.index);
  const overlapping = new Set<number>();
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1] as PeriodRange;
    const cur = sorted[i] as PeriodRange;
    if (cur.start.start <= prev.end.end) {
      const later = Math.max(prev.index, cur.index);
      const other = Math.min(prev.index, cur.index);
      overlapping.add(later);
      sink.add(
        'MS204',
        `/periods/${later}/startDate`,
        `${capitalise(sink.where(`/periods/${later}`))} overlaps period ${other + 1}. A customer's activity would count in two cycles at once; make each period start after the previous one ends.`,
      );
    }
  }
  for (let i = 1; i < ranges.length; i++) {
    const prev = ranges[i - 1] as PeriodRange;
    const cur = ranges[i] as PeriodRange;
    if (cur.start.start < prev.start.start && !overlapping.has(cur.index) && !overlapping.has(prev.index)) {
      sink.add(
        'MS205',
        `/periods/${cur.index}/startDate`,
        `${capitalise(sink.where(`/periods/${cur.index}`))} starts before period ${prev.index + 1}, which comes earlier in the list. Each target's defaultValues follow the order of the periods, so list the periods chronologically to keep the values where you expect them.`,
      );
    }
  }
}

const DATE_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['fromDate', 'toDate'],
  ['targetCycleStartDate', 'targetCycleEndDate'],
  ['targetCycleStartDateISO', 'targetCycleEndDateISO'],
];

function checkGroupDates(input: SemanticCheckInput, sink: FindingSink): void {
  for (const [from, to] of DATE_PAIRS) {
    const start = dateAt(sink, '', from, input.value[from]);
    const end = dateAt(sink, '', to, input.value[to]);
    if (start && end && start.start > end.end) {
      sink.add(
        'MS210',
        `/${from}`,
        `${from} (${String(input.value[from])}) is after ${to} (${String(input.value[to])}). The target group would end before it starts; correct one of the two dates.`,
      );
    }
  }
}

function checkTargets(input: SemanticCheckInput, sink: FindingSink, targets: unknown[], periods: unknown[] | undefined): void {
  const groupName = input.value['name'];
  if (typeof groupName === 'string') checkNameLength(sink, '/name', groupName, 'The target group name');
  const names = new Map<string, number>();
  targets.forEach((target, index) => {
    if (!isRecord(target)) return;
    const base = `/targets/${index}`;
    const where = (): string => sink.where(base);
    const name = target['name'];
    if (typeof name === 'string') {
      checkNameLength(sink, `${base}/name`, name, `The name of target ${index + 1}`);
      const key = name.trim().toLowerCase();
      const first = names.get(key);
      if (first !== undefined) {
        sink.add(
          'MS208',
          `${base}/name`,
          `Target ${index + 1} has the same name as target ${first + 1} (${JSON.stringify(name)}). Target names identify rules on the platform and must be unique; rename one of them.`,
        );
      } else {
        names.set(key, index);
      }
    }
    const defaults = target['defaultValues'];
    if (periods && Array.isArray(defaults) && defaults.length !== periods.length) {
      sink.add(
        'MS202',
        `${base}/defaultValues`,
        `${capitalise(where())} has ${defaults.length} default ${defaults.length === 1 ? 'value' : 'values'} for ${periods.length} ${periods.length === 1 ? 'period' : 'periods'}. The n-th default value is the target for the n-th period, so every period needs exactly one; ${defaults.length < periods.length ? 'add the missing values' : 'remove the extra values'}.`,
        undefined,
        defaultValuesFix(sink, index, defaults, periods.length),
      );
    }
    const type = target['targetType'];
    const info = target['extendedFieldInfo'];
    if (isBehaviouralSum(target)) {
      const changes: FixChange[] = [{ op: 'set', path: ['targets', index, 'targetType'], value: 'EVENT_ATTRIBUTE' }];
      if (!isRecord(info))
        changes.push({
          op: 'set',
          path: ['targets', index, 'extendedFieldInfo'],
          value: { name: '', aggregateFunction: 'SUM' },
          after: 'targetType',
        });
      else if (info['aggregateFunction'] === undefined)
        changes.push({ op: 'set', path: ['targets', index, 'extendedFieldInfo', 'aggregateFunction'], value: 'SUM' });
      sink.add(
        'MS214',
        `${base}/targetType`,
        `${capitalise(where())} tracks a behavioural event with targetType "SUM". The docs list SUM for behavioural events but say how to ask for it: "To use SUM, set the value as EVENT_ATTRIBUTE and then define the details in the extendedFieldInfo object" (the event attribute's name and "aggregateFunction": "SUM"). Set targetType to "EVENT_ATTRIBUTE"${isRecord(info) ? '' : ' and add extendedFieldInfo'}.`,
        undefined,
        sink.fix(
          isRecord(info)
            ? 'Use "EVENT_ATTRIBUTE" (SUM of the extendedFieldInfo attribute)'
            : 'Use "EVENT_ATTRIBUTE" and add extendedFieldInfo (SUM)',
          changes,
        ),
      );
    }
    if (input.mode === 'create' && (type === 'COUNT' || type === 'VISIT') && isRecord(info)) {
      sink.add(
        'MS211',
        `${base}/extendedFieldInfo`,
        `${capitalise(where())} is a ${type} target, and the platform ignores extendedFieldInfo for COUNT and VISIT: nothing is summed. Remove extendedFieldInfo, or use targetType EVENT_ATTRIBUTE to sum the attribute.`,
        input.locator.key(`${base}/extendedFieldInfo`),
        sink.fix('Remove "extendedFieldInfo"', [{ op: 'set', path: ['targets', index, 'extendedFieldInfo'], value: undefined }]),
      );
    }
  });
}

function defaultValuesFix(sink: FindingSink, targetIndex: number, defaults: unknown[], periodCount: number): Fix {
  const path = ['targets', targetIndex, 'defaultValues'];
  if (defaults.length < periodCount) {
    const last = defaults[defaults.length - 1];
    const value = isRecord(last) && last['defaultValue'] !== undefined ? last['defaultValue'] : 1;
    const missing = periodCount - defaults.length;
    return sink.fix(`Add ${missing} default ${missing === 1 ? 'value' : 'values'} (${JSON.stringify(value)})`, [
      { op: 'append', path, value: { defaultValue: value }, count: missing },
    ]);
  }
  const extra = defaults.length - periodCount;
  return sink.fix(`Remove the ${extra} extra default ${extra === 1 ? 'value' : 'values'}`, [{ op: 'truncate', path, length: periodCount }]);
}

function checkNameLength(sink: FindingSink, pointer: string, name: string, label: string): void {
  if (name.length <= MAX_NAME_LENGTH) return; // code points never outnumber UTF-16 units
  const length = [...name].length;
  if (length <= MAX_NAME_LENGTH) return;
  sink.add(
    'MS207',
    pointer,
    `${label} is ${length} characters long; the platform allows at most ${MAX_NAME_LENGTH} and rejects it with error 310008. Shorten the name.`,
  );
}

function checkSpellings(input: SemanticCheckInput, sink: FindingSink, targets: unknown[]): void {
  const check = (holder: Record<string, unknown>, pointerBase: string, path: Array<string | number>, field: string): void => {
    const raw = holder[field];
    const canonical = typeof raw === 'string' ? CANONICAL_SPELLINGS[field]?.[raw] : undefined;
    if (!canonical) return;
    sink.add(
      'MS213',
      `${pointerBase}/${field}`,
      `${JSON.stringify(raw)} is an alternate spelling of ${field} ${JSON.stringify(canonical)}. The docs show both, but payloads and responses use ${JSON.stringify(canonical)}; prefer it so the file matches what the platform returns.`,
      undefined,
      sink.fix(`Use ${JSON.stringify(canonical)}`, [{ op: 'set', path: [...path, field], value: canonical }]),
    );
  };
  check(input.value, '', [], 'trackingType');
  check(input.value, '', [], 'frequencyType');
  targets.forEach((t, i) => {
    if (isRecord(t)) check(t, `/targets/${i}`, ['targets', i], 'targetEntity');
  });
}

/**
 * `targetType: "SUM"` on a behavioural-event target: the docs' way to ask for it is
 * EVENT_ATTRIBUTE with extendedFieldInfo (create-target-group-behavioral-events). MS214 says so;
 * the schema's generic "not one of" findings are left out for it (schema.ts).
 */
export function isBehaviouralSum(target: unknown): boolean {
  return isRecord(target) && target['targetType'] === 'SUM' && target['targetEntity'] === 'EVENT';
}

/** periodStatus values that only responses carry; the create docs list RUNNING, UPCOMING and NOT_STARTED. */
const RESPONSE_ONLY_STATUSES = new Set(['ENDED', 'LIVE', 'STOPPED']);

function checkResponseOnlyStatuses(
  input: SemanticCheckInput,
  sink: FindingSink,
  periods: unknown[] | undefined,
  ranges: PeriodRange[],
): void {
  const now = input.now.getTime();
  periods?.forEach((period, index) => {
    const status = isRecord(period) ? period['periodStatus'] : undefined;
    if (typeof status !== 'string' || !RESPONSE_ONLY_STATUSES.has(status)) return;
    const range = ranges.find((r) => r.index === index);
    const suggested = range && range.start.start <= now && now <= range.end.end ? 'RUNNING' : 'NOT_STARTED';
    sink.add(
      'MS215',
      `/periods/${index}/periodStatus`,
      `${capitalise(sink.where(`/periods/${index}`))} has periodStatus ${JSON.stringify(status)}, a value only the platform's responses carry: the create docs list RUNNING, UPCOMING and NOT_STARTED. Use ${JSON.stringify(suggested)}${range ? " (what the period's dates give today)" : ''}.`,
      undefined,
      sink.fix(`Use ${JSON.stringify(suggested)}`, [{ op: 'set', path: ['periods', index, 'periodStatus'], value: suggested }]),
    );
  });
}

function checkPastPeriods(input: SemanticCheckInput, sink: FindingSink, ranges: PeriodRange[]): void {
  const now = input.now.getTime();
  for (const r of ranges) {
    if (r.end.end < now) {
      sink.add(
        'MS212',
        `/periods/${r.index}/endDate`,
        `${capitalise(sink.where(`/periods/${r.index}`))} ended before now (${input.now.toISOString().slice(0, 10)}), so no customer activity can count towards it. Move the period into the future unless you are recreating history on purpose.`,
      );
    }
  }
}
