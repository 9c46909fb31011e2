import * as vscode from 'vscode';
import {
  describeFilter,
  describeNode,
  type ExplorerModel,
  type ExplorerNode,
  type Problem,
  type ProblemNode,
} from '../../../core/explorer/index';
import type { Connections } from '../../connections/service';
import { COMMANDS, VIEW_ID } from './ids';

/** `contextValue` of a node; package.json `when` clauses match these (`viewItem =~ /^milestones\.customer/`). */
export function contextValueOf(node: ExplorerNode, model: ExplorerModel): string {
  switch (node.kind) {
    case 'customer':
      return model.filterOf(node.customerId) ? 'milestones.customer.filtered' : 'milestones.customer';
    case 'event':
      if (node.requestId) return 'milestones.event.behavioural';
      // ENROL and UNENROL rows carry no usable id (eventLogId -1, no uniqueId): no "Copy Id".
      return model.idOf(node) === undefined ? 'milestones.event.noId' : 'milestones.event';
    case 'problem':
      return `milestones.problem.${node.problem.kind}`;
    default:
      return `milestones.${node.kind}`;
  }
}

function eventIcon(eventName: string, behavioural: boolean): string {
  if (behavioural) return 'symbol-event';
  switch (eventName) {
    case 'ADD_TRANSACTION':
      return 'credit-card';
    case 'RETURN_BILL':
      return 'discard';
    case 'ENROL':
      return 'person-add';
    case 'UNENROL':
      return 'person';
    default:
      return 'circle-small-filled';
  }
}

function iconOf(node: ExplorerNode): vscode.ThemeIcon {
  switch (node.kind) {
    case 'customer':
      return new vscode.ThemeIcon('account');
    case 'target':
      if (node.target.active === false) return new vscode.ThemeIcon('circle-slash');
      return node.progress?.current?.isAchieved
        ? new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'))
        : new vscode.ThemeIcon('target');
    case 'period': {
      const p = node.progress;
      if (p?.isAchieved) return new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'));
      if (p?.current) return new vscode.ThemeIcon('play-circle', new vscode.ThemeColor('charts.blue'));
      return new vscode.ThemeIcon('calendar');
    }
    case 'event':
      return new vscode.ThemeIcon(eventIcon(node.event.eventName, node.requestId !== undefined));
    case 'eventData':
      return new vscode.ThemeIcon('json');
    case 'field':
      return new vscode.ThemeIcon(node.value !== null && typeof node.value === 'object' ? 'symbol-object' : 'symbol-field');
    case 'loadMore':
      return new vscode.ThemeIcon('more');
    case 'problem':
      return problemIcon(node.problem);
  }
}

/** The icon of a problem row: an error or an info sign (the Target Groups view's problems too). */
export function problemIcon(problem: Problem): vscode.ThemeIcon {
  return problem.severity === 'error'
    ? new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'))
    : new vscode.ThemeIcon('info', new vscode.ThemeColor('problemsInfoIcon.foreground'));
}

function collapsibleOf(node: ExplorerNode): vscode.TreeItemCollapsibleState {
  switch (node.kind) {
    case 'customer':
    case 'target':
    case 'period':
    case 'eventData':
      return vscode.TreeItemCollapsibleState.Collapsed;
    case 'event':
      return node.requestId ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None;
    case 'field':
      return node.value !== null && typeof node.value === 'object'
        ? vscode.TreeItemCollapsibleState.Collapsed
        : vscode.TreeItemCollapsibleState.None;
    default:
      return vscode.TreeItemCollapsibleState.None;
  }
}

/** The command a click on a problem node runs: sign in, retry (refresh its owner) or edit the filter. */
function problemCommand(node: ProblemNode): vscode.Command | undefined {
  switch (node.problem.action) {
    case 'sign-in':
      return { command: COMMANDS.signIn, title: vscode.l10n.t('Sign In') };
    case 'retry':
      return { command: COMMANDS.refresh, title: vscode.l10n.t('Retry'), arguments: [node.owner] };
    case 'edit-filter':
      return { command: COMMANDS.filterTargets, title: vscode.l10n.t('Filter Targets…'), arguments: [node.owner] };
    default:
      return undefined;
  }
}

