/**
 * The review of a deploy in a diff (core/deploy/review.ts): both sides without comments, the
 * first real change found below the header, the changes field by field; against the sandbox.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyEdits } from 'jsonc-parser';
import fc from 'fast-check';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';
import type { CapillaryClient } from '../../../src/core/api/client';
import {
  changeLine,
  createSummary,
  deployFile,
  fileChanges,
  lastSeenGroup,
  liveView,
  platformChanges,
  reviewPair,
  sentView,
  writeBackEdits,
  type DeployPorts,
} from '../../../src/core/deploy';
import { firstDifferentLine } from '../../../src/core/deploy/review';
import type { EnvironmentPlan } from '../../../src/core/environments';
import { RecordStore } from '../../../src/core/environments';
import { basicClient, definitionText } from '../helpers/sandbox';

let sb: SandboxHandle;
let client: CapillaryClient;
let dir: string;

before(async () => {
  sb = await startSandbox({});
  client = basicClient(sb);
  dir = await mkdtemp(join(tmpdir(), 'ms-review-'));
  await mkdir(join(dir, '.git'));
});
after(async () => {
  await client.close();
  await sb.stop();
  await rm(dir, { recursive: true, force: true });
});

type Seen = { ep: EnvironmentPlan; at: 'conflict' | 'confirm' };

/** Ports that decline everything after the create and keep what the review would be built from. */
function ports(file: string, seen: Seen[]): DeployPorts {
  return {
    missing: async () => false,
    conflict: async (_v, ep) => {
      seen.push({ ep, at: 'conflict' });
      return 'cancel';
    },
    takeLive: async () => false,
    confirm: async (ep) => {
      seen.push({ ep, at: 'confirm' });
      return ep.plan.mode === 'create';
    },
    writeIds: async (_ep, response) => {
      const text = await readFile(file, 'utf8');
      await writeFile(file, applyEdits(text, writeBackEdits(text, response)));
      return true;
    },
  };
}

/** A file deployed (created) to the sandbox, with its record store: the start of each review. */
async function deployed(fileName: string, name: string, seen: Seen[]) {
  const file = join(dir, fileName);
  await writeFile(file, definitionText(name));
  const store = await RecordStore.forFile(file, dir);
  const environment = { baseUrl: client.baseUrl, name: 'Sandbox' };
  const created = await deployFile({ text: await readFile(file, 'utf8'), file, environment, client, store }, ports(file, seen));
  assert.equal(created.status, 'created');
  const id = created.status === 'created' ? created.response.id : 0;
  const again = async (text: string) => deployFile({ text, file, environment, client, store }, ports(file, seen));
  return { id, text: await readFile(file, 'utf8'), again };
}

const LONG = 'A description long enough to run off the right edge of a half-width editor: '.repeat(3).trim();

