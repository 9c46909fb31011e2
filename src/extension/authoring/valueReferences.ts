import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { referenceAt, referenceBeingTyped } from '../../core/environments/values';
import { loadEnvironments } from '../lazy';
import type { WorkspaceValuesSource } from './workspaceValues';

const SELECTOR: vscode.DocumentSelector = [
  { scheme: 'file', pattern: '**/*.milestone.json' },
  { scheme: 'file', pattern: '**/*.milestone.jsonc' },
];

/**
 * `${name}` references in definition files: hover shows the value in every environment of
 * milestones.config.json, completion after `${` offers the declared names, and "go to
 * definition" opens the config at the value (the active connection's environment first).
 */
export function registerValueReferences(values: WorkspaceValuesSource): vscode.Disposable {
  const hover: vscode.HoverProvider = {
    async provideHover(document, position) {
      const line = document.lineAt(position.line).text;
      if (!line.includes('${')) return undefined;
      const ref = referenceAt(line, position.character);
      if (!ref) return undefined;
      const environments = await values.environments();
      const md = new vscode.MarkdownString();
      md.appendMarkdown(vscode.l10n.t('**`${{0}}`**: a per-environment value from milestones.config.json', ref.name) + '\n\n');
      if (environments.length === 0)
        md.appendMarkdown(
          vscode.l10n.t('No milestones.config.json with environments in this workspace: add one with "values" for each environment.'),
        );
      else {
        md.appendMarkdown(`| ${vscode.l10n.t('environment')} | ${vscode.l10n.t('value')} |\n|---|---|\n`);
        for (const env of environments) {
          const text = env.values.has(ref.name)
            ? `\`${JSON.stringify(env.values.get(ref.name)).replace(/`/g, "'").slice(0, 120)}\``
            : `*${vscode.l10n.t('missing')}*`;
          md.appendMarkdown(`| ${env.name.replace(/\|/g, '\\|')} | ${text.replace(/\|/g, '\\|')} |\n`);
        }
      }
      return new vscode.Hover(md, new vscode.Range(position.line, ref.start, position.line, ref.end));
    },
  };
  const completion: vscode.CompletionItemProvider = {
    async provideCompletionItems(document, position) {
      const line = document.lineAt(position.line).text;
      const typing = referenceBeingTyped(line, position.character);
      if (!typing) return undefined;
      const environments = await values.environments();
      const names = [...new Set(environments.flatMap((e) => [...e.values.keys()]))];
      const closeAt = line.charAt(position.character) === '}' ? 1 : 0;
      const range = new vscode.Range(position.line, typing.start + 2, position.line, position.character + closeAt);
      return names.map((name) => {
        const item = new vscode.CompletionItem(name, vscode.CompletionItemKind.Variable);
        item.insertText = `${name}}`;
        item.range = range;
        item.detail = environments
          .map((e) => `${e.name}: ${e.values.has(name) ? JSON.stringify(e.values.get(name)).slice(0, 40) : vscode.l10n.t('missing')}`)
          .join(', ');
        return item;
      });
    },
  };
  const definition: vscode.DefinitionProvider = {
    async provideDefinition(document, position) {
      const line = document.lineAt(position.line).text;
      const ref = line.includes('${') ? referenceAt(line, position.character) : undefined;
      if (!ref) return undefined;
      const environments = await values.environments();
      const path = values.configPath;
      if (!path) return undefined;
      const text = await readFile(path, 'utf8');
      const { valueLocation } = await loadEnvironments();
      const uri = vscode.Uri.file(path);
      const out: vscode.Location[] = [];
      for (const env of environments) {
        if (!env.values.has(ref.name)) continue;
        const at = valueLocation(text, env.name, ref.name);
        if (!at) continue;
        out.push(new vscode.Location(uri, new vscode.Range(positionIn(text, at.offset), positionIn(text, at.offset + at.length))));
      }
      return out;
    },
  };
  return vscode.Disposable.from(
    vscode.languages.registerHoverProvider(SELECTOR, hover),
    vscode.languages.registerCompletionItemProvider(SELECTOR, completion, '{'),
    vscode.languages.registerDefinitionProvider(SELECTOR, definition),
  );
}

/** The position of `offset` in `text` (a text that is not an open document, e.g. the config after an edit). */
export function positionIn(text: string, offset: number): vscode.Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return new vscode.Position(line, offset - (before.lastIndexOf('\n') + 1));
}
