import type { TargetDefinition, TargetGroupDefinition } from '../definition';
import { progressPerPeriod } from '../ruletests/run';
import type { ProfileData } from '../expression/evaluate';
import { caseProfiles, evaluateTarget, periodLabel, type TargetOutcome } from '../ruletests/target';
import type { Catalogue } from './catalogue';
import { billCase, type Bill, type Customer, type LineItem } from './model';

/**
 * A draft target on a customer's bills: each bill (or its line items, for a LINEITEM target)
 * evaluated by the rule-test evaluator, a return taking its contribution off, aggregated per
 * period by targetType; beside it what the platform tracked for the same bill when known.
 */

export interface SimulatedBill {
  billId: number;
  number: string | undefined;
  date: string | undefined;
  type: string;
  periodLabel: string | undefined;
  /** What the platform tracked for this bill (its tracked events' values), undefined when it tracked nothing. */
  platformValue: number | undefined;
  draft: { counted: boolean | 'unknown'; contribution: number | 'unknown'; reason?: string | undefined };
  /** The draft counts it differently from the platform. */
  differs: boolean;
  /** Why it counts differently (the rule's deciding sub-expressions). */
  why?: string | undefined;
}

export interface BillPeriod {
  index: number;
  label: string;
  target: number | undefined;
  progress: number | 'unknown';
  achieved: boolean | 'unknown';
  reason?: string | undefined;
  /** The readings the result rests on that the docs do not settle. */
  readings: string[];
}

