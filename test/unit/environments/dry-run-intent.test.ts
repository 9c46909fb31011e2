/**
 * Issue 22 (rest of item 2): the dry run has no client, so it settles no open create intent, but
 * it says that one is open for the file and that the real deploy first looks for the group the
 * earlier create may have made. It reads only the intent store: no request is sent.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readIntent } from '../../../src/core/environments/intent';
import { RecordStore } from '../../../src/core/environments/store';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';
import { definitionText, sandboxEnv } from '../helpers/sandbox';
import { runCliIn, type CliRun } from '../helpers/cli';

let sb: SandboxHandle;
let dir: string;
const requests: string[] = [];

before(async () => {
  sb = await startSandbox({ allowFaults: true, log: (line) => requests.push(line) });
  dir = await mkdtemp(join(tmpdir(), 'ms-dry-intent-'));
  await mkdir(join(dir, '.git'));
});
after(async () => {
  await sb?.stop();
  await rm(dir, { recursive: true, force: true });
});

const run = (argv: string[]): Promise<CliRun> => runCliIn(argv, { env: sandboxEnv(sb), cwd: dir });

test('deploy --dry-run names an open create intent and what the real deploy does first; it sends nothing', async () => {
  const file = 'dry-intent.milestone.json';
  await writeFile(join(dir, file), definitionText('dry run intent'));
  const quiet = await run(['deploy', file, '--dry-run']);
  assert.equal(quiet.code, 0, quiet.err);
  assert.doesNotMatch(quiet.err, /earlier create/, 'no intent, no note');

  sb.setFault({ kind: 'reset' }, { times: 1 });
  const lost = await run(['deploy', file, '--yes']);
  assert.equal(lost.code, 1, lost.out);
  const store = await RecordStore.forFile(join(dir, file));
  assert.ok(await readIntent(store, join(dir, file), sb.url), 'the lost answer left an open intent');

  const from = requests.length;
  const dry = await run(['deploy', file, '--dry-run']);
  assert.equal(dry.code, 0, dry.err);
  assert.equal(requests.length, from, 'the dry run sends no request');
  assert.match(
    dry.err,
    /^note: An earlier create of this file on .* \(group "dry run intent", sent \d{4}-\d\d-\d\dT[^)]*\) did not finish: the platform may have made the group\. The real deploy first looks for it on the platform by that exact name/m,
  );
  assert.match(dry.err, /The open intent: \.milestones\/intents\/.*dry-intent\.milestone\.json\.json$/m);
  assert.match(dry.out, /^POST .*\/v3\/targetGroups/m, 'the request it would send is still shown');

  // The real deploy settles it (nothing was made: a plain create), and the dry run is quiet again.
  const real = await run(['deploy', file, '--yes']);
  assert.equal(real.code, 0, real.err);
  assert.equal(await readIntent(store, join(dir, file), sb.url), undefined);
  await writeFile(join(dir, file), definitionText('dry run intent').replace('first description', 'second description'));
  assert.doesNotMatch((await run(['deploy', file, '--dry-run'])).err, /earlier create/);
});

test('an unreadable intent stops the dry run as it stops the deploy', async () => {
  const file = 'dry-broken.milestone.json';
  await writeFile(join(dir, file), definitionText('dry run broken intent'));
  const store = await RecordStore.forFile(join(dir, file));
  const path = store.intentPath(join(dir, file), sb.url);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, 'not json');
  const r = await run(['deploy', file, '--dry-run']);
  assert.equal(r.code, 1, r.err);
  assert.match(r.err, /is not valid JSON \(a create intent\)/);
});
