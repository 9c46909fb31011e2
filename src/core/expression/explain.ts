import type { CallNode, ExprNode, Span } from './ast';
import { analyze, type NodeType } from './analyze';
import { EXTENDED_FIELD_PREFIX } from './catalog';
import type { ExpressionHover } from './editor';
import { parseExpression } from './parser';
import { printExpression } from './print';

/**
 * The reading of a rule in words, generated from its syntax tree: "Counts a transaction when
 * the transaction's value is above 500 and …". Each sub-expression has its own reading, so the
 * editor can explain the part under the cursor as well as the whole rule.
 */

/** One sub-expression and its reading. */
export interface ExplainedPart extends Span {
  /** The sub-expression as rule text (compact style). */
  source: string;
  /** Its reading: a condition ("the transaction's value is above 500") or a value ("the transaction's value"). */
  text: string;
  /** True when the part is a condition (true or false), false for a value. */
  condition: boolean;
}

export interface Explanation {
  /** The whole rule in one sentence: "Counts a transaction when …". */
  summary: string;
  /** For a rule whose top level is a chain of "and" (or "or") of three or more conditions: each condition's reading. */
  clauses: ExplainedPart[];
  /** Every sub-expression that reads as something of its own, outermost first. */
  parts: ExplainedPart[];
}

/** What the rule is evaluated for, by the target's `targetEntity` (target-groups page: TRANSACTION, LINEITEM, EVENT, REWARDS). */
const SUBJECTS: Record<string, string> = {
  TRANSACTION: 'a transaction',
  LINEITEM: 'a line item',
  EVENT: 'an event',
  REWARDS: 'a rewards activity',
  POINTS: 'a points activity',
};

/** What each profile name stands for in a sentence. */
const PROFILE_PHRASES: Record<string, string> = {
  currentTxn: 'the transaction',
  currentLineItem: 'the line item',
  currentEvent: 'the event',
  currentCustomer: 'the customer',
  currentStore: 'the store',
  currentTrackerCondition: 'the tracker case',
  tenderProfile: 'the payment method',
  returnBill: 'the return bill',
  currentCustomerPartner: 'the customer partner',
  groupPrimaryCustomer: "the group's primary customer",
  referrerCode: 'the referrer code',
  currentCard: 'the card',
  currentUserGroup: 'the user group',
};

/** Words of a camelCase name: "basketAmountSumNonDiscounted" -> "basket amount sum non discounted". */
export function words(name: string): string {
  return name
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .trim();
}

/** Attribute names whose plain words would mislead (the docs call a slab a tier). */
const ATTRIBUTE_WORDS: Record<string, string> = {
  slabName: 'tier name',
  slabNumber: 'tier number',
  initialSlabName: 'tier name before this event',
  initialSlabNumber: 'tier number before this event',
  slabChangeDate: 'tier change date',
  slabExpiryDate: 'tier expiry date',
  qty: 'quantity',
  totalQty: 'total quantity',
  basketSize: 'basket size (number of line items)',
};

const possessive = (phrase: string): string =>
  phrase.endsWith("'s") || phrase.endsWith("s'") ? phrase : phrase.endsWith('s') ? `${phrase}'` : `${phrase}'s`;

const COMPARISONS: Record<string, string> = {
  '>': 'is above',
  '>=': 'is at least',
  '<': 'is below',
  '<=': 'is at most',
  '==': 'is',
  '!=': 'is not',
};

const ARITHMETIC: Record<string, string> = { '+': 'plus', '-': 'minus', '*': 'times', '/': 'divided by' };

class Reader {
  readonly parts: ExplainedPart[] = [];
  constructor(private readonly types: Map<ExprNode, NodeType>) {}

  private record(node: ExprNode, text: string, condition: boolean): string {
    this.parts.push({ start: node.start, end: node.end, source: printExpression(node), text, condition });
    return text;
  }

  isCondition(node: ExprNode): boolean {
    if (node.kind === 'binary') return node.op === '&&' || node.op === '||' || node.op in COMPARISONS;
    if (node.kind === 'unary') return node.op === '!';
    if (node.kind === 'literal') return node.literalType === 'boolean';
    return this.types.get(node)?.value === 'boolean';
  }

  /** A string literal as the rule gives it (quoted), anything else as its reading. */
  private arg(node: ExprNode | undefined): string {
    if (!node) return '(missing)';
    return this.value(node);
  }

  /** The raw text of a string literal argument (unquoted), for attribute names in sentences. */
  private raw(node: ExprNode | undefined): string {
    if (node?.kind === 'literal') return node.value;
    return node ? this.value(node) : '(missing)';
  }