describe('deploy review', () => {
  test('an edit: no comment is a change, the review opens at the description, the summary names it with both values', async () => {
    const seen: Seen[] = [];
    const file = await deployed('edit.milestone.jsonc', 'Review edit', seen);
    const text = file.text.replace('"first description"', JSON.stringify(LONG));
    assert.match(text, /\/\/ Milestone for the round-trip test/);
    const declined = await file.again(text);
    assert.equal(declined.status, 'declined');
    const ep = seen[seen.length - 1]?.ep;
    assert.ok(ep?.verdict && 'liveChanges' in ep.verdict && ep.plan.live);
    const live = liveView(text, ep.verdict.live);
    const sent = sentView(text, ep.prepared.value ?? {});
    assert.doesNotMatch(live + sent, /\/\//, 'no comment on either side');
    const changes = fileChanges(ep.verdict, ep.prepared.body ?? {});
    assert.deepEqual(
      changes.map((c) => changeLine(c)),
      [`description: "first description" → ${JSON.stringify(LONG)}`],
    );
    const header = ['Edit of target group', ...changes.map(changeLine)];
    const pair = reviewPair(header, live, sent);
    const lines = pair.modified.split('\n');
    assert.equal(pair.original.split('\n').length, lines.length, 'one line changes, nothing else');
    assert.match(lines[pair.firstChange] ?? '', /"description"/, 'the review opens at the first real change');
    assert.ok(pair.firstChange >= header.length);
    const differing = lines.filter((l, i) => l !== pair.original.split('\n')[i]);
    assert.equal(differing.length, 1, differing.join('\n'));

    // The same file without its comments reviews the same.
    const bare = text.replace(/^\s*\/\/.*\n/gm, '');
    assert.equal(sentView(bare, ep.prepared.value ?? {}), sent);
  });

  test('a conflict: last seen ↔ live shows what changed on the platform, field by field', async () => {
    const seen: Seen[] = [];
    const file = await deployed('conflict.milestone.jsonc', 'Review conflict', seen);
    const id = file.id;
    const group = (await client.getTargetGroup(id)).data;
    await client.editTargetGroup(id, { id, name: group.name, description: 'changed on the platform' });
    const text = file.text.replace('"first description"', '"mine"');
    const outcome = await file.again(text);
    assert.equal(outcome.status, 'conflict');
    const ep = seen[seen.length - 1]?.ep;
    assert.equal(seen[seen.length - 1]?.at, 'conflict');
    assert.ok(ep?.verdict && 'liveChanges' in ep.verdict);
    assert.deepEqual(platformChanges(ep.verdict).map(changeLine), ['description: "first description" → "changed on the platform"']);
    assert.deepEqual(fileChanges(ep.verdict, ep.prepared.body ?? {}).map(changeLine), ['description: "changed on the platform" → "mine"']);
    const lastSeen = liveView(text, lastSeenGroup(ep.verdict.live, ep.verdict.found.record.lastSeen));
    const pair = reviewPair(['What changed'], lastSeen, liveView(text, ep.verdict.live));
    assert.match(pair.original.split('\n')[pair.firstChange] ?? '', /"first description"/);
    assert.match(pair.modified.split('\n')[pair.firstChange] ?? '', /"changed on the platform"/);
  });

  test('reviewPair never throws; the first change is inside both documents and -1 only for equal texts; a header line stays one comment line', () => {
    const lines = fc.array(fc.oneof(fc.string(), fc.constantFrom('{', '}', '  "a": 1,', '')), { maxLength: 8 });
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 4 }), lines, lines, fc.boolean(), (header, a, b, crlf) => {
        const eol = crlf ? '\r\n' : '\n';
        const pair = reviewPair(header, a.join(eol), b.join(eol));
        const la = pair.original.split(/\r?\n/);
        const lb = pair.modified.split(/\r?\n/);
        const prefix = header.length;
        assert.ok(
          la.slice(0, prefix).every((l) => l.startsWith('//')),
          'each header line is one comment line',
        );
        assert.deepEqual(la.slice(0, prefix), lb.slice(0, prefix));
        if (pair.original === pair.modified || la.join('\n') === lb.join('\n')) assert.equal(pair.firstChange, -1);
        else {
          assert.ok(pair.firstChange >= 0 && pair.firstChange < la.length && pair.firstChange < lb.length);
          assert.ok(pair.firstChange >= Math.min(prefix, la.length - 1, lb.length - 1));
        }
        assert.equal(firstDifferentLine(pair.original, pair.modified), firstDifferentLine(pair.modified, pair.original));
      }),
    );
  });

  test('createSummary: the group, each target and period of a create, in order', () => {
    const body = JSON.parse(definitionText('Summer steps').replace(/^\s*(\/\/.*|\/\*.*\*\/)$/gm, '')) as Record<string, unknown>;
    assert.deepEqual(createSummary(body), [
      'target group "Summer steps" ("DEFAULT", "FIXED_CALENDAR_WINDOW"), "2027-01-01" → "2027-02-28"',
      '1 target:',
      '  "round_trip_target" ("COUNT", "EVENT" "TestingEvent_FE"): "true"',
      '2 periods:',
      '  "Cycle_1": "2027-01-01" → "2027-01-31"',
      '  "Cycle_2": "2027-02-01" → "2027-02-28"',
    ]);
    const many = { name: 'x', periods: Array.from({ length: 14 }, (_, i) => ({ refCode: `C${i}` })), targets: [] };
    const lines = createSummary(many);
    assert.equal(lines.length, 1 + 1 + 1 + 12 + 1);
    assert.equal(lines.at(-1), '  …and 2 more');
    assert.equal(createSummary({ name: 'a\u2028b\nc' })[0], 'target group "a\\u2028b\\nc"', 'a name cannot break its line');
  });

  test('createSummary never throws on any body; its lines never break; the same body gives the same lines', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.record({ name: fc.string({ unit: 'binary' }), targets: fc.array(fc.anything()), periods: fc.array(fc.anything()) }),
        ),
        (body) => {
          const lines = createSummary(body);
          assert.ok(lines.length >= 3);
          for (const line of lines) assert.ok(!/[\r\n\u2028\u2029]/.test(line), JSON.stringify(line));
          assert.deepEqual(createSummary(structuredClone(body)), lines);
        },
      ),
    );
  });
});
