import * as vscode from 'vscode';
import type { AuthConfig } from '../../core/api/connection';
import { DEFINITION_FILE_PATTERN } from '../../core/definition/files';
import { displayName, resolveMilestoneDocument } from '../documents';
import { loadDeploy, loadEnvironments } from '../lazy';
import { safeName } from '../deploy/readOnly';
import { requireTrust } from '../trust';
import type { CommandFactory } from './register';
import { connectionEnvironment } from '../connections/ties';

/**
 * "Dry Run": the exact request a deploy would send (method, URL, body) and a copyable curl line
 * with the credentials redacted, as a read-only JSONC document (the body is its JSON, the rest comments). Sends nothing. Returns the document's uri.
 */
export const dryRun: CommandFactory =
  (ctx) =>
  async (uri?: unknown): Promise<vscode.Uri | undefined> => {
    if (!requireTrust()) return undefined;
    const document = await resolveMilestoneDocument(uri instanceof vscode.Uri ? uri : undefined);
    if (!document) return undefined;
    const { planDeploy, renderDryRunDocument } = await loadDeploy();
    const active = ctx.connections.activeConnection();
    const baseUrl = ctx.connections.active?.baseUrl || 'https://eu.api.capillarytech.com';
    // A saved file: create or edit as its deployment record for this connection says (not by its id).
    const environments = document.uri.scheme === 'file' ? await loadEnvironments() : undefined;
    // `${name}` references resolve to the values of the config entry the active connection is (its tie, else by name, else the only one on its host).
    const values =
      environments && active && environments.mayHaveReferences(document.getText())
        ? (await connectionEnvironment(ctx, active, baseUrl, document.uri.fsPath).catch(() => undefined))?.values
        : undefined;
    const plan = environments
      ? (
          await environments.planForEnvironment(document.getText(), {
            store: await environments.RecordStore.forFile(
              document.uri.fsPath,
              vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath,
            ),
            file: document.uri.fsPath,
            environment: { baseUrl, ...(active ? { name: active.name } : {}), ...(values ? { values } : {}) },
          })
        ).plan
      : await planDeploy(document.getText(), { baseUrl });
    for (const note of plan.notes) ctx.log.info(`[deploy] dry run of ${displayName(document)}: ${note}`);
    // Only the kind and the account name matter: the dry run redacts the secret.
    const auth: AuthConfig =
      active?.authType === 'oauth'
        ? { kind: 'oauth', clientKey: active.clientKey ?? 'CLIENT_KEY', clientSecret: 'REDACTED' }
        : { kind: 'basic', username: active?.username ?? 'USERNAME', password: 'REDACTED' };
    let text = renderDryRunDocument(plan, auth);
    if (!active) {
      text = [
        vscode.l10n.t(
          '// No connection is selected, so the URL uses the EU cluster as an example; select a connection to see the real one.',
        ),
        '',
        text,
      ].join('\n');
    }
    if (values && environments) {
      const lines = environments
        .resolvedReferenceLines(
          environments.resolvedReferences(environments.parseDefinitionValue(document.getText()), values),
          40,
          vscode.l10n.t('(missing)'),
        )
        .map((line) => `//   ${line}`);
      if (lines.length > 0)
        text = [
          vscode.l10n.t('// Values of {0} from milestones.config.json in this request (the file keeps its references):', values.name),
          ...lines,
          '',
          text,
        ].join('\n');
    }
    if (plan.blocking.length > 0) {
      const lines = plan.blocking.map(
        (f) =>
          `//   ${vscode.l10n.t('{0} at line {1}: {2}', f.code, document.positionAt(f.range.offset).line + 1, f.message.replace(/[\r\n\u2028\u2029]+/g, ' '))}`,
      );
      text = [vscode.l10n.t('// A deploy would be blocked by {0} error(s):', plan.blocking.length), ...lines, '', text].join('\n');
    }
    // JSONC, named after the file but not as a definition file: opened as JSON with highlighting.
    const shown = await ctx.readOnly.show(
      `/dry-run/${safeName(displayName(document).replace(DEFINITION_FILE_PATTERN, ''))} (dry run request).jsonc`,
      text,
    );
    ctx.log.info(`[deploy] dry run of ${displayName(document)}: ${plan.method} ${plan.url}`);
    return shown.uri;
  };
