import templates from '../../../snippets/templates/new-milestone.json';

/** The templates of "New Milestone…" (snippets/templates/new-milestone.json). */
interface TrackingTemplate {
  label: string;
  detail: string;
  periods: number;
  targets: number;
  group: Record<string, unknown>;
  streaks?: Record<string, unknown>[];
}
interface EntityTemplate {
  label: string;
  detail: string;
  defaultValue: number;
  target: Record<string, unknown>;
}

export const TRACKING_TYPES = templates.trackingTypes as Record<string, TrackingTemplate>;
export const TARGET_ENTITIES = templates.targetEntities as Record<string, EntityTemplate>;

/** The documented literal-true rule (create-target-group-behavioral-events). */
const TRUE_EXPRESSION_JSON = '{"arity":"literal","value":"true","type":"boolean:primitive"}';

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Monthly periods starting on the first day of next month (UTC), so none is in the past. */
function monthlyPeriods(count: number, now: Date): { startDate: string; endDate: string }[] {
  const periods = [];
  for (let i = 1; i <= count; i++) {
    const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + i, 1));
    const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + i + 1, 0, 23, 59, 59));
    periods.push({ startDate: iso(start), endDate: iso(end) });
  }
  return periods;
}

/**
 * A valid create-mode definition (JSONC, with a leading comment) for a tracking type and a
 * target entity. Throws for an unknown type or entity.
 */
export function renderTemplate(trackingType: string, targetEntity: string, options: { name?: string; now?: Date } = {}): string {
  const tracking = TRACKING_TYPES[trackingType];
  const entity = TARGET_ENTITIES[targetEntity];
  if (!tracking) throw new Error(`Unknown tracking type "${trackingType}"; use one of ${Object.keys(TRACKING_TYPES).join(', ')}`);
  if (!entity) throw new Error(`Unknown target entity "${targetEntity}"; use one of ${Object.keys(TARGET_ENTITIES).join(', ')}`);
  const now = options.now ?? new Date();
  const periods = monthlyPeriods(tracking.periods, now).map((p, i) => ({
    active: true,
    description: `Month ${i + 1}`,
    refCode: `Cycle_${i + 1}`,
    ...p,
  }));
  const targets = Array.from({ length: tracking.targets }, (_, i) => ({
    name: `${targetEntity.toLowerCase()}_target_${i + 1}`,
    description: entity.detail,
    active: true,
    ...entity.target,
    expression: 'true',
    expressionJson: TRUE_EXPRESSION_JSON,
    defaultValues: periods.map(() => ({ defaultValue: entity.defaultValue })),
  }));
  const definition = {
    name: options.name ?? `${tracking.label} ${entity.label.toLowerCase()} milestone ${iso(now).slice(0, 10)}`,
    description: tracking.detail,
    active: true,
    ...tracking.group,
    fromDate: periods[0]?.startDate,
    toDate: periods[periods.length - 1]?.endDate,
    totalPeriods: periods.length,
    periods,
    ...(tracking.streaks ? { streaks: tracking.streaks } : {}),
    targets,
  };
  return [
    `// A new ${tracking.label} milestone tracking ${entity.label}. Hover a field for its documentation.`,
    '// Deploy it with the "Deploy" CodeLens above; the platform ids are then written into this file.',
    JSON.stringify(definition, null, 2),
    '',
  ].join('\n');
}