/** The readings of a rule the docs leave open, by what the rule reads (README "What the simulation can and cannot know"). */
export function undocumentedReadings(target: TargetDefinition, catalogue?: Catalogue): string[] {
  const rule = `${typeof target.expression === 'string' ? target.expression : ''} ${typeof target.expressionJson === 'string' ? target.expressionJson : ''}`;
  const out: string[] = [];
  if (/basketAmountSumNonDiscounted/.test(rule))
    out.push('basketAmountSumNonDiscounted read as the sum of the line items without a discount (undocumented)');
  if (/currentCustomer\.\w*(slab|Points|lifetimePurchase|customField|clusterValue)/i.test(rule))
    out.push('currentCustomer read from the current profile, not as at the bill date');
  if (catalogue) out.push(...catalogue.readings(target));
  else if (/basket\w*\(|doesItemMatch/.test(rule))
    out.push("inventory attributes read from the line items' attributes sent with the bill (the catalogue's naming is undocumented)");
  if (/currentTxn\.basketSize/.test(rule))
    out.push("basketSize read as the number of line items (the API's basketSize is the total quantity)");
  if (/currentTxn\.value/.test(rule)) out.push('currentTxn.value read as the net bill amount');
  return out;
}

const RETURN_READING = 'a return takes its contribution off the period (how targets treat returns is undocumented)';

/** One bill's outcome, with a return's contribution negated; inventory attributes from the catalogue when given. */
export function billOutcome(
  definition: TargetGroupDefinition,
  target: TargetDefinition,
  bill: Bill,
  customer: Customer | undefined,
  timezone: string | undefined,
  catalogue?: Catalogue,
): TargetOutcome {
  const outcome = evaluateTarget(definition, target, billCase(bill, customer, catalogue?.attributesOf(target)), { timezone });
  if (bill.type === 'RETURN' && outcome.counted === true && typeof outcome.contribution === 'number')
    return { ...outcome, contribution: -outcome.contribution };
  return outcome;
}

/**
 * The evaluator's profiles a rule is judged on for one bill, as the platform's evaluation log
 * lists its verdicts: the bill once for a TRANSACTION target, each line item in order for a
 * LINEITEM one (`currentLineItem`); line items' inventory attributes from `attributesOf`.
 */
export function ruleContexts(
  bill: Bill,
  customer: Customer | undefined,
  target: Pick<TargetDefinition, 'targetEntity'>,
  attributesOf?: (item: LineItem) => Record<string, unknown>,
): Array<Record<string, ProfileData>> {
  const profiles = caseProfiles(billCase(bill, customer, attributesOf), undefined);
  if (target.targetEntity !== 'LINEITEM') return [profiles];
  const items = (profiles.currentTxn?.lineItems as Record<string, unknown>[] | undefined) ?? [];
  return items.map((li) => ({ ...profiles, currentLineItem: li }));
}

/** Per period: the outcomes summed by targetType (progressPerPeriod), a period never below 0. */
export function billPeriods(
  definition: TargetGroupDefinition,
  target: TargetDefinition,
  outcomes: readonly TargetOutcome[],
  returnsIn: ReadonlySet<number>,
  catalogue?: Catalogue,
): BillPeriod[] {
  const readings = undocumentedReadings(target, catalogue);
  return progressPerPeriod(definition, target, outcomes).map((row) => {
    let progress = row.progress;
    if (typeof progress === 'number') progress = Math.max(0, Math.round(progress * 1000) / 1000);
    const achieved = typeof progress === 'number' && row.target !== undefined ? progress >= row.target : row.achieved;
    return {
      index: row.index,
      label: row.label,
      target: row.target,
      progress,
      achieved,
      ...(row.reason ? { reason: row.reason } : {}),
      readings: returnsIn.has(row.index) ? [...readings, RETURN_READING] : readings,
    };
  });
}

const show = (n: number): string => String(Math.round(n * 1000) / 1000);

/** Why the draft and the platform differ on a bill, from the rule's deciding sub-expressions. */
function whyDiffers(outcome: TargetOutcome, platform: number | undefined): string | undefined {
  const trace = outcome.trace.length > 0 ? `: ${outcome.trace.join('; ')}` : '';
  if (outcome.counted === 'unknown') return `the draft cannot decide (${outcome.reason ?? 'unknown'})${trace}`;
  if (outcome.counted === false)
    return platform === undefined
      ? undefined
      : `the platform tracked ${show(platform)}, the draft does not count it (${outcome.reason ?? 'the rule is false'})${trace}`;
  const mine = outcome.contribution;
  if (platform === undefined)
    return `the draft counts it (${typeof mine === 'number' ? show(mine) : 'unknown'}), the platform tracked nothing for it${trace}`;
  if (typeof mine === 'number' && Math.abs(mine - platform) > 0.005)
    return `the draft adds ${show(mine)}, the platform tracked ${show(platform)}${outcome.reason ? ` (${outcome.reason})` : ''}`;
  return undefined;
}

/**
 * The simulated bills of one target, each beside the platform's tracked value for it. A VISIT
 * target counts a day once: a later bill of a day already visited adds nothing, so it agrees with
 * a platform that tracked nothing for it.
 */
export function simulatedBills(
  definition: TargetGroupDefinition,
  bills: readonly Bill[],
  outcomes: readonly TargetOutcome[],
  tracked: ReadonlyMap<string, number> | undefined,
  target?: TargetDefinition,
): SimulatedBill[] {
  const visited = new Set<string>();
  return bills.map((bill, i) => {
    let outcome = outcomes[i] as TargetOutcome;
    if (target?.targetType === 'VISIT' && outcome.counted === true && outcome.periodIndex !== undefined && outcome.day !== undefined) {
      const day = `${outcome.periodIndex}:${outcome.day}`;
      if (visited.has(day)) outcome = { ...outcome, counted: false, contribution: 0, reason: 'the day already has a visit', trace: [] };
      visited.add(day);
    }
    const platformValue = tracked?.get(String(bill.id));
    const why = tracked ? whyDiffers(outcome, platformValue) : outcome.counted === 'unknown' ? whyDiffers(outcome, undefined) : undefined;
    return {
      billId: bill.id,
      number: bill.number,
      date: bill.billingTime,
      type: bill.type,
      periodLabel: outcome.periodIndex !== undefined ? periodLabel(definition.periods, outcome.periodIndex) : undefined,
      platformValue,
      draft: {
        counted: outcome.counted,
        contribution: outcome.contribution,
        ...(outcome.reason || outcome.trace[0]
          ? { reason: outcome.counted === false && outcome.trace[0] ? outcome.trace[0] : outcome.reason }
          : {}),
      },
      differs: why !== undefined,
      ...(why ? { why } : {}),
    };
  });
}
