/**
 * The language server's didOpen → diagnostics (issue 27.5): `node --import tsx bench/lsp.ts`
 * after `npm run build`. Spawns `node dist/cli.js lsp --stdio` (as an editor does) and, over a real
 * JSON-RPC connection (vscode-jsonrpc), opens the typical (4.9 KB) and the large (1 MB) generated
 * definition, with and without findings, each run under a new uri (so nothing is cached), and times
 * from sending didOpen to receiving its publishDiagnostics. Files of 64 KB or more are validated on
 * the server's worker thread. Prints a Markdown table of medians; `npm run bench -- --only lsp` runs it as a section.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { generate } from './lib/generate';

const ROOT = join(__dirname, '..');
const RUNS: Record<string, number> = { typical: 40, large: 15 };

async function main(): Promise<void> {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const waiting = new Map<string, (count: number) => void>();
  connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: unknown[] }) =>
    waiting.get(p.uri)?.(p.diagnostics.length),
  );
  connection.listen();
  await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
  await connection.sendNotification('initialized', {});

  let n = 0;
  const open = async (text: string): Promise<{ ms: number; count: number }> => {
    const uri = `file:///bench/run-${n++}.milestone.json`;
    const got = new Promise<number>((resolve) => waiting.set(uri, resolve));
    const start = process.hrtime.bigint();
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'json', version: 1, text } });
    const count = await got;
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    waiting.delete(uri);
    await connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    return { ms, count };
  };

  const rows: string[] = [];
  for (const size of ['typical', 'large'] as const) {
    for (const variant of ['clean', 'findings'] as const) {
      const { text } = generate(size, variant);
      const first = await open(text);
      const times: number[] = [];
      let count = first.count;
      for (let i = 0; i < (RUNS[size] ?? 10); i++) {
        const r = await open(text);
        times.push(r.ms);
        count = r.count;
      }
      times.sort((a, b) => a - b);
      const median = times[Math.floor(times.length / 2)] ?? NaN;
      rows.push(
        `| ${size} (${(text.length / 1024).toFixed(1)} KB), ${variant === 'clean' ? 'no findings' : 'with findings'} | ${median.toFixed(2)} ms | ${first.ms.toFixed(2)} ms | ${times.length} | ${count} |`,
      );
    }
  }
  await connection.sendRequest('shutdown');
  await connection.sendNotification('exit');
  connection.dispose();
  child.kill();
  console.log(
    `Measured ${new Date().toISOString()}, Node ${process.version}, ${process.platform} ${process.arch}; load average ${(
      await import('node:os')
    )
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}.\n`,
  );
  console.log('| file | didOpen → diagnostics, median | first open (cold) | runs | diagnostics |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) console.log(r);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
