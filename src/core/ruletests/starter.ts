import { isRecord, parseDefinitionText, parsePlatformDate, type TargetDefinition, type TargetGroupDefinition } from '../definition';
import type { PeriodExpectation, RuleTestCase, RuleTestFile, TargetExpectation } from './model';
import { evaluateTarget } from './target';
import { progressPerPeriod } from './run';

const HOUR = 3_600_000;

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('.000Z', 'Z');
}

/** A sample activity for a target, dated `at`: a transaction with two line items, or its behavioural event. */
function sampleFor(target: TargetDefinition, at: number): Omit<RuleTestCase, 'name'> {
  const c: Omit<RuleTestCase, 'name'> = {};
  if (target.targetEntity === 'EVENT') {
    const field =
      isRecord(target.extendedFieldInfo) && typeof target.extendedFieldInfo.name === 'string' ? target.extendedFieldInfo.name : undefined;
    c.event = { name: target.eventName ?? 'SampleEvent', date: iso(at), attributes: field ? { [field]: 10 } : {} };
  } else {
    c.transaction = {
      date: iso(at),
      number: 'T-1001',
      value: 600,
      amount: 570,
      grossAmount: 600,
      points: 60,
      promotionalPoints: 15,
      lineItems: [
        { code: 'SKU-1', qty: 2, rate: 200, discount: 30, attributes: { BrandName: 'Puma', category: 'Shoes' } },
        { code: 'SKU-2', qty: 1, rate: 200, attributes: { BrandName: 'Nike', category: 'Shoes' } },
      ],
    };
  }
  const store: Record<string, unknown> = {};
  for (const filter of target.filters ?? []) {
    const id: unknown = isRecord(filter) && Array.isArray(filter.entityIds) ? filter.entityIds[0] : undefined;
    if (id === undefined) continue;
    store[filter.entityType === 'ZONE' ? 'zoneId' : filter.entityType === 'CONCEPT' ? 'conceptId' : 'id'] = id;
  }
  if (Object.keys(store).length > 0) c.store = store;
  return c;
}

/**
 * A starter rule-test file for a definition: per target, one sample activity in the first
 * period with what the rule makes of it today, one before the first period (never counted),
 * and a sequence with the first period's progress against its defaultValue. Meant to be edited:
 * change the samples to the cases the rule must (and must not) count.
 */
export function starterRuleTests(definition: TargetGroupDefinition, definitionFileName: string): RuleTestFile {
  const firstStart =
    typeof definition.periods?.[0]?.startDate === 'string' ? parsePlatformDate(definition.periods[0].startDate)?.start : undefined;
  const start = firstStart ?? Date.UTC(new Date().getUTCFullYear() + 1, 0, 1);
  const targets = (definition.targets ?? []).filter(
    (t): t is TargetDefinition & { name: string } => isRecord(t) && typeof t.name === 'string' && t.name !== '',
  );
  const cases: RuleTestCase[] = [];
  const probes = targets.map((target): RuleTestCase => ({
    name: `${target.name}: a sample activity in the first period`,
    ...sampleFor(target, start + 36 * HOUR),
  }));
  const sequenceExpect: Record<string, PeriodExpectation[]> = {};
  targets.forEach((target, i) => {
    const probe = probes[i] as RuleTestCase;
    const outcome = evaluateTarget(definition, target, probe, {});
    const expectation: TargetExpectation = { counted: outcome.counted === 'unknown' ? true : outcome.counted };
    if (typeof outcome.contribution === 'number' && outcome.counted === true) expectation.contribution = outcome.contribution;
    cases.push({ ...probe, expect: { [target.name]: expectation } });
    cases.push({
      name: `${target.name}: an activity before the first period is not counted`,
      ...sampleFor(target, start - 36 * HOUR),
      expect: { [target.name]: { counted: false } },
    });
    const rows = progressPerPeriod(
      definition,
      target,
      probes.map((p) => evaluateTarget(definition, target, p, {})),
    );
    const first = rows[0];
    if (first && first.progress !== 'unknown' && first.achieved !== 'unknown')
      sequenceExpect[target.name] = [{ period: first.label, progress: first.progress, achieved: first.achieved }];
  });
  const file: RuleTestFile = { definition: `./${definitionFileName}`, timezone: '+00:00', cases };
  if (Object.keys(sequenceExpect).length > 0) {
    file.sequences = [{ name: 'First period progress', cases: probes.map((p) => p.name), expect: sequenceExpect }];
  }
  return file;
}

/**
 * The starter file as text, with its $schema pointing at `schemaPath` (relative to the file);
 * without one (in VS Code the schema comes with the file name) it has no $schema.
 */
export function starterRuleTestText(definition: TargetGroupDefinition, definitionFileName: string, schemaPath?: string): string {
  const { $schema: _unused, ...rest } = starterRuleTests(definition, definitionFileName);
  return JSON.stringify(schemaPath ? { $schema: schemaPath, ...rest } : rest, null, 2) + '\n';
}

/** The starter file for a definition's text; undefined when the text is not a definition object. */
export function starterRuleTestTextFor(definitionText: string, definitionFileName: string, schemaPath?: string): string | undefined {
  const value = parseDefinitionText(definitionText).value;
  return isRecord(value) ? starterRuleTestText(value, definitionFileName, schemaPath) : undefined;
}
