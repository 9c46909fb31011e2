import * as vscode from 'vscode';
import type { StudioContext } from '../context';
import { MILESTONE_SELECTOR, isMilestoneDocument } from '../documents';
import { loadRuleTests } from '../lazy';
import { RULE_TEST_FILE, testFileFor } from '../../core/ruletests/files';
import type { CaseResult, Check, RuleTestReport } from '../../core/ruletests/run';
import { writeStarterRuleTests } from './starter';
import { createCommands } from '../commands/register';
import { showWarningMessage } from '../notify';
import { activeValues } from '../connections/ties';

/** Rule-test files: `x.milestone.test.json` / `.jsonc`. */
const TEST_GLOB = '**/*.milestone.test.{json,jsonc}';

/** What a run leaves for callers (the Run tests command, and tests): per item id, its outcome and messages. */
export interface RuleTestOutcome {
  state: 'passed' | 'failed' | 'errored';
  messages: vscode.TestMessage[];
}

export interface RuleTestsApi {
  readonly controller: vscode.TestController;
  /** The outcome of each item in the latest run that included it. */
  readonly outcomes: ReadonlyMap<string, RuleTestOutcome>;
}

export interface RunSummary {
  passed: number;
  failed: number;
  errored: number;
}

const fileName = (uri: vscode.Uri): string => uri.path.split('/').pop() ?? '';

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

function toRange(text: string, range: { offset: number; length: number }): vscode.Range {
  // Positions from offsets without a TextDocument (the file may not be open).
  const position = (offset: number): vscode.Position => {
    const before = text.slice(0, offset);
    const line = before.split(/\r\n|\r|\n/).length - 1;
    const lineStart = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r')) + 1;
    return new vscode.Position(line, offset - lineStart);
  };
  return new vscode.Range(position(range.offset), position(range.offset + range.length));
}

/**
 * The Test Explorer of rule tests: every *.milestone.test.json(c) of the workspace with its cases
 * and sequences; run one, a file or all; failures with expected vs actual at the expectation,
 * the deciding sub-expressions in the definition; re-run on save of a test file or its
 * definition; "Run tests" / "Create tests" above a definition.
 */
export class RuleTestExplorer implements vscode.Disposable, RuleTestsApi {
  readonly controller = vscode.tests.createTestController('milestones.ruleTests', vscode.l10n.t('Milestone rule tests'));
  readonly outcomes = new Map<string, RuleTestOutcome>();
  private readonly disposables: vscode.Disposable[] = [this.controller];
  /** The definition each test file ran against last (to re-run the tests of a saved definition). */
  private readonly definitionOf = new Map<string, string>();
  private readonly lensEmitter = new vscode.EventEmitter<void>();

  constructor(private readonly ctx: StudioContext) {
    this.controller.resolveHandler = async (item) => {
      if (!item) await this.discover();
      else await this.refreshFile(item.uri as vscode.Uri);
    };
    this.controller.refreshHandler = async () => this.discover();
    this.controller.createRunProfile(
      vscode.l10n.t('Run'),
      vscode.TestRunProfileKind.Run,
      async (request, token) => {
        await this.run(request, token);
      },
      true,
    );
    const watcher = vscode.workspace.createFileSystemWatcher(TEST_GLOB);
    this.disposables.push(
      watcher,
      this.lensEmitter,
      watcher.onDidCreate((uri) => void this.refreshFile(uri).then(() => this.lensEmitter.fire())),
      watcher.onDidChange((uri) => void this.refreshFile(uri)),
      watcher.onDidDelete((uri) => {
        this.controller.items.delete(uri.toString());
        this.lensEmitter.fire();
      }),
      vscode.workspace.onDidSaveTextDocument((document) => void this.onSave(document)),
      vscode.languages.registerCodeLensProvider(MILESTONE_SELECTOR, {
        onDidChangeCodeLenses: this.lensEmitter.event,
        provideCodeLenses: (d) => this.lenses(d),
      }),
    );
  }

  dispose(): void {
    for (const d of this.disposables.reverse()) d.dispose();
  }

  /** Finds every test file of the workspace and lists its cases. */
  async discover(): Promise<void> {
    const uris = await vscode.workspace.findFiles(TEST_GLOB, '**/node_modules/**');
    await Promise.all(uris.map((uri) => this.refreshFile(uri)));
  }

