import { MS_PER_DAY, bool, dayNumber, describeValue, num, parseDate, unknown, type DateValue, type Value } from './evaluateValues';

/**
 * The evaluator's method tables for plain values: what `contains`, `matches`, `dateDiff`,
 * `isHourBetween` and the rest do on strings and dates, and the argument checks every method
 * shares. Profile methods (the basket and line-item rules) are in evaluateLineItems.ts.
 */

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
export function regexTest(pattern: string, value: string): boolean | string {
  const regex = compileRegex(pattern);
  return typeof regex === 'string' ? regex : regex.test(value);
}

/** undefined when `args` are of the `kinds` given, else the unknown value saying what is wrong. */
export function checkArgs(method: string, args: Value[], kinds: readonly ('string' | 'number' | 'date')[]): Value | undefined {
  if (args.length !== kinds.length) return unknown(`${method}() takes ${kinds.length} argument(s), got ${args.length}`);
  for (let i = 0; i < kinds.length; i++) {
    const arg = args[i] as Value;
    const kind = kinds[i];
    if (kind === 'date' && arg.kind === 'null') return unknown(`${method}() with a null date is not described by the docs`);
    if (arg.kind !== kind) return unknown(`argument ${i + 1} of ${method}() should be a ${kind}, not ${describeValue(arg)}`);
  }
  return undefined;
}

export function stringMethod(value: string, method: string, args: Value[], offsetMinutes: number): Value {
  const text = (i: number): string => (args[i] as { value: string }).value;
  switch (method) {
    case 'contains':
      return checkArgs(method, args, ['string']) ?? bool(value.includes(text(0)));
    case 'matches': {
      const bad = checkArgs(method, args, ['string']);
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
      return bool(parseDate(value, offsetMinutes) !== undefined);
    case 'daysDiffFromString':
      return unknown('daysDiffFromString() on a string value is not described by the docs (it is a date method taking a string)');
    default:
      return unknown(`strings have no method ${method}() the evaluator knows`);
  }
}

export function dateMethod(date: DateValue, method: string, args: Value[], offsetMinutes: number): Value {
  const n = (i: number): number => (args[i] as { value: number }).value;
  const other = (): DateValue => (args[0] as { value: DateValue }).value;
  const dateArgs = (count: number): Value | undefined =>
    checkArgs(
      method,
      args,
      Array.from({ length: count }, () => 'number' as const),
    );
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
      return checkArgs(method, args, ['date']) ?? num(Math.abs(dayNumber(date) - dayNumber(other())));
    case 'minutesDiff':
      return checkArgs(method, args, ['date']) ?? num(Math.floor(Math.abs(date.epochMs - other().epochMs) / 60_000));
    case 'daysDiff': {
      const bad = checkArgs(method, args, ['date']);
      if (bad) return bad;
      return daysDiffIgnoringYear(date, other());
    }
    case 'daysDiffFromString': {
      const bad = checkArgs(method, args, ['string']);
      if (bad) return bad;
      const parsed = parseDate((args[0] as { value: string }).value, offsetMinutes);
      return parsed ? daysDiffIgnoringYear(date, parsed) : unknown(`${describeValue(args[0] as Value)} is not a date`);
    }
    case 'isAfter':
    case 'isBefore': {
      if (args.length !== 3 && args.length !== 6) return unknown(`${method}() takes (YYYY,MM,DD) or (YYYY,MM,DD,HH,MM,SS)`);
      const bad = dateArgs(args.length);
      if (bad) return bad;
      const [y, mo, d, h = 0, mi = 0, s = 0] = args.map((_, i) => n(i));
      const when = Date.UTC(y as number, (mo as number) - 1, d, h, mi, s) - offsetMinutes * 60_000;
      if (date.epochMs === when)
        return unknown(`${method}() at exactly the given instant: the docs do not say whether the bound is included`);
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
