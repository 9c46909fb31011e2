import * as vscode from 'vscode';
import type { TargetGroup } from '../../core/api/types';
// Light and pure (jsonc-parser is in this bundle already), so not behind loadDeploy().
import { liveViewForDiff } from '../../core/deploy/liveView';
import type { StudioContext } from '../context';
import { displayName } from '../documents';
import { ReadOnlyDocuments, safeName } from './readOnly';

/**
 * Opens a diff: the live target group (read-only) vs the local document. The live side is laid
 * out like the local file (key order, indentation, spellings the platform reads the same, no
 * server-only fields), so the diff shows only real differences. With `against`, both sides are
 * read-only views (the conflict view's "last seen ↔ live"). An earlier diff of the same kind for
 * this document is closed first, so repeated deploys do not pile up tabs.
 */
export async function openLiveDiff(
  ctx: StudioContext,
  document: vscode.TextDocument,
  live: TargetGroup,
  connectionName: string,
  opts: { against?: TargetGroup; title?: string } = {},
): Promise<vscode.Uri> {
  const label = live.name ?? String(live.id);
  const kind = opts.against ? 'last-seen' : 'deployed';
  const uri = ctx.readOnly.put(`/${kind}/${safeName(label)} (${live.id}).json`, liveViewForDiff(document.getText(), live));
  const modified = opts.against
    ? ctx.readOnly.put(
        `/deployed/${safeName(opts.against.name ?? String(opts.against.id))} (${opts.against.id}).json`,
        liveViewForDiff(document.getText(), opts.against),
      )
    : document.uri;
  const stale = vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter(
      (t) =>
        t.input instanceof vscode.TabInputTextDiff &&
        t.input.original.scheme === ReadOnlyDocuments.scheme &&
        t.input.original.path.startsWith(`/${kind}/`) &&
        (opts.against ? t.input.modified.scheme === ReadOnlyDocuments.scheme : t.input.modified.toString() === document.uri.toString()),
    );
  if (stale.length > 0) await vscode.window.tabGroups.close(stale, true);
  await vscode.commands.executeCommand(
    'vscode.diff',
    uri,
    modified,
    opts.title ?? vscode.l10n.t('{0} on {1} ↔ {2}', label, connectionName, displayName(document)),
    // The last-seen diff is one half of the conflict view: not a preview, or the live ↔ file diff opened next would replace it.
    { preview: !opts.against },
  );
  return uri;
}
