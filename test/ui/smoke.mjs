// UI smoke test: installs the packaged extension (.vsix) into code-server, opens a copy of
// examples/ in headless chromium with a running sandbox as the connection, and drives the
// workbench like a user: the Milestones activity-bar view (adding a demo customer when the
// view offers the command) and a deploy of an example file. Screenshots go to test-results/.
// Asserts only what the manifest contributes (a missing view or command is reported, not failed),
// so it runs from the first skeleton on. Expects `npm run build` done.
//
// Usage: node test/ui/smoke.mjs        Env: MILESTONES_UI_TIMEOUT_MS (default 10 min)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  CACHE, ROOT, RuntimeError, freshWorkspace, guarded, install, installVsix, launchChromium, runMain, say, startCodeServer, startSandbox, workbenchUrl,
} from '../../scripts/vscode-test/runtime.mjs';

const RESULTS = join(ROOT, 'test-results');
const VSIX = join(CACHE, `milestone-studio-${process.pid}.vsix`);
const TIMEOUT_MS = Number(process.env.MILESTONES_UI_TIMEOUT_MS || 10 * 60_000);

/** Manifest contributions with `%key%` titles resolved from package.nls.json. */
function readManifest() {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const nlsFile = join(ROOT, 'package.nls.json');
  const nls = existsSync(nlsFile) ? JSON.parse(readFileSync(nlsFile, 'utf8')) : {};
  const text = (s) => (typeof s === 'string' ? s.replace(/^%(.+)%$/, (m, k) => (typeof nls[k] === 'string' ? nls[k] : m)) : '');
  const c = manifest.contributes ?? {};
  const commands = (c.commands ?? []).map((x) => ({ id: x.command, label: `${x.category ? `${text(x.category)}: ` : ''}${text(x.title)}` }));
  const container = (c.viewsContainers?.activitybar ?? [])[0];
  return {
    commands,
    container: container && { id: container.id, title: text(container.title) },
    views: container ? (c.views?.[container.id] ?? []).map((v) => text(v.name)) : [],
  };
}

