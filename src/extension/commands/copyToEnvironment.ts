import * as vscode from 'vscode';
import { dirname } from 'node:path';
import type { CopyAdjustment, CopyCheck } from '../../core/deploy/index';
import type { CapillaryClient } from '../../core/api/client';
import type { Connection } from '../connections/model';
import { connectionEnvironment } from '../connections/ties';
import type { StudioContext } from '../context';
import { deployDocument, type DeployResult } from '../deploy/deploy';
import { displayName, resolveMilestoneDocument } from '../documents';
import { loadDeploy, loadEnvironments } from '../lazy';
import { safeName } from '../deploy/readOnly';
import { reportDeployed } from './deploy';
import type { CommandFactory } from './register';
import { showInformationMessage, showWarningMessage } from '../notify';

export interface CopyOptions {
  /** The connection to copy to (tests, scripts); else the user picks one. */
  connectionId?: string;
  /** No questions (scripts): the values as the file has them (or `adjustments`), the name as given or the file's. */
  yes?: boolean;
  /** The new group's name (scripts); the user is asked otherwise, prefilled with the file's. */
  name?: string;
  /** Values this copy sends instead of the file's (scripts); the user adjusts them in the checklist otherwise. */
  adjustments?: CopyAdjustment[];
}

/** What a copy did: the deploy's result, and the new group's name. */
export type CopyResult = DeployResult & { groupName?: string };

/**
 * "Copy to Environment…": creates the file's group on another connection (the promote of the
 * CLI): other environments' ids are left out of the request, the new ids go to the file's
 * deployment record there, and a file already recorded there is refused (never an edit). Before
 * it creates (issue 23 item 4): `${name}` values the target lacks can be added to
 * milestones.config.json; a checklist of the values that usually differ per environment (dates,
 * till, store and program ids) where one can be given another value for this copy; the new
 * group's name, checked free on the target. After: the new group named, with Open Record and
 * Open Group. The file itself is never changed by what is adjusted.
 */
export const copyToEnvironment: CommandFactory =
  (ctx) =>
  async (uri?: unknown, options?: CopyOptions): Promise<CopyResult> => {
    const document = await resolveMilestoneDocument(uri instanceof vscode.Uri ? uri : undefined);
    if (!document) return { status: 'cancelled' };
    const connectionId = options?.connectionId ?? (await pickConnection(ctx));
    if (!connectionId) return { status: 'cancelled' };
    const chosen = await ctx.connections.clientFor(connectionId);
    if (!chosen) return { status: 'cancelled' };
    const fileName = await nameIn(document.getText());
    let adjustments = [...(options?.adjustments ?? [])];
    let groupName = options?.name ?? fileName;
    try {
      if (!options?.yes) {
        const asked = await askBeforeCopy(ctx, document, chosen, fileName);
        if (!asked) return { status: 'cancelled' };
        ({ adjustments, groupName } = asked);
      } else if (options.name !== undefined) adjustments.push({ pointer: '/name', value: options.name });
    } finally {
      await chosen.client.close().catch(() => undefined);
    }
    const result = reportDeployed(
      await deployDocument(ctx, document.uri, {
        promote: true,
        connectionId,
        ...(options?.yes ? { yes: true } : {}),
        ...(adjustments.length > 0 ? { adjustments } : {}),
      }),
    );
    if (result.status !== 'created' || result.id === undefined) return result;
    announce(ctx, document, chosen.connection, result, groupName ?? '', adjustments.filter((a) => a.pointer !== '/name').length);
    return { ...result, ...(groupName !== undefined ? { groupName } : {}) };
  };

async function pickConnection(ctx: StudioContext): Promise<string | undefined> {
  const active = ctx.connections.active?.id;
  const items = ctx.connections
    .list()
    .filter((c) => c.id !== active)
    .map((c) => ({ label: c.name, description: c.baseUrl ?? c.cluster ?? '', id: c.id }));
  if (items.length === 0) {
    void showInformationMessage(
      vscode.l10n.t('There is no other connection to copy to: add one with "Milestones: Add Connection…" first.'),
    );
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Copy to Environment (1/3)'),
    placeHolder: vscode.l10n.t('The connection to create this milestone on'),
  });
  return picked?.id;
}

