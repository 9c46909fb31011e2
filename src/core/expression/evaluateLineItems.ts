import { checkArgs, regexTest } from './evaluateMethods';
import { bool, compareNumbers, isRecord, num, numberOf, own, unknown, type Value } from './evaluateValues';
import { textOf } from '../util/records';

/**
 * The evaluator's profile rules: line items (amount, value, the basket* and *If methods),
 * attributes the docs derive from line items (basketSize, totalQty), custom fields, clusters and
 * an event's targets. These are the rules the customer-data work reads bills and line items by.
 */

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

/** Attributes the docs define from others: basketSize and totalQty from the line items. */
export function derivedAttribute(profile: string, data: Record<string, unknown>, name: string): unknown {
  if (profile !== 'currentTxn' || !Array.isArray(data.lineItems)) return undefined;
  const items = data.lineItems.filter(isRecord);
  if (name === 'basketSize') return items.length;
  if (name === 'totalQty') {
    const qtys = items.map((i) => lineItemField(i, 'qty'));
    return qtys.every((q) => q !== undefined) ? qtys.reduce((s: number, q) => s + q, 0) : undefined;
  }
  return undefined;
}

export function profileMethod(profile: string, data: Record<string, unknown>, method: string, args: Value[]): Value {
  const text = (i: number): string => (args[i] as { value: string }).value;
  const strings = (count: number): Value | undefined =>
    checkArgs(
      method,
      args,
      Array.from({ length: count }, () => 'string' as const),
    );
  const items = (): Record<string, unknown>[] | Value =>
    Array.isArray(data.lineItems)
      ? data.lineItems.filter(isRecord)
      : unknown(`the sample's ${profile} has no lineItems, which ${method}() reads`);

  const basket = /^basket(Sum|Count|Qty|Includes|Excludes)(Regex)?(Brand|Category)?(Gross)?$/.exec(method);
  if (basket && (profile === 'currentTxn' || profile === 'returnBill') && !method.endsWith('If')) {
    const [, what, regex, fixedAttribute, gross] = basket as unknown as [
      string,
      string,
      string | undefined,
      string | undefined,
      string | undefined,
    ];
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
        return sum(matching, what === 'Qty' ? 'qty' : gross ? 'value' : 'amount', method);
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
    return method === 'basketCountIf' ? num(matching.length) : sum(matching, 'amount', method);
  }
  if (profile === 'currentLineItem' && method === 'doesItemMatch') {
    const bad = strings(2);
    if (bad) return bad;
    const v = inventoryValue(data, text(0));
    return v === undefined ? unknown(`the sample's currentLineItem has no inventory attribute "${text(0)}"`) : bool(v === text(1));
  }
  if (
    method === 'customFieldValueIncludes' ||
    method === 'customFieldValueExcludes' ||
    method === 'clusterValueIncludes' ||
    method === 'clusterValueExcludes'
  ) {
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
    return v === undefined
      ? unknown(`the sample's target "${text(0)}" has no ${method === 'targetAchieved' ? 'achieved' : 'defined'} value`)
      : num(v);
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

function sum(items: Record<string, unknown>[], field: 'amount' | 'value' | 'qty', method: string): Value {
  let total = 0;
  for (const item of items) {
    const v = lineItemField(item, field);
    if (v === undefined) return unknown(`${method}(): a matching line item has no ${field}${field === 'qty' ? '' : ' (nor rate and qty)'}`);
    total += v;
  }
  return num(total);
}