  /** A noun phrase for a value. */
  value(node: ExprNode): string {
    switch (node.kind) {
      case 'literal':
        return node.literalType === 'string' ? JSON.stringify(node.value) : node.value;
      case 'name':
        return PROFILE_PHRASES[node.name] ?? node.name;
      case 'member': {
        const owner = this.value(node.object);
        const name = node.property.name;
        const attribute = name.startsWith(EXTENDED_FIELD_PREFIX)
          ? `extended field "${name.slice(EXTENDED_FIELD_PREFIX.length)}"`
          : (ATTRIBUTE_WORDS[name] ?? words(name));
        return this.record(node, `${possessive(owner)} ${attribute}`, false);
      }
      case 'call':
        return this.isCondition(node) ? this.condition(node) : this.record(node, this.callValue(node), false);
      case 'unary':
        if (node.op === '!') return this.condition(node);
        return this.record(node, `minus ${this.value(node.operand)}`, false);
      case 'binary':
        if (this.isCondition(node)) return this.condition(node);
        if (node.op === '%')
          return this.record(node, `the remainder of ${this.value(node.left)} divided by ${this.value(node.right)}`, false);
        return this.record(node, `${this.value(node.left)} ${ARITHMETIC[node.op] ?? node.op} ${this.value(node.right)}`, false);
    }
  }

  private callValue(node: CallNode): string {
    const receiver = this.value(node.object);
    const [a, b, c] = node.args;
    const which = (regex: boolean): string => `the line items whose ${words(this.raw(a))} ${regex ? 'matches' : 'is'} ${this.arg(b)}`;
    const ifClause = (): string =>
      `the line items whose ${words(this.raw(a))} ${COMPARISONS[this.raw(b)] ?? this.raw(b)} ${c?.kind === 'literal' && /^-?\d+(\.\d+)?$/.test(c.value) ? c.value : this.arg(c)}`;
    switch (node.method.name) {
      case 'basketSum':
        return `the sum of the amounts of ${which(false)}`;
      case 'basketSumRegex':
        return `the sum of the amounts of ${which(true)}`;
      case 'basketSumGross':
        return `the sum of the gross amounts of ${which(false)}`;
      case 'basketSumRegexGross':
        return `the sum of the gross amounts of ${which(true)}`;
      case 'basketSumRegexBrandGross':
        return `the sum of the gross amounts of the line items whose brand matches ${this.arg(a)}`;
      case 'basketSumRegexCategoryGross':
        return `the sum of the gross amounts of the line items whose category matches ${this.arg(a)}`;
      case 'basketCount':
        return `the number of ${which(false)}`;
      case 'basketCountRegex':
        return `the number of ${which(true)}`;
      case 'basketQty':
        return `the quantity of ${which(false)}`;
      case 'basketQtyRegex':
        return `the quantity of ${which(true)}`;
      case 'basketSumIf':
        return `the sum of the amounts of ${ifClause()}`;
      case 'basketCountIf':
        return `the number of ${ifClause()}`;
      case 'basketQtyIf':
        return `the quantity of ${ifClause()}`;
      case 'interval':
        return `the interval ${receiver} falls in among the boundaries ${this.raw(a)} (1 for the first)`;
      case 'dateDiff':
        return `the difference between ${receiver} and ${this.arg(a)}`;
      case 'daysDiff':
      case 'daysDiffFromString':
        return `the days between ${receiver} and ${this.arg(a)}, ignoring the year`;
      case 'minutesDiff':
        return `the minutes between ${receiver} and ${this.arg(a)}`;
      case 'day':
        return `the day of the week of ${receiver} (Sunday is 1)`;
      case 'dayOfMonth':
        return `the day of the month of ${receiver}`;
      case 'month':
        return `the month of ${receiver}`;
      case 'year':
        return `the year of ${receiver}`;
      case 'trackerValueBeforeEvent':
        return `the value of tracker ${this.arg(a)} (case ${this.arg(b)}) before this event`;
      case 'trackerValueCurrentEvent':
        return `the value of tracker ${this.arg(a)} (case ${this.arg(b)}) including this event`;
      default:
        return `${receiver}'s ${words(node.method.name)}${node.args.length > 0 ? ` of ${node.args.map((x) => this.arg(x)).join(', ')}` : ''}`;
    }
  }