  /** (Re)reads one test file: its item and one child per case and sequence, at their lines. */
  async refreshFile(uri: vscode.Uri): Promise<vscode.TestItem | undefined> {
    const text = await readText(uri);
    if (text === undefined) {
      this.controller.items.delete(uri.toString());
      return undefined;
    }
    const rt = await loadRuleTests();
    let file = this.controller.items.get(uri.toString());
    if (!file) {
      file = this.controller.createTestItem(uri.toString(), fileName(uri), uri);
      this.controller.items.add(file);
    }
    const parsed = rt.parseRuleTestFile(text);
    const children: vscode.TestItem[] = [];
    const add = (kind: 'case' | 'sequence', name: string, pointer: string): void => {
      const item = this.controller.createTestItem(
        `${uri.toString()}#${kind}:${name}`,
        kind === 'sequence' ? vscode.l10n.t('Sequence: {0}', name) : name,
        uri,
      );
      const range = parsed.locator.value(pointer);
      if (range) item.range = toRange(text, range);
      children.push(item);
    };
    parsed.file?.cases.forEach((c, i) => add('case', typeof c?.name === 'string' && c.name ? c.name : `case ${i + 1}`, `/cases/${i}`));
    (Array.isArray(parsed.file?.sequences) ? parsed.file.sequences : []).forEach((s, i) =>
      add('sequence', typeof s?.name === 'string' && s.name ? s.name : `sequence ${i + 1}`, `/sequences/${i}`),
    );
    file.children.replace(children);
    file.error =
      parsed.problems.length > 0 ? new vscode.MarkdownString(parsed.problems.map((p) => `- ${p.message}`).join('\n')) : undefined;
    return file;
  }

  /** The definition file of a test file, found as the CLI finds it. */
  private async definitionUri(testUri: vscode.Uri, testText: string): Promise<vscode.Uri> {
    const rt = await loadRuleTests();
    const candidates = rt
      .definitionCandidatesFor(fileName(testUri), testText)
      .map((c) => (/^([A-Za-z]:[\\/]|\/)/.test(c) ? testUri.with({ path: c.replace(/\\/g, '/') }) : vscode.Uri.joinPath(testUri, '..', c)));
    for (const uri of candidates) {
      try {
        await vscode.workspace.fs.stat(uri);
        return uri;
      } catch {
        // Next candidate.
      }
    }
    return candidates[0] as vscode.Uri;
  }

  /** Runs the test files of a request (whole files: cases are cheap) and reports the items asked for. */
  async run(request: vscode.TestRunRequest, token?: vscode.CancellationToken): Promise<RunSummary> {
    const run = this.controller.createTestRun(request, undefined, true);
    const summary: RunSummary = { passed: 0, failed: 0, errored: 0 };
    try {
      const files = new Map<string, { file: vscode.TestItem; only?: Set<string> | undefined }>();
      const roots = request.include ?? [...this.itemsOf(this.controller.items)];
      for (const item of roots) {
        const file = item.parent ?? item;
        const entry = files.get(file.id) ?? { file };
        if (item.parent) (entry.only ??= new Set()).add(item.id);
        else entry.only = undefined;
        if (!files.has(file.id) || !item.parent) files.set(file.id, entry);
      }
      const excluded = new Set((request.exclude ?? []).map((i) => i.id));
      for (const { file, only } of files.values()) {
        if (token?.isCancellationRequested) break;
        const fileSummary = await this.runFile(run, file, (id) => !excluded.has(id) && (!only || only.has(id)));
        summary.passed += fileSummary.passed;
        summary.failed += fileSummary.failed;
        summary.errored += fileSummary.errored;
      }
    } finally {
      run.end();
    }
    return summary;
  }

  private *itemsOf(collection: vscode.TestItemCollection): Iterable<vscode.TestItem> {
    for (const [, item] of collection) yield item;
  }

