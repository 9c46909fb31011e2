import * as vscode from 'vscode';
import { describeNode, parseCustomerId, type CustomerNode, type ExplorerModel, type ExplorerNode, type TargetsFilter } from '../../../core/explorer/index';
import { createCommands, type CommandFactory } from '../../commands/register';
import type { StudioContext } from '../../context';
import { promptTargetsFilter } from './filterPrompt';
import { COMMANDS } from './ids';
import type { ExplorerJsonDocuments } from './jsonDocuments';
import { contextValueOf, type CustomerTreeProvider } from './treeProvider';

/** A tree row as `milestones.explorer.getChildren` returns it (plain data, for tests and automation). */
export interface ExplorerRow {
  key: string;
  kind: ExplorerNode['kind'];
  label: string;
  description: string | undefined;
  contextValue: string;
  collapsible: boolean;
  /** For problem nodes: the stable kind and the platform code. */
  problem?: { kind: string; code?: number; action?: string };
}

export interface ExplorerParts {
  ctx: StudioContext;
  model: ExplorerModel;
  provider: CustomerTreeProvider;
  documents: ExplorerJsonDocuments;
}

/**
 * Commands receive the node from the tree (menus, inline buttons), a node key (tests,
 * automation), or nothing (palette); this finds the node they mean.
 */
function resolveNode(model: ExplorerModel, arg: unknown): ExplorerNode | undefined {
  if (typeof arg === 'string') return model.findByKey(arg);
  if (arg && typeof arg === 'object' && 'key' in arg && typeof arg.key === 'string') return model.findByKey(arg.key) ?? (arg as ExplorerNode);
  return undefined;
}

/** The customer a command is about: the node's customer, or one picked from the list. */
async function resolveCustomer(parts: ExplorerParts, arg: unknown, placeHolder: string): Promise<CustomerNode | undefined> {
  const node = resolveNode(parts.model, arg);
  if (node?.kind === 'customer') return node;
  if (node && node.kind === 'problem' && node.owner.kind === 'customer') return node.owner;
  // A node or key that is gone (a removed customer) means nothing to do, not "pick one".
  if (arg !== undefined) return undefined;
  const roots = parts.model.roots();
  if (roots.length <= 1) return roots[0];
  const picked = await vscode.window.showQuickPick(
    roots.map((c) => ({ label: describeNode(c).label, node: c })),
    { placeHolder },
  );
  return picked?.node;
}

function addCustomer(parts: ExplorerParts) {
  return async (arg?: unknown): Promise<string | undefined> => {
    const { model, provider } = parts;
    const existing = new Set(model.customers.map((c) => c.id));
    const validate = (text: string): string | undefined => {
      const parsed = parseCustomerId(text);
      if (!parsed.ok) return parsed.message;
      return existing.has(parsed.value) ? vscode.l10n.t('Customer {0} is already in the list.', parsed.value) : undefined;
    };
    let text: string | undefined;
    if (typeof arg === 'string' || typeof arg === 'number') text = String(arg);
    else {
      text = await vscode.window.showInputBox({
        title: vscode.l10n.t('Add Customer'),
        prompt: vscode.l10n.t('The customer id (the platform\'s userId) to explore. Kept for this workspace.'),
        placeHolder: '564709342',
        validateInput: validate,
      });
    }
    if (text === undefined) return undefined;
    const parsed = parseCustomerId(text);
    if (!parsed.ok) {
      void vscode.window.showWarningMessage(parsed.message);
      return undefined;
    }
    const node = model.addCustomer(parsed.value);
    if (provider.view?.visible && parts.ctx.connections.active) {
      try {
        await provider.view.reveal(node, { select: true, focus: false, expand: true });
      } catch {
        // The view may not be rendered yet; the customer is in the list either way.
      }
    }
    return node.key;
  };
}

function removeCustomer(parts: ExplorerParts) {
  return async (arg?: unknown): Promise<void> => {
    const customer = await resolveCustomer(parts, arg, vscode.l10n.t('Customer to remove from the list'));
    if (customer) parts.model.removeCustomer(customer.customerId);
  };
}

