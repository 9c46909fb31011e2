// `npm start` as a person sees it: runs `node scripts/start.mjs --browser` (the browser VS Code of
// the test runtime, a sandbox, the working copy of examples/), opens the URL it prints in
// headless chromium, opens an example and runs "Milestones: Validate Milestone File", and checks
// that the answer shows as a notification toast (with the smoke-test driver the workbench hides
// every toast; issue 11 item 1), that the extension was loaded from this folder, and that the
// started workspace does not auto-save (item 10).
// Screenshot: test-results/start-toast.png. Expects `npm run build` done.
//
// Usage: node test/ui/start.mjs      (npm run test:start)
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CACHE,
  ROOT,
  RuntimeError,
  freePort,
  guarded,
  killGroup,
  launchChromium,
  runMain,
  say,
} from '../../scripts/vscode-test/runtime.mjs';
import { quickPick as pickInWorkbench } from './workbench.mjs';

const RESULTS = join(ROOT, 'test-results');

runMain(() =>
  guarded({ timeoutMs: 8 * 60_000, timeoutMessage: 'npm start did not show a toast within 8 minutes.' }, async (cleanups) => {
    mkdirSync(RESULTS, { recursive: true });
    const port = await freePort();
    const start = spawn(process.execPath, [join(ROOT, 'scripts', 'start.mjs'), '--browser'], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, MILESTONES_START_PORT: String(port) },
    });
    cleanups.push(() => killGroup(start.pid));
    let output = '';
    const url = await new Promise((resolveUrl, reject) => {
      const onData = (chunk) => {
        output += chunk;
        const m = /(http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+)/.exec(output);
        if (m) resolveUrl(m[1]);
      };
      start.stdout.on('data', onData);
      start.stderr.on('data', onData);
      start.on('exit', (code) => reject(new RuntimeError(`npm start exited (${code}) before printing a URL:\n${output}`)));
    });
    if (/payload=/.test(url)) throw new RuntimeError(`npm start still passes a test payload: ${url}`);
    say(`npm start printed ${url}`);
    // Browser VS Code auto-saves by default, and File: Revert then has nothing to restore (item 10).
    const folder = decodeURIComponent(/folder=([^&]+)/.exec(url)[1]);
    const settings = JSON.parse(readFileSync(join(folder, '.vscode', 'settings.json'), 'utf8'));
    if (settings['files.autoSave'] !== 'off')
      throw new RuntimeError(`the started workspace auto-saves (files.autoSave ${JSON.stringify(settings['files.autoSave'])})`);

    const browser = await launchChromium({ profileDir: join(CACHE, 'runs', `start-check-${process.pid}`, 'chromium') });
    cleanups.push(browser.close);
    const { page } = browser;
    let toast;
    try {
      await page.goto(url, { waitUntil: 'domcontentloaded' });
      await page.locator('.explorer-folders-view').waitFor({ timeout: 90_000 });

      const quickPick = (query, rowText) => pickInWorkbench(page, query, rowText, { timeout: 30_000 });
      const file = 'rewards-points.milestone.json';
      await quickPick(file, file);
      await page.locator('.tabs-container .tab.active', { hasText: file }).first().waitFor({ timeout: 30_000 });
      // The CodeLens and the command exist only when the extension loaded (from the link to this folder).
      await page.locator('.codelens-decoration', { hasText: 'Validate' }).first().waitFor({ timeout: 60_000 });
      await quickPick('>Milestones: Validate Milestone File', 'Validate Milestone File');
      toast = page.locator('.notifications-toasts .notification-toast', { hasText: file }).first();
      await toast.waitFor({ state: 'visible', timeout: 60_000 });
    } finally {
      await page.screenshot({ path: join(RESULTS, 'start-toast.png') }).catch(() => {});
      say('screenshot test-results/start-toast.png');
    }
    say(`ok: the validation answer shows as a toast: "${(await toast.innerText()).split('\n')[0]}"`);
    await killGroup(start.pid);
    return 0;
  }),
);
