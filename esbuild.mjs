// Bundles the extension and the CLI. Writes a metafile per bundle (dist/*.meta.json) so the
// bundle size is looked at, not guessed (`npm run bench` reports the top contributors).
import * as esbuild from 'esbuild';
import { readFileSync } from 'node:fs';
import { writeFile, mkdir } from 'node:fs/promises';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  metafile: true,
  logLevel: 'warning',
  legalComments: 'none',
  // jsonc-parser's UMD build (its "main") requires files dynamically; its ESM build bundles cleanly.
  mainFields: ['module', 'main'],
};

// dist/extension.js loads dist/core.js (the heavy core) on first use: keep that import external.
const lazyCore = {
  name: 'lazy-core',
  setup(build) {
    build.onResolve({ filter: /^\.\/core\.js$/ }, (args) =>
      args.importer.endsWith('src/extension/lazy.ts') ? { path: './core.js', external: true } : undefined,
    );
  },
};

// dist/cli-local.js: the CLI with only the commands that need no network (src/cli/localCommands.json),
// which dist/cli.js loads for those and for help: a quarter of the full bundle, no undici. Every other
// command module is replaced by one that hands the whole command line to dist/cli-main.js.
const LOCAL_COMMANDS = JSON.parse(readFileSync('src/cli/localCommands.json', 'utf8'));
const localCli = {
  name: 'local-cli',
  setup(build) {
    build.onResolve({ filter: /^\.\/\w+\.js$/ }, (args) => {
      if (!args.importer.replace(/\\/g, '/').endsWith('src/cli/commands/index.ts')) return undefined;
      const name = args.path.slice(2, -3);
      return LOCAL_COMMANDS.includes(name) ? undefined : { path: name, namespace: 'full-cli-command' };
    });
    build.onResolve({ filter: /^\.\/cli-main\.js$/ }, () => ({ path: './cli-main.js', external: true }));
    build.onLoad({ filter: /.*/, namespace: 'full-cli-command' }, (args) => ({
      loader: 'js',
      resolveDir: '.',
      contents: `const name = ${JSON.stringify(args.path)};
export const ${args.path}Command = { name, usage: '', run: (argv, io) => require('./cli-main.js').runCli([name, ...argv], io) };`,
    }));
  },
};

// The language server (dist/lsp.js) and the MCP server (dist/mcp.js) are bundles of their own,
// which their command modules (src/cli/commands/lsp.ts, mcp.ts) require when the command runs:
// neither the protocol libraries nor the SDK and zod are in the CLI bundles, so they cost
// `milestones validate` (and every other command) nothing.
const ADAPTERS = { lsp: './lsp.js', mcp: './mcp.js' };
const adapters = {
  name: 'adapters',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/\.\.\/(lsp|mcp)\/\w+\.js$/ }, (args) => {
      const importer = args.importer.replace(/\\/g, '/');
      const name = args.path.split('/')[2];
      return importer.endsWith(`src/cli/commands/${name}.ts`) ? { path: ADAPTERS[name], external: true } : undefined;
    });
  },
};

const builds = [
  { entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [lazyCore], minify: true, meta: 'dist/extension.meta.json' },
  { entryPoints: ['src/extension/core.ts'], outfile: 'dist/core.js', minify: true, meta: 'dist/core.meta.json' },
  // The CLI: dist/cli.js (src/cli/bin.ts, a few lines) loads dist/cli-local.js or dist/cli-main.js through V8's code cache.
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli-main.js', minify: true, plugins: [adapters], meta: 'dist/cli.meta.json' },
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli-local.js', minify: true, plugins: [adapters, localCli], meta: 'dist/cli-local.meta.json' },
  // `milestones lsp --stdio` and `milestones mcp` (loaded by cli-local's lsp and mcp commands).
  { entryPoints: ['src/lsp/server.ts'], outfile: 'dist/lsp.js', minify: true, meta: 'dist/lsp.meta.json' },
  { entryPoints: ['src/mcp/server.ts'], outfile: 'dist/mcp.js', minify: true, plugins: [adapters], meta: 'dist/mcp.meta.json' },
  { entryPoints: ['src/cli/bin.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, meta: null },
  // Validates large files off the editor's thread, the extension host's or the language server's (src/core/language/offThread.ts).
  { entryPoints: ['src/core/language/validationWorker.ts'], outfile: 'dist/validationWorker.js', minify: true, meta: null },
  { entryPoints: ['test/integration/index.ts'], outfile: 'dist-test/integration/index.js', external: ['vscode', 'mocha'], meta: null },
];

await mkdir('dist', { recursive: true });
for (const { meta, ...options } of builds) {
  if (watch) {
    const ctx = await esbuild.context({ ...common, ...options });
    await ctx.watch();
  } else {
    const result = await esbuild.build({ ...common, ...options });
    if (meta) await writeFile(meta, JSON.stringify(result.metafile));
  }
}
