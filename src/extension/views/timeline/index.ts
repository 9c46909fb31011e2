import * as vscode from 'vscode';
import { createCommands } from '../../commands/register';
import type { StudioContext } from '../../context';
import { resolveMilestoneDocument } from '../../documents';
import { registerWebviewTestCommands } from '../webview';
import { TimelinePanel } from './panel';

export const SHOW_TIMELINE = 'milestones.showTimeline';

/** Show Timeline (CodeLens, editor title, palette): one timeline per definition file, shown beside it. */
export function registerTimeline(ctx: StudioContext): vscode.Disposable[] {
  const panels = new Map<string, TimelinePanel>();
  return [
    ...createCommands(ctx, 'timeline', ctx, {
      [SHOW_TIMELINE]:
        () =>
        async (uri?: vscode.Uri): Promise<string | undefined> => {
          const document = await resolveMilestoneDocument(uri);
          if (!document) return undefined;
          const key = document.uri.toString();
          let panel = panels.get(key);
          if (panel) panel.reveal();
          else {
            panel = new TimelinePanel(ctx, document, () => panels.delete(key));
            panels.set(key, panel);
          }
          return panel.panel.title;
        },
    }),
    ...registerWebviewTestCommands(),
    {
      dispose: () => {
        for (const p of panels.values()) p.panel.dispose();
      },
    },
  ];
}
