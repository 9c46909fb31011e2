import * as vscode from 'vscode';
import { ENROLLMENT_TYPES, parseRuleIds, parseTrackingDate, type EnrollmentType, type TargetsFilter } from '../../../core/explorer/index';

interface Choice<T> extends vscode.QuickPickItem {
  value: T;
}

/**
 * Asks, in four steps, for the enrolled-targets filter the Get active targets API supports:
 * enrollment type, target rule ids, tracking date (the date the target was created), user-created only. The current filter is preselected;
 * Escape at any step cancels (undefined) and leaves the filter as it was.
 */
export async function promptTargetsFilter(customerId: number, current: TargetsFilter | undefined): Promise<TargetsFilter | undefined> {
  const title = vscode.l10n.t('Filter the targets of customer {0}', customerId);
  const types: Choice<EnrollmentType | undefined>[] = [
    { label: vscode.l10n.t('Any enrollment type'), value: undefined },
    ...ENROLLMENT_TYPES.map((t) => ({ label: t, value: t, description: enrollmentTypeDescription(t) })),
  ];
  const type = await vscode.window.showQuickPick(
    types.map((c) => ({ ...c, picked: c.value === current?.enrollmentType })),
    {
      title: `${title} (1/4)`,
      placeHolder: vscode.l10n.t('Enrollment type (current: {0})', current?.enrollmentType ?? vscode.l10n.t('any')),
    },
  );
  if (!type) return undefined;

  const ruleText = await vscode.window.showInputBox({
    title: `${title} (2/4)`,
    prompt: vscode.l10n.t('Target rule ids, separated by commas; leave empty for all targets.'),
    value: (current?.targetRuleIds ?? []).join(', '),
    validateInput: (text) => {
      const parsed = parseRuleIds(text);
      return parsed.ok ? undefined : parsed.message;
    },
  });
  if (ruleText === undefined) return undefined;
  const ruleIds = parseRuleIds(ruleText);
  if (!ruleIds.ok) return undefined;

  const dateText = await vscode.window.showInputBox({
    title: `${title} (3/4)`,
    prompt: vscode.l10n.t(
      'Tracking date: the date when the target was created (YYYY-MM-DD or epoch milliseconds); leave empty for any date.',
    ),
    value: current?.trackingDate !== undefined ? new Date(current.trackingDate).toISOString().slice(0, 10) : '',
    validateInput: (text) => {
      const parsed = parseTrackingDate(text);
      return parsed.ok ? undefined : parsed.message;
    },
  });
  if (dateText === undefined) return undefined;
  const trackingDate = parseTrackingDate(dateText);
  if (!trackingDate.ok) return undefined;

  const scopes: Choice<boolean>[] = [
    { label: vscode.l10n.t('All targets'), value: false },
    { label: vscode.l10n.t('Only user-created targets'), value: true, description: vscode.l10n.t('goals customers set themselves') },
  ];
  const scope = await vscode.window.showQuickPick(scopes, {
    title: `${title} (4/4)`,
    placeHolder: vscode.l10n.t('Which targets to include'),
  });
  if (!scope) return undefined;

  const filter: TargetsFilter = {};
  if (type.value) filter.enrollmentType = type.value;
  if (ruleIds.value.length > 0) filter.targetRuleIds = ruleIds.value;
  if (trackingDate.value !== undefined) filter.trackingDate = trackingDate.value;
  if (scope.value) filter.includeOnlyUserCreated = true;
  return filter;
}

function enrollmentTypeDescription(type: EnrollmentType): string {
  switch (type) {
    case 'TRANSACTION':
      return vscode.l10n.t('customers who transact during the target period');
    case 'IMPORT':
      return vscode.l10n.t('imported customers with custom target values');
    case 'AUDIENCE_FILTER':
      return vscode.l10n.t('customers of an audience filter');
  }
}
