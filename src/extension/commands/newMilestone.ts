import * as vscode from 'vscode';
import { renderTemplate, TARGET_ENTITIES, TRACKING_TYPES } from '../authoring/templates';
import { freeFile } from '../documents';
import type { CommandFactory } from './register';
import { writeStarterRuleTests } from '../testing/starter';

export interface NewMilestoneArgs {
  trackingType: string;
  targetEntity: string;
  /** Write the file here (saved) instead of opening an untitled one. */
  uri?: vscode.Uri;
  name?: string;
}

function isArgs(value: unknown): value is NewMilestoneArgs {
  const v = value as Partial<NewMilestoneArgs> | undefined;
  return typeof v?.trackingType === 'string' && typeof v.targetEntity === 'string';
}

/**
 * "New Milestone…": pick a tracking type, then a target entity; opens a valid definition built
 * from snippets/templates (untitled, to be saved where the user likes, or written to `uri` with
 * a starter rule-test file beside it).
 * Returns the document's uri.
 */
export const newMilestone: CommandFactory = () => async (args?: unknown): Promise<vscode.Uri | undefined> => {
  let choice: NewMilestoneArgs | undefined = isArgs(args) ? args : undefined;
  if (!choice) {
    const tracking = await vscode.window.showQuickPick(
      Object.entries(TRACKING_TYPES).map(([id, t]) => ({ label: t.label, description: id, detail: t.detail, id })),
      { title: vscode.l10n.t('New Milestone (1/2): tracking type'), placeHolder: vscode.l10n.t('How progress is tracked') },
    );
    if (!tracking) return undefined;
    const entity = await vscode.window.showQuickPick(
      Object.entries(TARGET_ENTITIES).map(([id, e]) => ({ label: e.label, description: id, detail: e.detail, id })),
      { title: vscode.l10n.t('New Milestone (2/2): target entity'), placeHolder: vscode.l10n.t('What the target counts') },
    );
    if (!entity) return undefined;
    choice = { trackingType: tracking.id, targetEntity: entity.id };
  }
  const text = renderTemplate(choice.trackingType, choice.targetEntity, choice.name ? { name: choice.name } : {});
  let uri = choice.uri;
  if (uri) {
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    await writeStarterRuleTests(uri, text);
  } else {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const base = `${choice.trackingType}-${choice.targetEntity}`.toLowerCase().replace(/_/g, '-');
    const future = folder ? await freeFile(folder, base, '.milestone.jsonc') : vscode.Uri.file(`/${base}.milestone.jsonc`);
    uri = future.with({ scheme: 'untitled' });
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(0, 0), text);
    await vscode.workspace.applyEdit(edit);
  }
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  return uri;
};
