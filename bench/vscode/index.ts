/**
 * The benchmark section that runs inside the real VS Code of the test runtime (code-server's
 * extension host, started by scripts/vscode-test/run.mjs with MILESTONES_TEST_INDEX pointing at
 * this bundle). Measures, with the extension as users get it:
 * - activation as VS Code reports it ("Developer: Startup Performance", the extension's row:
 *   load code, call activate, finish activate);
 * - opening the 1 MB file with findings to its diagnostics;
 * - keystroke-like edits of that file to their diagnostics (debounce set to 0 for the run);
 * - the longest block of the extension host's event loop during those (perf_hooks
 *   monitorEventLoopDelay, 5 ms resolution).
 * Writes JSON to MILESTONES_TEST_BENCH_OUT and ends with the "N passed, N failed" line run.mjs reads.
 */
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { generate } from '../lib/generate';
import { analyseBlocks, type BlockReport, type CpuProfile } from './blocks';

const EXTENSION_ID = 'milestone-studio.milestone-studio';

export interface VscodeBenchResult {
  vscodeVersion: string;
  activation?: { loadCodeMs: number; callActivateMs: number; finishActivateMs: number; event: string } | { error: string } | undefined;
  open?: { ms: number; diagnostics: number; bytes: number; blockMs: number; blocks: BlockReport };
  keystroke?: { medianMs: number; runs: number; timesMs: number[]; blockMs: number; diagnostics: number; blocks: BlockReport };
  errors: string[];
}

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'milestones');
}

/** Resolves on the next diagnostics change of `uri` for which `accept` holds. */
function nextDiagnostics(uri: vscode.Uri, accept: (d: vscode.Diagnostic[]) => boolean, timeoutMs = 60_000): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`no diagnostics for ${uri.path} within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === uri.toString())) return;
      const d = ours(uri);
      if (!accept(d)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(d);
    });
  });
}

/** Our diagnostics as text: an edit of the expression changes the message of its MS306 finding. */
function signature(diagnostics: vscode.Diagnostic[]): string {
  return diagnostics
    .map(
      (d) =>
        `${typeof d.code === 'object' ? String(d.code.value) : String(d.code)} ${d.range.start.line}:${d.range.start.character} ${d.message}`,
    )
    .join('\n');
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] ?? Number.NaN) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** The extension's row of "Developer: Startup Performance" (a text model VS Code renders). */
async function activationStats(): Promise<VscodeBenchResult['activation']> {
  await vscode.commands.executeCommand('perfview.show');
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'perf');
    const row = doc
      ?.getText()
      .split('\n')
      .find((l) => l.includes(EXTENSION_ID));
    if (row) {
      const cells = row
        .split('|')
        .map((c) => c.trim())
        .filter((c) => c !== '');
      // Extension | Eager | Load Code | Call Activate | Finish Activate | Event | By
      const [, , load, call, finish, event] = cells;
      if (load !== undefined && call !== undefined && finish !== undefined) {
        return { loadCodeMs: Number(load), callActivateMs: Number(call), finishActivateMs: Number(finish), event: event ?? '' };
      }
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { error: '"Developer: Startup Performance" showed no row for the extension within 30 s' };
}

/**
 * A CPU profile of the extension host's main thread (node:inspector, in this process) from now
 * until `stop`, read into a BlockReport: how long the longest block was and how much of it was
 * our code. MILESTONES_TEST_BENCH_PROFILE=<prefix> also keeps the profile as <prefix>-<step>.cpuprofile.
 */
async function startProfile(step: string, isOurs: (url: string) => boolean): Promise<{ stop(): Promise<BlockReport> }> {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params ?? {}, (e, r) => (e ? reject(e) : resolve(r))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 500 });
  await post('Profiler.start');
  return {
    async stop() {
      const { profile } = (await post('Profiler.stop')) as { profile: CpuProfile };
      session.disconnect();
      const keep = process.env['MILESTONES_TEST_BENCH_PROFILE'];
      if (keep) writeFileSync(`${keep}-${step}.cpuprofile`, JSON.stringify(profile));
      return analyseBlocks(profile, isOurs);
    },
  };
}

export async function run(): Promise<void> {
  const result: VscodeBenchResult = { vscodeVersion: vscode.version, errors: [] };
  const out = process.env['MILESTONES_TEST_BENCH_OUT'];
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const edits = Number(process.env['MILESTONES_TEST_BENCH_EDITS'] || 10);
  const loop = monitorEventLoopDelay({ resolution: 5 });
  try {
    if (!folder) throw new Error('no workspace folder is open');
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    await extension?.activate();
    // Our code: the extension's bundles (not this bench, which is loaded from elsewhere).
    const bundles = vscode.Uri.joinPath(extension?.extensionUri ?? folder, 'dist').toString() + '/';
    const isOurs = (url: string) => url.startsWith(bundles);
    result.activation = await activationStats();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('milestones').update('validation.debounceMs', 0, vscode.ConfigurationTarget.Workspace);

    const { text } = generate('large', 'findings');
    const uri = vscode.Uri.joinPath(folder, 'bench-large-findings.milestone.json');
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
    let profiler = await startProfile('open', isOurs);
    loop.enable();
    loop.reset();
    const t0 = performance.now();
    const published = nextDiagnostics(uri, (d) => d.length > 0);
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document);
    const shown = await published;
    const openMs = performance.now() - t0;
    const openBlockMs = loop.max / 1e6;
    result.open = {
      ms: openMs,
      diagnostics: shown.length,
      bytes: Buffer.byteLength(text),
      blockMs: openBlockMs,
      blocks: await profiler.stop(),
    };

    // Keystroke-like edits: the middle transaction target's "currentTxn.value>500" literal, a different number each time.
    const marker = '"expression": "currentTxn.value>';
    const at = text.indexOf(marker, Math.floor(text.length / 3));
    if (at < 0) throw new Error('the generated file has no expression to edit');
    const start = document.positionAt(at + marker.length);
    let current = '500';
    const times: number[] = [];
    let diagnostics = 0;
    profiler = await startProfile('edit', isOurs);
    loop.reset();
    for (let i = 1; i <= edits; i++) {
      const next = String(500 + i);
      const range = new vscode.Range(start, start.translate(0, current.length));
      // Ours, changed: not the JSON language service's, which VS Code publishes for the same file.
      const before = signature(ours(uri));
      const t1 = performance.now();
      const updated = nextDiagnostics(uri, (d) => signature(d) !== before);
      await editor.edit((b) => b.replace(range, next));
      diagnostics = (await updated).length;
      times.push(performance.now() - t1);
      current = next;
    }
    const editBlockMs = loop.max / 1e6;
    result.keystroke = {
      medianMs: median(times),
      runs: times.length,
      timesMs: times,
      blockMs: editBlockMs,
      diagnostics,
      blocks: await profiler.stop(),
    };
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.workspace.fs.delete(uri);
    await vscode.workspace.getConfiguration('milestones').update('validation.debounceMs', undefined, vscode.ConfigurationTarget.Workspace);
  } catch (e) {
    result.errors.push(e instanceof Error ? e.message : String(e));
  } finally {
    loop.disable();
  }
  if (out) await vscode.workspace.fs.writeFile(vscode.Uri.file(out), Buffer.from(JSON.stringify(result, null, 2), 'utf8'));
  console.log(`${result.errors.length ? 0 : 1} passed, ${result.errors.length} failed`);
  if (result.errors.length) throw new Error(result.errors.join('; '));
}
