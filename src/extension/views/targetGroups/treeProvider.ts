import * as vscode from 'vscode';
import type { TargetGroupsModel } from '../../../core/browser/model';
import { describeBrowserNode, type BrowserNode, type BrowserProblemNode } from '../../../core/browser/nodes';
import type { Connections } from '../../connections/service';
import { problemIcon } from '../explorer/treeProvider';
import { COMMANDS, VIEW_ID } from './ids';

/** `contextValue` of a node; package.json `when` clauses match these. */
export function contextValueOf(node: BrowserNode): string {
  switch (node.kind) {
    case 'group':
      return node.links.length > 0 ? 'milestones.targetGroup.linked' : 'milestones.targetGroup';
    case 'period':
      return 'milestones.targetGroup.period';
    case 'target':
      return 'milestones.targetGroup.target';
    case 'loadMore':
      return 'milestones.targetGroups.loadMore';
    case 'loading':
      return 'milestones.targetGroups.loading';
    case 'goneSection':
      return 'milestones.targetGroups.gone';
    case 'goneFile':
      return 'milestones.targetGroups.goneFile';
    case 'problem':
      return `milestones.targetGroups.problem.${node.problem.kind}`;
  }
}

function iconOf(node: BrowserNode): vscode.ThemeIcon {
  switch (node.kind) {
    case 'group':
      if (node.group.active === false) return new vscode.ThemeIcon('circle-slash');
      return node.links.length > 0
        ? new vscode.ThemeIcon('milestone', new vscode.ThemeColor('charts.green'))
        : new vscode.ThemeIcon('milestone');
    case 'period':
      return node.period.periodStatus === 'RUNNING'
        ? new vscode.ThemeIcon('play-circle', new vscode.ThemeColor('charts.blue'))
        : new vscode.ThemeIcon('calendar');
    case 'target':
      return new vscode.ThemeIcon(node.target.active === false ? 'circle-slash' : 'target');
    case 'loadMore':
      return new vscode.ThemeIcon('more');
    case 'loading':
      return new vscode.ThemeIcon('loading~spin');
    case 'goneSection':
      return new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    case 'goneFile':
      return new vscode.ThemeIcon('file');
    case 'problem':
      return problemIcon(node.problem);
  }
}

function problemCommand(node: BrowserProblemNode): vscode.Command | undefined {
  switch (node.problem.action) {
    case 'sign-in':
      return { command: COMMANDS.signIn, title: vscode.l10n.t('Sign In') };
    case 'retry':
      return { command: COMMANDS.refresh, title: vscode.l10n.t('Retry') };
    case 'edit-filter':
      return { command: COMMANDS.filter, title: vscode.l10n.t('Filter Target Groups…') };
    default:
      return undefined;
  }
}

/**
 * Turns the core model's nodes into tree items. The model owns the data and the load; this
 * class renders, shows the filter in the view's description and message, and the progress bar
 * while the list is read.
 */
export class TargetGroupsTreeProvider implements vscode.TreeDataProvider<BrowserNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<BrowserNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly subscriptions: vscode.Disposable[] = [this.emitter];
  /** Set once the TreeView exists. */
  view: vscode.TreeView<BrowserNode> | undefined;

  constructor(
    readonly model: TargetGroupsModel,
    private readonly connections: Pick<Connections, 'active'>,
  ) {
    const sub = model.onDidChange((node) => this.emitter.fire(node));
    this.subscriptions.push({ dispose: () => sub.dispose() });
  }

  getTreeItem(node: BrowserNode): vscode.TreeItem {
    const text = describeBrowserNode(node);
    const expandable =
      (node.kind === 'group' &&
        ((node.group.targets ?? []).length > 0 || (node.group.periods ?? []).length > 0 || node.group.activePeriod !== undefined)) ||
      node.kind === 'goneSection';
    const item = new vscode.TreeItem(
      text.label,
      expandable ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.id = node.key;
    if (text.description !== undefined) item.description = text.description;
    item.tooltip = text.tooltip;
    item.iconPath = iconOf(node);
    item.contextValue = contextValueOf(node);
    if (node.kind === 'loadMore') item.command = { command: COMMANDS.loadMore, title: text.label, arguments: [node] };
    else if (node.kind === 'goneFile')
      item.command = { command: COMMANDS.openLocalFile, title: vscode.l10n.t('Open Local File'), arguments: [node] };
    else if (node.kind === 'problem') {
      const command = problemCommand(node);
      if (command) item.command = command;
    }
    return item;
  }

  /**
   * The roots are empty in an untrusted workspace (nothing is read from the platform there) and
   * without a connection, so `viewsWelcome` shows (Start Local Sandbox, Sign In).
   */
  async getChildren(node?: BrowserNode): Promise<BrowserNode[]> {
    if (!node) {
      if (!vscode.workspace.isTrusted || !this.connections.active) return [];
      const roots = this.model.roots();
      // The progress runs until the whole list is in, also after a first page shown from its first groups.
      if (this.model.isLoading()) void vscode.window.withProgress({ location: { viewId: VIEW_ID } }, () => this.model.whenLoaded());
      if (this.view && this.model.isLoading()) this.view.message = vscode.l10n.t('Loading the target groups…');
      const list = await roots;
      this.updateMessage();
      return list;
    }
    return this.model.getChildren(node);
  }

  getParent(node: BrowserNode): BrowserNode | undefined {
    return this.model.parentOf(node);
  }

  /** The filter in the view's description; "N of M match" in its message while a filter is set. */
  updateMessage(): void {
    if (!this.view) return;
    const filter = this.model.filterText;
    this.view.description = filter ?? '';
    const counts = this.model.counts();
    this.view.message =
      filter && counts
        ? vscode.l10n.t('{0} of {1} target groups match: {2}', counts.matching, counts.total, filter)
        : this.model.isLoading()
          ? vscode.l10n.t('Loading the rest of the target groups…')
          : '';
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }
}