  private async runFile(run: vscode.TestRun, fileItem: vscode.TestItem, wanted: (id: string) => boolean): Promise<RunSummary> {
    const summary: RunSummary = { passed: 0, failed: 0, errored: 0 };
    const uri = fileItem.uri as vscode.Uri;
    const refreshed = (await this.refreshFile(uri)) ?? fileItem;
    const items = [...this.itemsOf(refreshed.children)].filter((i) => wanted(i.id));
    for (const item of items) run.started(item);
    const text = (await readText(uri)) ?? '';
    const rt = await loadRuleTests();
    const definitionUri = await this.definitionUri(uri, text);
    this.definitionOf.set(uri.toString(), definitionUri.toString());
    const definitionText = await readText(definitionUri);
    const loaded =
      definitionText === undefined
        ? {
            error: vscode.l10n.t(
              'The definition {0} does not exist; name it in "definition" or put the test file beside it.',
              fileName(definitionUri),
            ),
          }
        : rt.definitionForTests(
            definitionText,
            fileName(definitionUri),
            // `${name}` references resolve for the active connection's environment (its tie, else by name or host).
            definitionText.includes('${')
              ? await activeValues(this.ctx, definitionUri.scheme === 'file' ? definitionUri.fsPath : undefined)
              : undefined,
          );
    if ('unresolved' in loaded && loaded.unresolved)
      run.appendOutput(
        `${vscode.l10n.t(
          '{0} refers to {1}: evaluated as written, since the active connection is no environment of milestones.config.json with values (Tie Connection to Environment… resolves them).',
          fileName(definitionUri),
          loaded.unresolved.map((n) => '${' + n + '}').join(', '),
        )}\r\n`,
      );
    const started = Date.now();
    const report: RuleTestReport = rt.runRuleTestText(text, loaded.definition, {
      testFile: uri.toString(),
      definitionFile: definitionUri.toString(),
      definitionError: loaded.error,
    });
    const duration = Date.now() - started;
    if (report.results.length === 0 && report.problems.length > 0) {
      const message = new vscode.TestMessage(report.problems.map((p) => p.message).join('\n'));
      message.location = new vscode.Location(uri, toRange(text, report.problems[0]?.range ?? { offset: 0, length: 0 }));
      run.errored(refreshed, message);
      this.outcomes.set(refreshed.id, { state: 'errored', messages: [message] });
      summary.errored++;
      return summary;
    }
    for (const result of report.results) {
      const item = items.find((i) => i.id === `${uri.toString()}#${result.kind}:${result.name}`);
      if (!item) continue;
      const outcome = this.report(run, item, result, { uri, text, definitionUri, definitionText }, rt.expressionRanges, duration);
      summary[outcome.state]++;
    }
    return summary;
  }

  private report(
    run: vscode.TestRun,
    item: vscode.TestItem,
    result: CaseResult,
    files: { uri: vscode.Uri; text: string; definitionUri: vscode.Uri; definitionText: string | undefined },
    expressionRanges: (
      definitionText: string,
      target: string,
      spans: readonly { start: number; end: number }[],
    ) => { offset: number; length: number }[],
    duration: number,
  ): RuleTestOutcome {
    let outcome: RuleTestOutcome;
    if (result.status === 'passed') {
      run.passed(item, duration);
      outcome = { state: 'passed', messages: [] };
    } else if (result.status === 'errored') {
      const message = new vscode.TestMessage(result.error ?? vscode.l10n.t('The case could not run.'));
      message.location = new vscode.Location(files.uri, toRange(files.text, result.range));
      run.errored(item, message);
      outcome = { state: 'errored', messages: [message] };
    } else {
      const messages = result.checks.filter((c) => !c.pass).flatMap((check) => this.messages(check, files, expressionRanges));
      run.failed(item, messages, duration);
      outcome = { state: 'failed', messages };
    }
    this.outcomes.set(item.id, outcome);
    return outcome;
  }

  /** A failed check: expected vs actual at the expectation, with the trace; and the deciding sub-expressions in the definition. */
  private messages(
    check: Check,
    files: { uri: vscode.Uri; text: string; definitionUri: vscode.Uri; definitionText: string | undefined },
    expressionRanges: (
      definitionText: string,
      target: string,
      spans: readonly { start: number; end: number }[],
    ) => { offset: number; length: number }[],
  ): vscode.TestMessage[] {
    const lines = [vscode.l10n.t('{0} {1}: expected {2}, got {3}', check.target, check.what, check.expected, check.actual)];
    if (check.reason) lines.push(vscode.l10n.t('because {0}', check.reason));
    if (check.trace.length > 0) lines.push(vscode.l10n.t('Evaluation:'), ...check.trace.map((t) => `  ${t}`));
    const main = new vscode.TestMessage(lines.join('\n'));
    main.expectedOutput = check.expected;
    main.actualOutput = check.actual;
    main.location = new vscode.Location(files.uri, toRange(files.text, check.range));
    const out = [main];
    if (files.definitionText !== undefined && check.traceSpans.length > 0) {
      const definitionText = files.definitionText;
      expressionRanges(definitionText, check.target, check.traceSpans).forEach((range, i) => {
        const m = new vscode.TestMessage(vscode.l10n.t('This decided "{0}": {1}', check.target, check.trace[i] ?? ''));
        m.location = new vscode.Location(files.definitionUri, toRange(definitionText, range));
        out.push(m);
      });
    }
    return out;
  }

