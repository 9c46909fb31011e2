// Bundles the extension and the CLI. Writes a metafile per bundle (dist/*.meta.json) so the
// bundle size is looked at, not guessed (`npm run bench` reports the top contributors).
import * as esbuild from 'esbuild';
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

const builds = [
  { entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [lazyCore], minify: true, meta: 'dist/extension.meta.json' },
  { entryPoints: ['src/extension/core.ts'], outfile: 'dist/core.js', minify: true, meta: 'dist/core.meta.json' },
  // The CLI: dist/cli.js (src/cli/bin.ts, a few lines) loads dist/cli-main.js through V8's code cache.
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli-main.js', minify: true, meta: 'dist/cli.meta.json' },
  { entryPoints: ['src/cli/bin.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, meta: null },
  // Validates large files off the extension host's thread (src/extension/authoring/offThread.ts).
  { entryPoints: ['src/extension/validationWorker.ts'], outfile: 'dist/validationWorker.js', minify: true, meta: null },
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
