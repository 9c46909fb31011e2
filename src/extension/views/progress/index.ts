import * as vscode from 'vscode';
import type { ExplorerModel } from '../../../core/explorer/index';
import type { StudioContext } from '../../context';
import { ProgressPanel } from './panel';

/**
 * The open customer progress views, one per customer (or customer and target). Each reloads
 * when the explorer refreshes its customer (or everything) and when the connection changes.
 */
export class ProgressPanels implements vscode.Disposable {
  private readonly panels = new Map<string, ProgressPanel>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly ctx: StudioContext,
    model: ExplorerModel,
  ) {
    const sub = model.onDidChange((node) => {
      // A refresh of the view or of this customer's row reloads the customer's views.
      if (node === undefined) this.reloadWhere(() => true);
      else if (node.kind === 'customer') this.reloadWhere((p) => p.customerId === node.customerId);
    });
    this.subscriptions.push(
      { dispose: () => sub.dispose() },
      ctx.connections.onDidChange(() => this.reloadWhere(() => true)),
    );
  }

  /** Opens (or shows) the progress view of a customer, or of one of their targets; selects a period when given. */
  show(customerId: number, targetRuleId?: number, periodId?: number): ProgressPanel {
    const key = targetRuleId === undefined ? `${customerId}` : `${customerId}/${targetRuleId}`;
    let panel = this.panels.get(key);
    if (panel) {
      panel.reveal();
    } else {
      panel = new ProgressPanel(this.ctx, customerId, targetRuleId, () => this.panels.delete(key));
      this.panels.set(key, panel);
      void panel.load();
    }
    if (targetRuleId !== undefined && periodId !== undefined) panel.select(targetRuleId, periodId);
    return panel;
  }

  private reloadWhere(predicate: (p: ProgressPanel) => boolean): void {
    for (const p of this.panels.values()) if (predicate(p)) void p.load();
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
    for (const p of [...this.panels.values()]) p.dispose();
    this.panels.clear();
  }
}
