import * as vscode from 'vscode';
import { TRACKING_TYPES, type GroupFilter } from '../../../../core/browser/filter';
import type { CommandFactory } from '../../../commands/register';
import type { TargetGroupsParts } from './shared';

interface Choice<T> extends vscode.QuickPickItem {
  value: T;
}

/**
 * "Filter Target Groups…": `(filter?)` sets it directly (tests, automation); else two steps,
 * status then tracking type, with the current filter preselected. Escape leaves the filter as
 * it was; the name search is kept.
 */
export const filter: CommandFactory<TargetGroupsParts> =
  (parts) =>
  async (filterArg?: unknown): Promise<void> => {
    if (filterArg && typeof filterArg === 'object' && !('key' in filterArg)) {
      parts.model.setFilter(filterArg);
      return;
    }
    const current = parts.model.filter;
    const title = vscode.l10n.t('Filter Target Groups');
    const states: Choice<boolean | undefined>[] = [
      { label: vscode.l10n.t('Active and inactive'), value: undefined },
      { label: vscode.l10n.t('Active only'), value: true },
      { label: vscode.l10n.t('Inactive only'), value: false },
    ];
    const state = await vscode.window.showQuickPick(
      states.map((c) => ({ ...c, picked: c.value === current?.active })),
      { title: `${title} (1/2)`, placeHolder: vscode.l10n.t('Status') },
    );
    if (!state) return;
    // The documented tracking types, and any other the org's groups use.
    const seen = (parts.model.groups ?? []).map((g) => g.trackingType).filter((t): t is string => typeof t === 'string' && t !== '');
    const types = [...new Set<string>([...TRACKING_TYPES, ...seen])];
    const type = await vscode.window.showQuickPick(
      [
        { label: vscode.l10n.t('Any tracking type'), value: undefined as string | undefined },
        ...types.map((t) => ({ label: t, value: t })),
      ].map((c) => ({ ...c, picked: c.value === current?.trackingType })),
      { title: `${title} (2/2)`, placeHolder: vscode.l10n.t('Tracking type') },
    );
    if (!type) return;
    const next: GroupFilter = { ...(current?.name !== undefined ? { name: current.name } : {}) };
    if (state.value !== undefined) next.active = state.value;
    if (type.value !== undefined) next.trackingType = type.value;
    parts.model.setFilter(next);
  };