/** `(node)` asks for the filter; `(node, filter)` sets it without UI (automation, tests). */
function filterTargets(parts: ExplorerParts) {
  return async (arg?: unknown, given?: TargetsFilter): Promise<void> => {
    const customer = await resolveCustomer(parts, arg, vscode.l10n.t('Customer whose targets to filter'));
    if (!customer) {
      if (parts.model.roots().length === 0) void vscode.window.showInformationMessage(vscode.l10n.t('Add a customer first: there is nothing to filter yet.'));
      return;
    }
    const filter = given && typeof given === 'object' ? given : await promptTargetsFilter(customer.customerId, parts.model.filterOf(customer.customerId));
    if (filter) parts.model.setFilter(customer.customerId, filter);
  };
}

function clearFilter(parts: ExplorerParts) {
  return async (arg?: unknown): Promise<void> => {
    const customer = await resolveCustomer(parts, arg, vscode.l10n.t('Customer whose filter to clear'));
    if (customer) parts.model.setFilter(customer.customerId, undefined);
  };
}

function refresh(parts: ExplorerParts) {
  return (arg?: unknown): void => {
    parts.model.refresh(resolveNode(parts.model, arg));
  };
}

function loadMore(parts: ExplorerParts) {
  return async (arg?: unknown): Promise<void> => {
    const node = resolveNode(parts.model, arg);
    if (node) await parts.provider.loadMore(node);
  };
}

function openJson(parts: ExplorerParts) {
  return async (arg?: unknown): Promise<vscode.Uri | undefined> => {
    const node = resolveNode(parts.model, arg) ?? parts.provider.view?.selection[0];
    if (!node) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Select a node in the Customers view to open it as JSON.'));
      return undefined;
    }
    return (await parts.documents.open(node)).uri;
  };
}

function copyId(parts: ExplorerParts) {
  return async (arg?: unknown): Promise<string | undefined> => {
    const node = resolveNode(parts.model, arg) ?? parts.provider.view?.selection[0];
    const id = node ? parts.model.idOf(node) : undefined;
    if (id === undefined) {
      void vscode.window.showInformationMessage(vscode.l10n.t('This node has no id to copy.'));
      return undefined;
    }
    await vscode.env.clipboard.writeText(id);
    vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', id), 3000);
    return id;
  };
}

function signIn(parts: ExplorerParts) {
  return async (): Promise<void> => {
    await parts.ctx.connections.promptSignIn();
    parts.model.refresh();
  };
}

function getChildren(parts: ExplorerParts) {
  return async (arg?: unknown): Promise<ExplorerRow[]> => {
    const parent = arg === undefined ? undefined : resolveNode(parts.model, arg);
    if (arg !== undefined && !parent) return [];
    const children = await parts.provider.getChildren(parent);
    return children.map((node) => {
      const item = parts.provider.getTreeItem(node);
      const row: ExplorerRow = {
        key: node.key,
        kind: node.kind,
        label: typeof item.label === 'string' ? item.label : (item.label?.label ?? ''),
        description: typeof item.description === 'string' ? item.description : undefined,
        contextValue: contextValueOf(node, parts.model),
        collapsible: item.collapsibleState !== vscode.TreeItemCollapsibleState.None,
      };
      if (node.kind === 'problem') {
        const { kind, code, action } = node.problem;
        row.problem = { kind, ...(code !== undefined ? { code } : {}), ...(action !== undefined ? { action } : {}) };
      }
      return row;
    });
  };
}

function reveal(parts: ExplorerParts) {
  return async (arg?: unknown, options?: { expand?: boolean | number; select?: boolean; focus?: boolean }): Promise<boolean> => {
    const node = resolveNode(parts.model, arg);
    const view = parts.provider.view;
    if (!node || !view) return false;
    await view.reveal(node, { expand: options?.expand ?? true, select: options?.select ?? true, focus: options?.focus ?? false });
    return true;
  };
}

const FACTORIES: Record<string, CommandFactory<ExplorerParts>> = {
  [COMMANDS.addCustomer]: addCustomer,
  [COMMANDS.removeCustomer]: removeCustomer,
  [COMMANDS.filterTargets]: filterTargets,
  [COMMANDS.clearFilter]: clearFilter,
  [COMMANDS.refresh]: refresh,
  [COMMANDS.loadMore]: loadMore,
  [COMMANDS.openJson]: openJson,
  [COMMANDS.copyId]: copyId,
  [COMMANDS.signIn]: signIn,
  [COMMANDS.getChildren]: getChildren,
  [COMMANDS.reveal]: reveal,
};

/** Registers the explorer's commands (through the one command helper); the caller owns the registrations. */
export function registerExplorerCommands(parts: ExplorerParts): vscode.Disposable[] {
  return createCommands(parts.ctx, 'explorer', parts, FACTORIES);
}