function packageVsix() {
  mkdirSync(CACHE, { recursive: true });
  rmSync(VSIX, { force: true });
  const r = spawnSync(join(ROOT, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', VSIX],
    { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) {
    console.error(`${r.stdout}${r.stderr}`.trim().split('\n').slice(-20).join('\n'));
    throw new RuntimeError('Packaging the extension with "vsce package" failed (see above); the manifest or .vscodeignore needs fixing before the UI test can install it.');
  }
  say(`packaged ${relative(ROOT, VSIX)}`);
}

/** Definition files in the workspace, relative paths. */
function exampleFiles(ws, dir = ws) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : exampleFiles(ws, p);
    return /\.milestone\.jsonc?$/.test(e.name) ? [relative(ws, p)] : [];
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  if (!existsSync(join(ROOT, 'dist', 'extension.js'))) throw new RuntimeError('dist/extension.js is missing; run "npm run build" before the UI test.');
  install();
  packageVsix();
  const manifest = readManifest();
  const failures = [];
  const notes = [];
  const timeoutMessage = `The UI smoke test did not finish within ${Math.round(TIMEOUT_MS / 1000)} s and was stopped.`;
  await guarded({ timeoutMs: TIMEOUT_MS, timeoutMessage }, async (cleanups) => {
    // One folder per run: several runs may share the checkout at once.
    const runDir = join(CACHE, 'runs', `ui-${process.pid}`);
    rmSync(runDir, { recursive: true, force: true });
    cleanups.push(() => { if (failures.length === 0) rmSync(runDir, { recursive: true, force: true }); else say(`logs: ${runDir}`); });
    installVsix(runDir, VSIX);
    rmSync(VSIX, { force: true });
    const { folder: ws, remove: removeWs } = freshWorkspace('milestones-ui-');
    cleanups.push(removeWs);

    let sandbox;
    try {
      sandbox = await startSandbox({ logFile: join(runDir, 'sandbox.log') });
      cleanups.push(sandbox.stop);
      say(`sandbox ${sandbox.url}`);
    } catch (error) {
      notes.push(`no sandbox (${error.message}); the extension runs without a connection`);
    }
    const server = await startCodeServer({ runDir, env: sandbox?.env ?? {} });
    cleanups.push(server.stop);
    const { page, close } = await launchChromium({ profileDir: join(runDir, 'chromium') });
    cleanups.push(close);
    mkdirSync(RESULTS, { recursive: true });
    const shot = async (name) => {
      await page.screenshot({ path: join(RESULTS, name) });
      say(`screenshot test-results/${name}`);
    };
    /** A step that must work: failure is recorded and the run goes on to the next screenshot. */
    const must = async (what, fn) => {
      try { await fn(); say(`ok: ${what}`); } catch (error) { failures.push(`${what}: ${String(error?.message ?? error).split('\n')[0]}`); say(`FAILED: ${what}`); }
    };
    /** F1 and `query` (">Title" runs a command, a bare name opens a file); Enter on the row showing `rowText`. */
    const quickPick = async (query, rowText) => {
      await page.keyboard.press('Escape');
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 20_000 });
      await input.fill(query);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: rowText }).first().waitFor({ timeout: 20_000 });
      await page.keyboard.press('Enter');
    };
    const palette = (label) => quickPick(`>${label}`, label);

    await page.goto(await workbenchUrl(server.url, { folder: ws }), { waitUntil: 'domcontentloaded' });
    await must('the workbench loads with the workspace', async () => {
      await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
      await page.locator('.explorer-folders-view').waitFor({ timeout: 90_000 });
    });
    // A wider side bar, so tree labels are readable in the screenshots.
    const sidebarBox = await page.locator('.part.sidebar').boundingBox().catch(() => null);
    if (sidebarBox) {
      const y = sidebarBox.y + sidebarBox.height / 2;
      await page.mouse.move(sidebarBox.x + sidebarBox.width + 1, y);
      await page.mouse.down();
      await page.mouse.move(sidebarBox.x + sidebarBox.width + 180, y, { steps: 5 });
      await page.mouse.up();
    }
    await sleep(2000);
    await shot('ui-workbench.png');

    const examples = exampleFiles(ws);
    if (examples.length > 0) {
      await must(`an example file opens in an editor (${examples[0]})`, async () => {
        const name = examples[0].split('/').pop();
        await quickPick(name, name);
        await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ timeout: 20_000 });
      });
      await must('the Problems panel shows the file\'s findings', async () => {
        await page.keyboard.press('Control+Shift+M');
        await page.locator('.markers-panel').first().waitFor({ timeout: 20_000 });
      });
      await sleep(2500);
      await shot('ui-authoring.png');
      await page.keyboard.press('Control+J'); // hide the panel again: more room for the next screenshots
    } else notes.push('examples/ holds no *.milestone.json yet: no file opened, no deploy');

    if (manifest.container) {
      await must(`the "${manifest.container.title}" activity-bar view opens`, async () => {
        await page.locator(`.activitybar .action-item .action-label[aria-label^="${manifest.container.title}"]`).first().click({ timeout: 30_000 });
        // A lone view's name is merged into the side bar title; several get pane headers.
        for (const view of manifest.views) await page.locator('.part.sidebar .title, .part.sidebar .pane-header', { hasText: view }).first().waitFor({ timeout: 30_000 });
      });
      const startButton = page.locator('.part.sidebar .welcome-view-content .monaco-button', { hasText: /sandbox/i }).first();
      if (!sandbox && await startButton.isVisible().catch(() => false)) {
        await must('the welcome view\'s "Start Local Sandbox" button connects', async () => {
          await startButton.click();
          await startButton.waitFor({ state: 'hidden', timeout: 30_000 });
        });
      }
      const addCustomer = manifest.commands.find((c) => /add.*customer/i.test(c.id));
      if (addCustomer && sandbox?.demoCustomers[0]) {
        await must(`"${addCustomer.label}" adds demo customer ${sandbox.demoCustomers[0]}`, async () => {
          await palette(addCustomer.label);
          const input = page.locator('.quick-input-widget input');
          await input.waitFor({ state: 'visible', timeout: 20_000 });
          await input.fill(sandbox.demoCustomers[0]);
          await page.keyboard.press('Enter');
          await page.locator('.sidebar .monaco-list-row', { hasText: sandbox.demoCustomers[0] }).first().waitFor({ timeout: 30_000 });
        });
        // Expand down the first branch (customer > target > period > events) so the screenshot shows the tree's depth.
        for (let level = 0; level < 3; level++) {
          const collapsed = page.locator('.part.sidebar .monaco-list-row[aria-expanded="false"]').first();
          if (!await collapsed.waitFor({ timeout: 15_000 }).then(() => true, () => false)) break;
          await collapsed.locator('.monaco-tl-twistie').click().catch(() => {});
          await sleep(2500);
        }
      } else notes.push('no "add customer" command or no sandbox: the explorer screenshot shows its empty state');
      await sleep(1500);
      await shot('ui-explorer.png');
    } else {
      notes.push('the manifest contributes no activity-bar view container yet');
      await shot('ui-explorer.png');
    }

    const deploy = manifest.commands.find((c) => c.id === 'milestones.deploy') ?? manifest.commands.find((c) => /deploy/i.test(c.id) && !/dry/i.test(c.id));
    if (deploy && examples.length > 0) {
      await must(`"${deploy.label}" runs from the command palette`, async () => {
        await page.locator('.editor-instance .view-lines').first().click({ timeout: 10_000 }).catch(() => {});
        await palette(deploy.label);
        await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => {});
      });
      await sleep(5000);
      await shot('ui-deploy.png');
      await must('the deploy shows no error notification', async () => {
        const errors = await page.locator('.notifications-toasts .notification-toast:has(.codicon-error)').allInnerTexts();
        if (errors.length) throw new Error(errors.map((t) => t.replace(/\s+/g, ' ').trim()).join(' | '));
      });
    } else if (!deploy) notes.push('the manifest contributes no deploy command yet');
  });
  for (const n of notes) say(`note: ${n}`);
  if (failures.length) {
    for (const f of failures) console.error(`[vscode-test] UI step failed: ${f}`);
    console.log(`UI smoke: ${failures.length} step(s) failed; screenshots in test-results/`);
    return 1;
  }
  console.log('UI smoke: passed; screenshots in test-results/');
  return 0;
}

runMain(main);