async function nameIn(text: string): Promise<string | undefined> {
  const value = (await loadEnvironments()).parseDefinitionValue(text);
  const name =
    typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)['name'] : undefined;
  return typeof name === 'string' ? name : undefined;
}

/** The questions before a copy, in order: missing `${name}` values, the checklist, the name. Undefined: cancelled. */
async function askBeforeCopy(
  ctx: StudioContext,
  document: vscode.TextDocument,
  target: { connection: Connection; client: CapillaryClient },
  fileName: string | undefined,
): Promise<{ adjustments: CopyAdjustment[]; groupName: string | undefined } | undefined> {
  const where = target.connection.name;
  if (!(await offerMissingValues(ctx, document, target))) return undefined;
  const { copyChecks } = await loadDeploy();
  const adjustments = await checklist(copyChecks(document.getText()), where);
  if (!adjustments) return undefined;
  const groupName = await askName(target.client, where, fileName);
  if (groupName === undefined) return undefined;
  if (groupName !== fileName) adjustments.push({ pointer: '/name', value: groupName });
  return { adjustments, groupName };
}

/** A value typed in an input box: JSON when it reads as JSON (5, true, "x", [1]), else the text itself. */
function typedValue(input: string): unknown {
  try {
    return JSON.parse(input) as unknown;
  } catch {
    return input;
  }
}

/**
 * The values that usually differ per environment, ticked: a ticked value is copied as it is; an
 * unticked one is asked for (prefilled) and sent instead, for this copy only. Undefined: cancelled.
 */
async function checklist(checks: CopyCheck[], where: string): Promise<CopyAdjustment[] | undefined> {
  if (checks.length === 0) return [];
  type Item = vscode.QuickPickItem & { check: CopyCheck };
  const items: Item[] = checks.map((check) => ({
    label: check.pointer,
    description: JSON.stringify(check.value),
    detail: check.why,
    picked: true,
    check,
  }));
  const kept = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    title: vscode.l10n.t('Copy to {0} (2/3): values that usually differ between environments', where),
    placeHolder: vscode.l10n.t(
      'Ticked values are copied as they are; untick one to give it another value on {0} (the file is not changed)',
      where,
    ),
    ignoreFocusOut: true,
  });
  if (!kept) return undefined;
  const adjustments: CopyAdjustment[] = [];
  for (const item of items.filter((i) => !kept.includes(i))) {
    const input = await vscode.window.showInputBox({
      title: vscode.l10n.t('Copy to {0} (2/3): {1}', where, item.check.pointer),
      prompt: vscode.l10n.t('{0} — its value on {1} (JSON, or plain text for a string)', item.check.why, where),
      value: typeof item.check.value === 'string' ? item.check.value : JSON.stringify(item.check.value),
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() === '' ? vscode.l10n.t('Give a value, or press Escape to cancel the copy.') : undefined),
    });
    if (input === undefined) return undefined;
    adjustments.push({ pointer: item.check.pointer, value: typedValue(input) });
  }
  return adjustments;
}

/** The new group's name, prefilled with the file's and checked free on the target (the name-validity API). Undefined: cancelled. */
async function askName(client: CapillaryClient, where: string, fileName: string | undefined): Promise<string | undefined> {
  let prompt = vscode.l10n.t(
    'The name of the new target group on {0}. Another name than the file’s is this copy’s only: a later deploy of the file to {0} sets the file’s name.',
    where,
  );
  let value = fileName ?? '';
  for (;;) {
    const name = await vscode.window.showInputBox({
      title: vscode.l10n.t('Copy to {0} (3/3): name of the new group', where),
      prompt,
      value,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() === '' ? vscode.l10n.t('A target group needs a name.') : undefined),
    });
    if (name === undefined) return undefined;
    const free = await client.isValidName('targetGroupName', name).then(
      (r) => r.data,
      () => true,
    );
    if (free) return name;
    prompt = vscode.l10n.t('"{0}" is taken on {1}: choose another name.', name, where);
    value = name;
  }
}

