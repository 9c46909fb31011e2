/**
 * Issue 22 (rest of item 3): a line break inside a name or a value cannot forge a line of a
 * message. Group, target and period names on the platform and names in local files (and a file's
 * own name) carry every kind of line break (LF, CRLF, CR, VT, FF, NEL, U+2028, U+2029) followed
 * by a forged line; deploy, its dry run, plan, apply, pull, link and the error lines must show
 * them as escapes inside their one line, so no printed line starts with the forged text.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';
import { seedState } from '../../../src/core/sandbox/seed';
import { saveState } from '../../../src/core/sandbox/state';
import { isTerminalSafe } from '../../../src/core/util/terminalText';
import { basicClient, definitionText, sandboxEnv } from '../helpers/sandbox';
import { runCliIn, type CliRun } from '../helpers/cli';

const FORGED = 'FORGED ok';
export const LINE_BREAKS: readonly string[] = ['\n', '\r\n', '\r', '\v', '\f', '\u0085', '\u2028', '\u2029'];
/** A name whose every line break starts a forged line. */
const forging = (base: string): string => base + LINE_BREAKS.map((b) => `${b}${FORGED}`).join('');

/** No raw control anywhere, and no printed line (stdout or stderr) that begins with the forged text. */
function assertNoForgedLine(r: CliRun, what: string): void {
  assert.ok(isTerminalSafe(r.out), `${what}: raw control in stdout: ${JSON.stringify(r.out.slice(0, 400))}`);
  assert.ok(isTerminalSafe(r.err), `${what}: raw control in stderr: ${JSON.stringify(r.err.slice(0, 400))}`);
  for (const line of `${r.out}\n${r.err}`.split('\n'))
    assert.ok(!line.trimStart().startsWith('FORGED'), `${what}: a forged line was printed: ${JSON.stringify(line)}`);
}

/** Every name and description the sandbox serves ends with the forging breaks. */
function poison(value: unknown, key = ''): unknown {
  if (typeof value === 'string') return key === 'name' || key === 'description' ? forging(value) : value;
  if (Array.isArray(value)) return value.map((v) => poison(v, key));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, poison(v, k)]));
  return value;
}

let sb: SandboxHandle;
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ms-breaks-'));
  await mkdir(join(dir, '.git'));
  await saveState(join(dir, 'sandbox.json'), poison(seedState()) as ReturnType<typeof seedState>);
  sb = await startSandbox({ dataFile: join(dir, 'sandbox.json') });
  await writeFile(join(dir, 'milestones.config.json'), JSON.stringify({ environments: { uat: { baseUrl: sb.url } } }));
});
after(async () => {
  await sb?.stop();
  await rm(dir, { recursive: true, force: true });
});

const run = (argv: string[]): Promise<CliRun> => runCliIn(argv, { env: sandboxEnv(sb), cwd: dir });
/** A definition whose group name (written as JSON escapes) carries the breaks. */
const hostileDefinition = (base: string): string => definitionText(JSON.stringify(forging(base)).slice(1, -1));

describe('a line break in a name never starts a line of its own', () => {
  test('deploy: the dry run, the create, the ids written back, an edit, a conflict and an error', async () => {
    const file = 'made.milestone.json';
    await writeFile(join(dir, file), hostileDefinition('made'));
    const dry = await run(['deploy', file, '--dry-run']);
    assert.equal(dry.code, 0, dry.err);
    assertNoForgedLine(dry, 'deploy --dry-run');
    // The body is still the exact JSON that would be sent.
    const body = dry.out.slice(dry.out.indexOf('\n{') + 1, dry.out.indexOf('\n}\n') + 2);
    assert.equal((JSON.parse(body) as { name: string }).name, forging('made'));

    const created = await run(['deploy', file, '--yes']);
    assert.equal(created.code, 0, created.err);
    assertNoForgedLine(created, 'deploy (create)');
    assert.match(created.out, /Created target group \d+ "made\\x0aFORGED/);
    assert.match(created.out, /\\u2028FORGED.*\\u2029FORGED/);

    // The same name again, as a new group: the platform refuses it; its error is one line too.
    await writeFile(join(dir, 'again.milestone.json'), hostileDefinition('made'));
    const clash = await run(['deploy', 'again.milestone.json', '--yes']);
    assert.notEqual(clash.code, 0);
    assertNoForgedLine(clash, 'deploy (name taken)');

    // The live group renamed on the platform (a name with breaks) while the file changed too: a conflict, described in one line.
    const { data: groups } = await basicClient(sb).listTargetGroups();
    const live = groups.find((g) => g.name === forging('made'));
    assert.ok(live?.id);
    const client = basicClient(sb);
    try {
      await client.editTargetGroup(live.id, { name: forging('renamed live') });
    } finally {
      await client.close();
    }
    await writeFile(join(dir, file), hostileDefinition('edited locally'));
    const conflict = await run(['deploy', file, '--yes']);
    assert.equal(conflict.code, 1, conflict.err);
    assertNoForgedLine(conflict, 'deploy (conflict)');
    const forced = await run(['deploy', file, '--yes', '--force']);
    assert.equal(forced.code, 0, forced.err);
    assertNoForgedLine(forced, 'deploy --force (edit)');
  });

  test('plan and apply over a file whose own name carries a line break', async () => {
    const sub = join(dir, 'ws');
    await mkdir(join(sub, '.git'), { recursive: true });
    await writeFile(join(sub, 'milestones.config.json'), JSON.stringify({ environments: { uat: { baseUrl: sb.url } } }));
    await writeFile(join(sub, `x\n${FORGED}.milestone.json`), hostileDefinition('planned'));
    const inSub = (argv: string[]): Promise<CliRun> => runCliIn(argv, { env: sandboxEnv(sb), cwd: sub });
    const plan = await inSub(['plan', '.', '--env', 'uat']);
    assert.equal(plan.code, 0, plan.err);
    assertNoForgedLine(plan, 'plan');
    assert.match(plan.out, /x\\x0aFORGED/);
    const apply = await inSub(['apply', '.', '--env', 'uat', '--yes']);
    assert.equal(apply.code, 0, apply.err);
    assertNoForgedLine(apply, 'apply');
  });

  test('pull, link and the read commands', async () => {
    const group = String(sb.demo.targetGroupIds[0]);
    for (const argv of [
      ['pull', group],
      ['pull', group, '--out', 'pulled.milestone.json'],
      ['targets', String(sb.demo.customerIds[0])],
      ['progress', String(sb.demo.customerIds[0])],
    ]) {
      const r = await run(argv);
      assert.equal(r.code, 0, `${argv.join(' ')}: ${r.err}`);
      assertNoForgedLine(r, argv.join(' '));
    }
    await writeFile(join(dir, 'linked.milestone.json'), hostileDefinition('linked'));
    const linked = await run(['link', 'linked.milestone.json', String(sb.demo.targetGroupIds[1])]);
    assert.equal(linked.code, 0, linked.err);
    assertNoForgedLine(linked, 'link');
  });

  test('usage errors echo what was typed on one line', async () => {
    assertNoForgedLine(await run([`x\n${FORGED}`]), 'unknown command');
    assertNoForgedLine(await run(['deploy', `missing\n${FORGED}.milestone.json`]), 'missing file');
    assertNoForgedLine(await run(['plan', '--format', `x\u2028${FORGED}`]), 'bad format');
  });
});