/** What a load is about, for the view's message while it runs. */
function loadingMessage(node: ExplorerNode | undefined): string {
  switch (node?.kind) {
    case 'customer':
      return vscode.l10n.t('Loading the targets of customer {0}…', node.customerId);
    case 'target':
    case 'period':
    case 'loadMore':
      return vscode.l10n.t('Loading events…');
    case 'event':
      return vscode.l10n.t('Loading event data…');
    default:
      return vscode.l10n.t('Loading…');
  }
}

/**
 * Turns the core model's nodes into tree items. The model owns the data, the loads and their
 * cancellation; this class only renders and shows progress in the view while a load runs.
 */
export class CustomerTreeProvider implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly pending = new Map<Promise<unknown>, string>();
  private readonly subscriptions: vscode.Disposable[] = [this.emitter];
  /** Set once the TreeView exists: where the loading message is shown. */
  view: vscode.TreeView<ExplorerNode> | undefined;
  /** Told of each load as it starts (the Output channel's request stats). */
  onLoad: ((load: Promise<unknown>, node: ExplorerNode) => void) | undefined;

  constructor(
    readonly model: ExplorerModel,
    private readonly connections: Pick<Connections, 'active'>,
  ) {
    const sub = model.onDidChange((node) => this.emitter.fire(node));
    this.subscriptions.push({ dispose: () => sub.dispose() });
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    const filter = node.kind === 'customer' ? describeFilter(this.model.filterOf(node.customerId)) : undefined;
    const customerName = node.kind === 'customer' ? this.model.progressOf(node.customerId)?.name : undefined;
    const text = describeNode(node, { ...(filter ? { filter } : {}), ...(customerName ? { customerName } : {}) });
    const item = new vscode.TreeItem(text.label, collapsibleOf(node));
    item.id = node.key;
    if (text.description !== undefined) item.description = text.description;
    item.tooltip = text.tooltip;
    item.iconPath = iconOf(node);
    item.contextValue = contextValueOf(node, this.model);
    if (node.kind === 'loadMore') item.command = { command: COMMANDS.loadMore, title: text.label, arguments: [node] };
    else if (node.kind === 'problem') {
      const command = problemCommand(node);
      if (command) item.command = command;
    }
    return item;
  }

  /**
   * The roots are empty in an untrusted workspace (the explorer does not talk to the platform
   * there), without a connection or without customers, so `viewsWelcome` shows instead.
   */
  getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> | ExplorerNode[] {
    if (!node) return vscode.workspace.isTrusted && this.connections.active ? this.model.roots() : [];
    const children = this.model.getChildren(node);
    if (this.model.isLoading(node)) this.track(children, node);
    return children;
  }

  getParent(node: ExplorerNode): ExplorerNode | undefined {
    return this.model.parentOf(node);
  }

  /** Loads the next page of events, with the view's progress bar and message while it runs. */
  loadMore(node: ExplorerNode): Promise<void> {
    const done = this.model.loadMore(node);
    this.track(done, node);
    return done;
  }

  /** Shows the view's progress bar and a message until the load settles. Never rejects. */
  private track(load: Promise<unknown>, node: ExplorerNode): void {
    const settled = load.then(
      () => undefined,
      () => undefined,
    );
    this.pending.set(settled, loadingMessage(node));
    this.onLoad?.(settled, node);
    this.updateMessage();
    void vscode.window.withProgress({ location: { viewId: VIEW_ID } }, () => settled);
    void settled.then(() => {
      this.pending.delete(settled);
      this.updateMessage();
    });
  }

  private updateMessage(): void {
    if (!this.view) return;
    const messages = [...this.pending.values()];
    this.view.message =
      messages.length === 0 ? '' : messages.length === 1 ? (messages[0] ?? '') : vscode.l10n.t('Loading {0} items…', messages.length);
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }
}