  /** Re-runs a saved test file, or the test files of a saved definition. */
  private async onSave(document: vscode.TextDocument): Promise<void> {
    const key = document.uri.toString();
    let targets: vscode.TestItem[] = [];
    if (RULE_TEST_FILE.test(document.uri.path)) {
      const item = await this.refreshFile(document.uri);
      if (item) targets = [item];
    } else if (isMilestoneDocument(document)) {
      const beside = vscode.Uri.joinPath(document.uri, '..', testFileFor(fileName(document.uri))).toString();
      targets = [...this.itemsOf(this.controller.items)].filter((i) => i.id === beside || this.definitionOf.get(i.id) === key);
    }
    if (targets.length > 0) await this.run(new vscode.TestRunRequest(targets));
  }

  /** The test file items of a definition (beside it, or naming it). */
  async testFilesOf(definitionUri: vscode.Uri): Promise<vscode.TestItem[]> {
    const besideUri = vscode.Uri.joinPath(definitionUri, '..', testFileFor(fileName(definitionUri)));
    if (!this.controller.items.get(besideUri.toString())) await this.refreshFile(besideUri);
    return [...this.itemsOf(this.controller.items)].filter(
      (i) => i.id === besideUri.toString() || this.definitionOf.get(i.id) === definitionUri.toString(),
    );
  }

  private async lenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    // Window-scoped: read without the document's uri (settings.ts says why).
    if (!this.ctx.settings.get('codeLensEnabled') || document.uri.scheme === 'untitled') return [];
    const top = new vscode.Range(0, 0, 0, 0);
    const files = await this.testFilesOf(document.uri);
    if (files.length > 0)
      return [
        new vscode.CodeLens(top, {
          title: vscode.l10n.t('$(beaker) Run tests'),
          command: 'milestones.runRuleTests',
          arguments: [document.uri],
        }),
      ];
    return [
      new vscode.CodeLens(top, {
        title: vscode.l10n.t('$(beaker) Create tests'),
        command: 'milestones.createRuleTests',
        arguments: [document.uri],
      }),
    ];
  }

  /** "Run Rule Tests": the tests of a definition or a test file (default: the active editor's); returns the counts. */
  async runCommand(uri?: vscode.Uri): Promise<RunSummary | undefined> {
    const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
    if (!target) {
      void showWarningMessage(vscode.l10n.t('Open a milestone definition or its rule-test file first.'));
      return undefined;
    }
    const items = RULE_TEST_FILE.test(target.path)
      ? [await this.refreshFile(target)].filter((i): i is vscode.TestItem => i !== undefined)
      : await this.testFilesOf(target);
    if (items.length === 0) {
      void showWarningMessage(
        vscode.l10n.t('{0} has no rule tests yet; use "Create tests" to write a starter file beside it.', fileName(target)),
      );
      return undefined;
    }
    const summary = await this.run(new vscode.TestRunRequest(items));
    this.ctx.log.info(`[ruletests] ${fileName(target)}: ${summary.passed} passed, ${summary.failed} failed, ${summary.errored} errored`);
    return summary;
  }

  /** "Create Rule Tests": writes the starter test file beside a definition and opens it. */
  async createCommand(uri?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const document = uri instanceof vscode.Uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (!document || !isMilestoneDocument(document) || document.uri.scheme === 'untitled') {
      void showWarningMessage(vscode.l10n.t('Open a saved milestone definition file (*.milestone.json or *.milestone.jsonc) first.'));
      return undefined;
    }
    const rt = await loadRuleTests();
    const testUri =
      (await writeStarterRuleTests(document.uri, document.getText())) ??
      vscode.Uri.joinPath(document.uri, '..', rt.testFileFor(fileName(document.uri)));
    await this.refreshFile(testUri);
    this.lensEmitter.fire();
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(testUri));
    return testUri;
  }
}

/** Creates the Test Explorer integration and its two commands; the caller owns the result. */
export function registerRuleTests(ctx: StudioContext): RuleTestExplorer {
  const explorer = new RuleTestExplorer(ctx);
  ctx.extension.subscriptions.push(
    explorer,
    ...createCommands(ctx, 'ruletests', explorer, {
      'milestones.runRuleTests': (e) => (uri?: vscode.Uri) => e.runCommand(uri),
      'milestones.createRuleTests': (e) => (uri?: vscode.Uri) => e.createCommand(uri),
    }),
  );
  return explorer;
}
