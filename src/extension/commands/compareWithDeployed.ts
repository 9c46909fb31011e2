import * as vscode from 'vscode';
import { requireClient } from '../connections/require';
import { displayName, resolveMilestoneDocument } from '../documents';
import { openLiveDiff } from '../deploy/liveDiff';
import { describeFailure, showFailure } from '../messages';
import { withRequestProgress } from '../progress';
import { requireTrust } from '../trust';
import type { CommandFactory } from './register';
import { showInformationMessage } from '../notify';

/**
 * "Compare with Deployed": a diff of the live target group (read-only) against the local file.
 * Returns the live document's uri.
 */
export const compareWithDeployed: CommandFactory =
  (ctx) =>
  async (uri?: unknown): Promise<vscode.Uri | undefined> => {
    if (!requireTrust()) return undefined;
    const document = await resolveMilestoneDocument(uri instanceof vscode.Uri ? uri : undefined);
    if (!document) return undefined;
    const state = await ctx.definitions.get(document);
    if (state.id === undefined) {
      void showInformationMessage(
        vscode.l10n.t(
          '{0} has no top-level id, so it is not deployed yet; deploy it first (it is created, and its id written into the file).',
          displayName(document),
        ),
      );
      return undefined;
    }
    const id = state.id;
    const target = await requireClient(ctx);
    if (!target) return undefined;
    try {
      const live = await withRequestProgress(vscode.l10n.t('Fetching target group {0} from {1}…', id, target.connection.name), (signal) =>
        target.client.getTargetGroup(id, signal),
      );
      return await openLiveDiff(ctx, document, live.data, target.connection.name);
    } catch (e) {
      const report = describeFailure(vscode.l10n.t('Fetching target group {0} from {1} failed', id, target.connection.name), e);
      if (!report.cancelled) showFailure(ctx, 'deploy', report);
      return undefined;
    }
  };