  private callCondition(node: CallNode): string {
    const receiver = this.value(node.object);
    const [a, b] = node.args;
    const n = (x: ExprNode | undefined): string => (x ? this.raw(x) : '0');
    const two = (x: ExprNode | undefined): string => n(x).padStart(2, '0');
    switch (node.method.name) {
      case 'doesItemMatch':
        return `${possessive(receiver)} ${words(this.raw(a))} is ${this.arg(b)}`;
      case 'basketIncludes':
        return `the basket has a line item whose ${words(this.raw(a))} is ${this.arg(b)}`;
      case 'basketIncludesRegex':
        return `the basket has a line item whose ${words(this.raw(a))} matches ${this.arg(b)}`;
      case 'basketIncludesRegexCategory':
        return `the basket has a line item whose category matches ${this.arg(a)}`;
      case 'basketExcludes':
        return `no line item of the basket has ${words(this.raw(a))} ${this.arg(b)}`;
      case 'basketExcludesRegex':
        return `no line item of the basket has a ${words(this.raw(a))} matching ${this.arg(b)}`;
      case 'customFieldValueIncludes':
        return `${possessive(receiver)} custom field ${this.arg(a)} is ${this.arg(b)}`;
      case 'customFieldValueExcludes':
        return `${possessive(receiver)} custom field ${this.arg(a)} is not ${this.arg(b)}`;
      case 'customFieldValueExists':
        return `${receiver} has the custom field ${this.arg(a)}${b ? ` with the value ${this.arg(b)}` : ''}`;
      case 'clusterValueIncludes':
        return b
          ? `${receiver} is in the segment ${this.arg(a)} with the value ${this.arg(b)}`
          : `${receiver} is in the segment ${this.arg(a)}`;
      case 'clusterValueExcludes':
        return b
          ? `${receiver} is not in the segment ${this.arg(a)} with the value ${this.arg(b)}`
          : `${receiver} is not in the segment ${this.arg(a)}`;
      case 'customerStatus':
        return `${possessive(receiver)} status is ${this.arg(a)}`;
      case 'customerStatusLabel':
        return `${possessive(receiver)} status is ${this.arg(a)} with the label ${this.arg(b)}`;
      case 'isSubscribedToChannel':
        return `${receiver} is subscribed to the channel ${this.arg(a)}`;
      case 'contains':
        return `${receiver} contains ${this.arg(a)}`;
      case 'matches':
        return `${receiver} matches the pattern ${this.arg(a)}`;
      case 'isNull':
        return `${receiver} is missing (null)`;
      case 'isNotNull':
        return `${receiver} is present (not null)`;
      case 'exists':
        return `${receiver} has a value`;
      case 'notExists':
      case 'isEmpty':
        return `${receiver} is empty or missing`;
      case 'isValidDate':
      case 'isValid':
        return `${receiver} is a valid date`;
      case 'isAfter':
      case 'isBefore': {
        const [y, m, d, h, mi, s] = node.args;
        const date = `${n(y)}-${two(m)}-${two(d)}${h ? ` ${two(h)}:${two(mi)}:${two(s)}` : ''}`;
        return `${receiver} is ${node.method.name === 'isAfter' ? 'after' : 'before'} ${date}`;
      }
      case 'isHourBetween':
        return `the hour of ${receiver} is between ${n(a)} and ${n(b)}`;
      case 'isTimeBetween': {
        const [fh, fm, th, tm] = node.args;
        return `the time of ${receiver} is between ${n(fh)}:${two(fm)} and ${n(th)}:${two(tm)}`;
      }
      case 'isWeekday':
        return `${receiver} falls on a weekday`;
      case 'isWeekend':
        return `${receiver} falls on a weekend`;
      default:
        return `${receiver} ${words(node.method.name)}${node.args.length > 0 ? ` ${node.args.map((x) => this.arg(x)).join(', ')}` : ''}`;
    }
  }

  /** A clause for a condition. */
  condition(node: ExprNode): string {
    switch (node.kind) {
      case 'literal':
        return this.record(node, node.value === 'true' ? 'always' : node.value === 'false' ? 'never' : `${this.value(node)} holds`, true);
      case 'name':
      case 'member': {
        if (node.kind === 'member' && /^(is|has|does)[A-Z]/.test(node.property.name)) {
          const owner = this.value(node.object);
          return this.record(node, `${owner} ${words(node.property.name)}`, true);
        }
        return this.record(node, `${this.value(node)} is true`, true);
      }
      case 'call':
        return this.record(node, this.callCondition(node), true);
      case 'unary':
        if (node.op === '!') return this.record(node, `it is not the case that ${this.condition(node.operand)}`, true);
        return this.record(node, `${this.value(node)} is true`, true);
      case 'binary': {
        if (node.op === '&&' || node.op === '||') {
          const joiner = node.op === '&&' ? 'and' : 'or';
          const side = (child: ExprNode): string => {
            const text = this.condition(child);
            if (child.kind === 'binary' && (child.op === '&&' || child.op === '||') && child.op !== node.op)
              return child.op === '||' ? `either ${text}` : `both ${text}`;
            return text;
          };
          const left = side(node.left);
          const right = side(node.right);
          return this.record(node, `${left} ${joiner} ${right}`, true);
        }
        if (node.op in COMPARISONS) {
          if (
            node.right.kind === 'literal' &&
            node.right.literalType === 'boolean' &&
            (node.op === '==' || node.op === '!=') &&
            this.isCondition(node.left)
          ) {
            const truth = (node.right.value === 'true') === (node.op === '==');
            const clause = this.condition(node.left);
            return this.record(node, truth ? clause : `it is not the case that ${clause}`, true);
          }
          const left = this.value(node.left);
          const right = this.value(node.right);
          return this.record(node, `${left} ${COMPARISONS[node.op]} ${right}`, true);
        }
        return this.record(node, `${this.value(node)} is true`, true);
      }
    }
  }
}

