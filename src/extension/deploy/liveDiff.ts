import * as vscode from 'vscode';
import type { TargetGroup } from '../../core/api/types';
// Light and pure (jsonc-parser is in this bundle already), so not behind loadDeploy().
import { liveViewForDiff } from '../../core/deploy/liveView';
import type { AppContext } from '../app';
import { displayName } from '../documents';
import { safeName } from './readOnly';

/**
 * Opens a diff: the live target group (read-only) vs the local document. The live side is laid
 * out like the local file (key order, indentation, spellings the platform reads the same, no
 * server-only fields), so the diff shows only real differences.
 */
export async function openLiveDiff(ctx: AppContext, document: vscode.TextDocument, live: TargetGroup, connectionName: string): Promise<vscode.Uri> {
  const label = live.name ?? String(live.id);
  const uri = ctx.readOnly.put(`/deployed/${safeName(label)} (${live.id}).json`, liveViewForDiff(document.getText(), live));
  await vscode.commands.executeCommand(
    'vscode.diff',
    uri,
    document.uri,
    vscode.l10n.t('{0} on {1} ↔ {2}', label, connectionName, displayName(document)),
    { preview: true },
  );
  return uri;
}
