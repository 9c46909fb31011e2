import * as vscode from 'vscode';
import { requireClient } from '../connections/require';
import { freeFile } from '../documents';
import { loadDeploy, loadEnvironments } from '../lazy';
import { describeFailure, showFailure } from '../messages';
import { withRequestProgress } from '../progress';
import { logRequestStats } from '../requestStats';
import { requireTrust } from '../trust';
import { deploymentsChanged } from '../views/freshness';
import type { CommandFactory } from './register';
import type { StudioContext } from '../context';
import { showInformationMessage } from '../notify';
import { connectionEnvironment } from '../connections/ties';
import type { Connection } from '../connections/model';
import type { CapillaryClient } from '../../core/api/client';

/**
 * The pulled text with the values that equal the connection's environment's declared values
 * (milestones.config.json) written as `${name}` references when `use` is true; else as pulled.
 * When `use` is undefined the file is written as pulled and the offer is made afterwards, without
 * holding the pull: a notification the user leaves (or that goes to the notification centre) must
 * not keep the file from being written. Taken, the references are written into the file as one
 * undoable edit, from its text at that moment.
 */
async function offerReferences(
  ctx: StudioContext,
  target: { connection: Connection; client: CapillaryClient },
  uri: vscode.Uri,
  text: string,
  use: boolean | undefined,
): Promise<string> {
  if (use === false) return text;
  const values = (await connectionEnvironment(ctx, target.connection, target.client.baseUrl, uri.fsPath).catch(() => undefined))?.values;
  if (!values || values.values.size === 0) return text;
  const { referenceCandidates, withReferences, candidateLine } = await loadEnvironments();
  const candidates = referenceCandidates(JSON.parse(text), values);
  if (candidates.filter((c) => !c.alsoNamed).length === 0) return text;
  if (use === true) return withReferences(text, candidates) ?? text;
  const write = vscode.l10n.t('Use References');
  void showInformationMessage(
    vscode.l10n.t(
      '{0} value(s) of the pulled group equal the values {1} declares in milestones.config.json ({2}). Write them as ${name} references?',
      candidates.length,
      values.name,
      candidates.slice(0, 3).map(candidateLine).join('; '),
    ),
    write,
  ).then(async (choice) => {
    if (choice !== write) return;
    try {
      const document = await vscode.workspace.openTextDocument(uri);
      const current = document.getText();
      const updated = withReferences(current, referenceCandidates(JSON.parse(current), values));
      if (updated === undefined || updated === current) return;
      const edit = new vscode.WorkspaceEdit();
      edit.replace(uri, new vscode.Range(document.positionAt(0), document.positionAt(current.length)), updated);
      if (await vscode.workspace.applyEdit(edit)) await document.save();
    } catch (e) {
      ctx.log.warn(`[pull] the references could not be written into ${uri.toString(true)}: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
  return text;
}

export interface PullOptions {
  /** Values equal to the environment's declared ones become `${name}` references: true/false without asking (tests, scripts); undefined offers it once the file is written. */
  useReferences?: boolean;
  /** Folder of the new file; default the first workspace folder (an untitled file without one). */
  folder?: vscode.Uri;
}

const ID = /^\s*\d{1,15}\s*$/;

/**
 * "Pull Milestone…": fetches a target group by id and opens it as a new definition file
 * (`<name>.milestone.json` beside the workspace's files, never overwriting one). Returns the uri.
 */
export const pull: CommandFactory =
  (ctx) =>
  async (idArg?: unknown, options?: PullOptions): Promise<vscode.Uri | undefined> => {
    if (!requireTrust()) return undefined;
    const raw =
      typeof idArg === 'number' || typeof idArg === 'string'
        ? String(idArg)
        : await vscode.window.showInputBox({
            title: vscode.l10n.t('Pull Milestone'),
            prompt: vscode.l10n.t('The id of the target group to pull into a new definition file.'),
            validateInput: (v) => (ID.test(v) ? undefined : vscode.l10n.t('A target group id is a positive whole number, e.g. 1234.')),
          });
    if (raw === undefined) return undefined;
    if (!ID.test(raw)) throw new Error(vscode.l10n.t('"{0}" is not a target group id; give a positive whole number, e.g. 1234.', raw));
    const id = Number(raw);
    const target = await requireClient(ctx);
    if (!target) return undefined;
    let group;
    const logged = logRequestStats(ctx, 'pull', target.client);
    try {
      group = (
        await withRequestProgress(vscode.l10n.t('Pulling target group {0} from {1}…', id, target.connection.name), (signal) =>
          target.client.getTargetGroup(id, signal),
        )
      ).data;
    } catch (e) {
      const report = describeFailure(vscode.l10n.t('Pulling target group {0} from {1} failed', id, target.connection.name), e);
      if (!report.cancelled) showFailure(ctx, 'pull', report);
      return undefined;
    } finally {
      await logged();
    }
    const { definitionFromRemote } = await loadDeploy();
    const text = definitionFromRemote(group);
    const folder = options?.folder ?? vscode.workspace.workspaceFolders?.[0]?.uri;
    const baseName =
      (group.name ?? `target-group-${id}`)
        .replace(/[^A-Za-z0-9._-]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 60) || `target-group-${id}`;
    let uri: vscode.Uri;
    if (folder) {
      uri = await freeFile(folder, baseName);
      const written = await offerReferences(ctx, target, uri, text, options?.useReferences);
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(written));
      try {
        // The pulled file holds this connection's group: record it, so the next deploy there edits it.
        const environments = await loadEnvironments();
        const store = await environments.RecordStore.forFile(uri.fsPath, folder.fsPath);
        await environments.recordLink(store, {
          file: uri.fsPath,
          environment: { baseUrl: target.client.baseUrl, name: target.connection.name },
          live: group,
          fileValue: JSON.parse(text) as Record<string, unknown>,
          via: 'pull',
        });
      } catch (e) {
        ctx.log.warn(
          `[pull] the deployment record of ${uri.toString(true)} could not be written: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
    } else {
      uri = vscode.Uri.from({ scheme: 'untitled', path: `/${baseName}.milestone.json` });
      const edit = new vscode.WorkspaceEdit();
      edit.insert(uri, new vscode.Position(0, 0), text);
      await vscode.workspace.applyEdit(edit);
    }
    deploymentsChanged();
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    ctx.log.info(`[pull] target group ${id} from ${target.connection.name} -> ${uri.toString(true)}`);
    return uri;
  };
