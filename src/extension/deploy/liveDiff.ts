import * as vscode from 'vscode';
import type { TargetGroup } from '../../core/api/types';
import type { AppContext } from '../app';
import { displayName } from '../documents';
import { loadDeploy } from '../lazy';
import { safeName } from './readOnly';

/** Opens a diff: the live target group (read-only, as a definition file) vs the local document. */
export async function openLiveDiff(ctx: AppContext, document: vscode.TextDocument, live: TargetGroup, connectionName: string): Promise<vscode.Uri> {
  const { definitionFromRemote } = await loadDeploy();
  const label = live.name ?? String(live.id);
  const uri = ctx.readOnly.put(`/deployed/${safeName(label)} (${live.id}).json`, definitionFromRemote(live));
  await vscode.commands.executeCommand(
    'vscode.diff',
    uri,
    document.uri,
    vscode.l10n.t('{0} on {1} ↔ {2}', label, connectionName, displayName(document)),
    { preview: true },
  );
  return uri;
}