/**
 * `${name}` references whose value the target environment lacks: each can be given a value that
 * goes into milestones.config.json (the copy then resolves it); declining cancels the copy, which
 * could not be created without them. True: go on.
 */
async function offerMissingValues(
  ctx: StudioContext,
  document: vscode.TextDocument,
  target: { connection: Connection; client: CapillaryClient },
): Promise<boolean> {
  const environments = await loadEnvironments();
  const file = document.uri.fsPath;
  const env = await connectionEnvironment(ctx, target.connection, target.client.baseUrl, file);
  if (!env.values) return true;
  const missing = environments.missingValues(environments.parseDefinitionValue(document.getText()), env.values).missing;
  if (missing.length === 0) return true;
  const configPath = await environments.findWorkspaceConfig(dirname(file));
  if (!configPath) return true; // The deploy refuses it with the config lines to add.
  const uri = vscode.Uri.file(configPath);
  const config = await vscode.workspace.openTextDocument(uri);
  for (const { name } of missing) {
    const input = await vscode.window.showInputBox({
      title: vscode.l10n.t('Copy to {0} (2/3): {1} has no value for {2}', target.connection.name, `\${${name}}`, env.values.name),
      prompt: vscode.l10n.t('Its value for {0}, added to milestones.config.json (JSON, or plain text for a string)', env.values.name),
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() === '' ? vscode.l10n.t('Give a value, or press Escape to cancel the copy.') : undefined),
    });
    if (input === undefined) return false;
    const { edits } = environments.addValueEdits(config.getText(), env.values.name, name, typedValue(input));
    const edit = new vscode.WorkspaceEdit();
    for (const e of edits)
      edit.replace(uri, new vscode.Range(config.positionAt(e.offset), config.positionAt(e.offset + e.length)), e.content);
    if (edits.length === 0 || !(await vscode.workspace.applyEdit(edit))) {
      void showWarningMessage(vscode.l10n.t('"{0}" could not be added to {1}; add it by hand and copy again.', name, configPath));
      return false;
    }
  }
  await config.save();
  return true;
}

/** The result: the new group named, with Open Record and Open Group (its JSON as the target returns it). */
function announce(
  ctx: StudioContext,
  document: vscode.TextDocument,
  connection: Connection,
  result: DeployResult,
  groupName: string,
  adjusted: number,
): void {
  const id = String(result.id);
  const openRecord = vscode.l10n.t('Open Record');
  const openGroup = vscode.l10n.t('Open Group');
  const message =
    vscode.l10n.t('Created target group {0} "{1}" on {2}, a copy of {3}.', id, groupName, connection.name, displayName(document)) +
    ' ' +
    (adjusted > 0 ? vscode.l10n.t('{0} value(s) were sent as adjusted for this copy; the file keeps its own.', adjusted) + ' ' : '') +
    (result.idsWrittenBack
      ? vscode.l10n.t('Its ids were written into the file and its deployment record.')
      : vscode.l10n.t('The file keeps its ids; the new ones are in its deployment record for {0}.', connection.name));
  ctx.log.info(`[deploy] ${message}`);
  void showInformationMessage(message, ...(result.recordPath ? [openRecord] : []), openGroup).then(async (choice) => {
    if (choice === openRecord && result.recordPath) await vscode.window.showTextDocument(vscode.Uri.file(result.recordPath));
    if (choice === openGroup) await openGroupJson(ctx, connection, result.id as number);
  });
}

/** The group as the target connection returns it, as a read-only JSON document. */
async function openGroupJson(ctx: StudioContext, connection: Connection, id: number): Promise<void> {
  const chosen = await ctx.connections.clientFor(connection.id);
  if (!chosen) return;
  try {
    const group = (await chosen.client.getTargetGroup(id)).data;
    await ctx.readOnly.show(
      `/${safeName(connection.name)}/${safeName(group.name ?? String(id))} (${id}).json`,
      JSON.stringify(group, null, 2),
    );
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    void showWarningMessage(vscode.l10n.t('Target group {0} could not be read from {1}: {2}', String(id), connection.name, reason));
  } finally {
    await chosen.client.close().catch(() => undefined);
  }
}
