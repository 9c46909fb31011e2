import * as vscode from 'vscode';
import { renderTemplate, TARGET_ENTITIES, TRACKING_TYPES } from '../authoring/templates';
import { newDefinitionFileSegments } from '../../core/definition/files';
import { exists, freeFile } from '../documents';
import type { CommandFactory } from './register';
import { writeStarterRuleTests } from '../testing/starter';
import { showErrorMessage, showInformationMessage } from '../notify';

export interface NewMilestoneArgs {
  trackingType: string;
  targetEntity: string;
  /** Write the file here instead of asking where to save it. */
  uri?: vscode.Uri;
  name?: string;
}

function isArgs(value: unknown): value is NewMilestoneArgs {
  const v = value as Partial<NewMilestoneArgs> | undefined;
  return typeof v?.trackingType === 'string' && typeof v.targetEntity === 'string';
}

/** Where the file of a typed answer goes (newDefinitionFileSegments), or what is wrong with the answer. */
function newFileTarget(folder: vscode.Uri, answer: string): { uri: vscode.Uri } | { message: string } {
  const target = newDefinitionFileSegments(answer);
  if ('segments' in target) return { uri: vscode.Uri.joinPath(folder, ...target.segments) };
  if (target.problem === 'outside')
    return {
      message: vscode.l10n.t(
        'Give a path inside the workspace folder ({0}), e.g. milestones/my-milestone.milestone.jsonc.',
        folder.path.split('/').pop() ?? '',
      ),
    };
  if (target.problem === 'invalid') return { message: vscode.l10n.t('A file name cannot hold control characters or be blank.') };
  return { message: vscode.l10n.t('Type a file name, e.g. my-milestone.milestone.jsonc.') };
}

/**
 * Asks where the new file goes: an input box with a free name from the chosen types in the
 * workspace folder (no save dialog, so it works the same in the browser and in tests); without
 * a workspace folder, the save dialog. Undefined when the user cancels.
 */
async function askWhereToSave(base: string): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!folder) {
    return vscode.window.showSaveDialog({
      title: vscode.l10n.t('Save the new milestone'),
      filters: { [vscode.l10n.t('Milestone definitions')]: ['milestone.jsonc', 'milestone.json'] },
      defaultUri: vscode.Uri.file(`${base}.milestone.jsonc`),
    });
  }
  const suggested = (await freeFile(folder, base, '.milestone.jsonc')).path.split('/').pop() ?? `${base}.milestone.jsonc`;
  const answer = await vscode.window.showInputBox({
    title: vscode.l10n.t('New Milestone (3/3): save as'),
    prompt: vscode.l10n.t(
      'A file in the workspace folder {0} (a relative path; subfolders are created).',
      folder.path.split('/').pop() ?? '',
    ),
    value: suggested,
    valueSelection: [0, suggested.length - '.milestone.jsonc'.length],
    ignoreFocusOut: true,
    validateInput: async (value) => {
      const target = newFileTarget(folder, value);
      if ('message' in target) return target.message;
      return (await exists(target.uri))
        ? vscode.l10n.t('{0} exists already; pick another name.', vscode.workspace.asRelativePath(target.uri))
        : undefined;
    },
  });
  if (answer === undefined) return undefined;
  const target = newFileTarget(folder, answer);
  return 'uri' in target ? target.uri : undefined;
}

/**
 * "New Milestone…": pick a tracking type, then a target entity, then where to save it (a name
 * from the chosen types in the workspace folder); writes a valid definition built from the
 * templates to that file, a starter rule-test file beside it, and opens it. Never overwrites a
 * file. With `uri` in the arguments it writes there without asking. Returns the file's uri.
 */
export const newMilestone: CommandFactory =
  (ctx) =>
  async (args?: unknown): Promise<vscode.Uri | undefined> => {
    let choice: NewMilestoneArgs | undefined = isArgs(args) ? args : undefined;
    if (!choice) {
      const tracking = await vscode.window.showQuickPick(
        Object.entries(TRACKING_TYPES).map(([id, t]) => ({ label: t.label, description: id, detail: t.detail, id })),
        { title: vscode.l10n.t('New Milestone (1/3): tracking type'), placeHolder: vscode.l10n.t('How progress is tracked') },
      );
      if (!tracking) return undefined;
      const entity = await vscode.window.showQuickPick(
        Object.entries(TARGET_ENTITIES).map(([id, e]) => ({ label: e.label, description: id, detail: e.detail, id })),
        { title: vscode.l10n.t('New Milestone (2/3): target entity'), placeHolder: vscode.l10n.t('What the target counts') },
      );
      if (!entity) return undefined;
      choice = { trackingType: tracking.id, targetEntity: entity.id };
    }
    const base = `${choice.trackingType}-${choice.targetEntity}`.toLowerCase().replace(/_/g, '-');
    const uri = choice.uri ?? (await askWhereToSave(base));
    if (!uri) return undefined;
    if (await exists(uri)) {
      void showErrorMessage(
        vscode.l10n.t(
          '{0} exists already; New Milestone never overwrites a file. Pick another name.',
          vscode.workspace.asRelativePath(uri),
        ),
      );
      return undefined;
    }
    const text = renderTemplate(choice.trackingType, choice.targetEntity, choice.name ? { name: choice.name } : {});
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    const testUri = await writeStarterRuleTests(uri, text);
    const path = vscode.workspace.asRelativePath(uri);
    ctx.log.info(
      `[new] wrote ${path} (${choice.trackingType} / ${choice.targetEntity})${testUri ? ` and ${vscode.workspace.asRelativePath(testUri)}` : ''}`,
    );
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    // Say what was written, the rule-test file beside it too (it appears in the Explorer otherwise unannounced).
    const testName = testUri?.path.split('/').pop();
    const openTests = vscode.l10n.t('Open Rule Tests');
    const message = testName
      ? vscode.l10n.t('Created {0} and its starter rule tests {1} beside it (run them with "Run tests" above the file).', path, testName)
      : vscode.l10n.t('Created {0}.', path);
    void (testUri ? showInformationMessage(message, openTests) : showInformationMessage(message)).then(async (answer) => {
      if (answer === openTests && testUri)
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(testUri), { preview: false });
    });
    return uri;
  };