/** The conditions of a top-level chain of one logical operator (`a && b && c` -> [a, b, c]). */
function chain(node: ExprNode, op: '&&' | '||'): ExprNode[] {
  return node.kind === 'binary' && node.op === op ? [...chain(node.left, op), ...chain(node.right, op)] : [node];
}

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** The reading of a parsed rule; `targetEntity` names what it counts ("a transaction", "an event"). */
export function explainAst(ast: ExprNode, options: { targetEntity?: string | undefined } = {}): Explanation {
  const reader = new Reader(analyze(ast).types);
  const subject = SUBJECTS[options.targetEntity ?? ''] ?? 'an activity';
  if (!reader.isCondition(ast)) {
    const value = reader.value(ast);
    return {
      summary: `Evaluates to ${value}, which is not a condition: a rule must be true or false for ${subject}.`,
      clauses: [],
      parts: reader.parts,
    };
  }
  const whole = reader.condition(ast);
  const parts = [...reader.parts].sort((a, b) => a.start - b.start || b.end - a.end);
  const partOf = (n: ExprNode): ExplainedPart | undefined => parts.find((p) => p.start === n.start && p.end === n.end && p.condition);
  if (ast.kind === 'literal' && ast.literalType === 'boolean') {
    return {
      summary: ast.value === 'true' ? `Counts every ${subject.replace(/^an? /, '')}.` : `Never counts anything (the rule is always false).`,
      clauses: [],
      parts,
    };
  }
  for (const op of ['&&', '||'] as const) {
    const list = chain(ast, op);
    if (list.length >= 3) {
      const clauses = list.map(partOf).filter((p): p is ExplainedPart => p !== undefined);
      const head = op === '&&' ? 'all of these hold' : 'any of these holds';
      return { summary: `Counts ${subject} when ${head}: ${clauses.map((c) => c.text).join('; ')}.`, clauses, parts };
    }
  }
  return { summary: `Counts ${subject} when ${whole}.`, clauses: [], parts };
}

/** The reading of rule text; a rule that does not parse gives the parse error's message instead (never throws). */
export function explainExpression(text: string, options: { targetEntity?: string | undefined } = {}): Explanation | { error: string } {
  const { ast, errors } = parseExpression(text);
  if (!ast) return { error: errors[0]?.message ?? 'The rule does not parse.' };
  return explainAst(ast, options);
}

/** The innermost sub-expression with a reading of its own at `offset` (a condition before a value). */
export function partAt(explanation: Explanation, offset: number): ExplainedPart | undefined {
  const inside = explanation.parts.filter((p) => offset >= p.start && offset <= p.end);
  const innermost = (list: ExplainedPart[]): ExplainedPart | undefined =>
    list.reduce<ExplainedPart | undefined>((best, p) => (!best || p.end - p.start < best.end - best.start ? p : best), undefined);
  return innermost(inside.filter((p) => p.condition)) ?? innermost(inside);
}

/**
 * Hover for the rule under the cursor: the whole rule in words, then the part at `offset` when
 * it is smaller than the rule; the range is that part's (the whole rule's otherwise). Undefined
 * while the rule does not parse.
 */
export function explainHoverAt(
  text: string,
  offset: number,
  options: { targetEntity?: string | undefined } = {},
): ExpressionHover | undefined {
  const explanation = explainExpression(text, options);
  if ('error' in explanation) return undefined;
  const lines = [`**In words:** ${capitalize(explanation.summary)}`];
  if (explanation.clauses.length > 0) lines.push('', ...explanation.clauses.map((c) => `- ${c.text}`));
  const whole = explanation.parts[0];
  const part = partAt(explanation, offset);
  const smaller = part && !(whole && part.start === whole.start && part.end === whole.end) ? part : undefined;
  if (smaller) lines.push('', `**This part** \`${smaller.source}\`: ${smaller.text}`);
  const range = smaller ?? whole ?? { start: 0, end: text.length };
  return { start: range.start, end: range.end, markdown: lines.join('\n') };
}
