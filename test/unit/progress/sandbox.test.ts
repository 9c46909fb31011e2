/**
 * GET /v3/users/{userId}/targetGroups end to end: the sandbox answers with the documented shape
 * (test/fixtures/docs/responses/user-target-groups-*.json), its progress agrees with the tracked
 * events it serves, its query parameters behave as documented, the client reads it, and
 * `milestones progress` prints it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';
import { basicAuthorization, CapillaryClient } from '../../../src/core/api/client';
import { customerProgress } from '../../../src/core/progress';
import { runCli } from '../../../src/cli/main';
import { memoryIO } from '../helpers/cli';
import { parseDocExample, shapeOf } from '../helpers/doc-shape';

const DOCS = join(resolve(__dirname, '..', '..', '..'), 'test', 'fixtures', 'docs', 'responses');
const EXAMPLES = [
  'user-target-groups-streaks.json',
  'user-target-groups-milestones.json',
  'user-target-groups-inactive.json',
  'user-target-groups-cyclic.json',
];
const doc = (name: string): unknown => parseDocExample(readFileSync(join(DOCS, name), 'utf8'));

let sb: SandboxHandle;
let auth: string;
let client: CapillaryClient;
/** A moment inside the demo year, so which period is current does not depend on the test's clock. */
const JUNE_2026 = Date.UTC(2026, 5, 15);

before(async () => {
  sb = await startSandbox();
  auth = basicAuthorization(sb.credentials.username, sb.credentials.password);
  client = new CapillaryClient(
    { baseUrl: sb.url, auth: { kind: 'basic', username: sb.credentials.username, password: sb.credentials.password } },
    { retries: 0 },
  );
});
after(async () => {
  await client.close();
  await sb.stop();
});

async function get(path: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const r = await fetch(sb.url + path, { headers: { authorization: auth, accept: 'application/json' } });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
}

type Row = Record<string, unknown>;
const groupsOf = (json: Record<string, unknown>): Array<{ id: number; targets: Row[]; streaks?: Row[]; trackingType: string }> =>
  (json['data'] as { targetGroups: Array<{ id: number; targets: Row[]; streaks?: Row[]; trackingType: string }> }).targetGroups;

describe('the response shape', () => {
  test('every field the sandbox answers is documented with the same type (or null where the docs show null), and the documented fields are there', async () => {
    const customer = sb.demo.customerIds[0] as number;
    const r = await get(`/v3/users/${customer}/targetGroups?includeInactive=true&trackingDate=${JUNE_2026}`);
    assert.equal(r.status, 200);
    const documented = new Map<string, Set<string>>();
    for (const name of EXAMPLES) {
      for (const [path, type] of shapeOf(doc(name))) {
        const set = documented.get(path) ?? new Set<string>();
        set.add(type);
        documented.set(path, set);
      }
    }
    // Fields the response table lists but no example shows.
    const tableOnly = new Set(['streakAchievedDateTime']);
    const problems: string[] = [];
    const actual = shapeOf(r.json);
    for (const [path, type] of actual) {
      const field = path.slice(path.lastIndexOf('/') + 1);
      const types = documented.get(path);
      if (!types) {
        if (!tableOnly.has(field)) problems.push(`${path}: not documented`);
        continue;
      }
      // A documented null says the field is nullable, not what it holds otherwise.
      if (!types.has(type) && !types.has('null') && type !== 'null') problems.push(`${path}: ${type}, documented ${[...types].join('|')}`);
    }
    const reference = shapeOf(doc('user-target-groups-inactive.json'));
    for (const path of reference.keys()) {
      if (!actual.has(path) && !path.includes('/attributes') && !path.includes('/customFields/'))
        problems.push(`${path}: documented, missing`);
    }
    assert.deepEqual(problems, []);
  });

  test('an unknown customer is 310011, an unknown targetRuleId 310018, a bad boolean 300004', async () => {
    const bad = await get('/v3/users/999999999/targetGroups');
    assert.equal((bad.json['errors'] as Array<{ code: number }>)[0]?.code, 310011);
    const rule = await get(`/v3/users/${sb.demo.customerIds[0]}/targetGroups?targetRuleId=99999`);
    assert.equal((rule.json['errors'] as Array<{ code: number }>)[0]?.code, 310018);
    const flag = await get(`/v3/users/${sb.demo.customerIds[0]}/targetGroups?includeInactive=maybe`);
    assert.equal(flag.status, 400);
    assert.equal((flag.json['errors'] as Array<{ code: number }>)[0]?.code, 300004);
  });
});

describe('query parameters', () => {
  test('without includeInactive only the current period of each target is listed; with it, every period, one marked current', async () => {
    const customer = sb.demo.customerIds[0] as number;
    const current = groupsOf((await get(`/v3/users/${customer}/targetGroups?trackingDate=${JUNE_2026}`)).json);
    const all = groupsOf((await get(`/v3/users/${customer}/targetGroups?includeInactive=true&trackingDate=${JUNE_2026}`)).json);
    assert.ok(current.length > 0);
    for (const g of current) for (const t of g.targets) assert.equal(t['currentPeriod'], true);
    const monthly = all.find((g) => g.targets.length === 12);
    assert.ok(monthly, 'the monthly demo group lists 12 periods');
    const marked = monthly.targets.filter((t) => t['currentPeriod'] === true);
    assert.deepEqual(
      marked.map((t) => t['periodStartDate']),
      ['2026-06-01'],
    );
    // Future periods have no user target yet.
    assert.equal(monthly.targets[11]?.['targetId'], null);
  });

  test('targetRuleId keeps one target; excludedEntities leaves groups out', async () => {
    const customer = sb.demo.customerIds[0] as number;
    const rule = sb.demo.targetRuleIds[1] as number;
    const one = groupsOf((await get(`/v3/users/${customer}/targetGroups?includeInactive=true&targetRuleId=${rule}`)).json);
    assert.equal(one.length, 1);
    assert.ok(one[0]?.targets.every((t) => t['targetRuleId'] === rule));
    const group = sb.demo.targetGroupIds[0] as number;
    const rest = groupsOf((await get(`/v3/users/${customer}/targetGroups?excludedEntities=${group}`)).json);
    assert.ok(rest.length > 0 && rest.every((g) => g.id !== group));
  });
});

describe('consistency with the tracked events', () => {
  test('each period of a sum target achieved exactly the sum of the events tracked in it; a count target the number of events', async () => {
    const customer = sb.demo.customerIds[0] as number;
    const { data } = await client.getUserTargetGroups(customer, { includeInactive: true, trackingDate: JUNE_2026 });
    const progress = customerProgress(customer, data);
    assert.equal(progress.targets.length, sb.demo.targetRuleIds.length);
    for (const t of progress.targets) {
      const events: Array<{ periodId?: number; targetValue?: number; eventName: string }> = [];
      for await (const e of client.trackedEvents(customer, t.targetRuleId, { limit: 100 })) events.push(e);
      for (const p of t.periods) {
        const mine = events.filter((e) => e.periodId === p.periodId && e.eventName !== 'ENROL');
        if (t.targetType === 'COUNT' || t.targetType === 'VISIT') {
          assert.equal(
            p.achieved,
            Math.max(
              0,
              mine.reduce((n, e) => n + ((e.targetValue ?? 0) < 0 ? -1 : 1), 0),
            ),
            `${t.name} ${p.refCode}`,
          );
        } else if (t.targetType !== 'EVENT_ATTRIBUTE') {
          const sum = Math.round(mine.reduce((a, e) => a + (e.targetValue ?? 0), 0) * 1000) / 1000;
          assert.equal(p.achieved, Math.max(0, sum), `${t.name} ${p.refCode}`);
        }
        assert.equal(p.isAchieved, (p.achieved ?? 0) >= (p.target ?? Infinity), `${t.name} ${p.refCode}`);
        assert.equal(p.achievedAt !== undefined, p.isAchieved);
      }
    }
  });

  test('a streak group reports its streak with a documented status and a count within the sequence', async () => {
    const customer = sb.demo.customerIds[0] as number;
    const groups = groupsOf((await get(`/v3/users/${customer}/targetGroups?includeInactive=true`)).json);
    const streakGroup = groups.find((g) => g.trackingType === 'STREAKS');
    const streak = streakGroup?.streaks?.[0];
    assert.ok(streak);
    assert.ok(['ACHIEVED', 'INPROGRESS'].includes(String(streak['status'])));
    assert.ok((streak['currentCount'] as number) <= (streak['totalTargetCountOfSequence'] as number));
  });
});

describe('milestones progress', () => {
  const env = (): Record<string, string> => ({
    MILESTONES_BASE_URL: sb.url,
    MILESTONES_USERNAME: sb.credentials.username,
    MILESTONES_PASSWORD: sb.credentials.password,
  });

  test('prints each target with its periods, progress and the current one marked', async () => {
    const io = memoryIO(env(), process.cwd());
    const code = await runCli(['progress', String(sb.demo.customerIds[0]), '--tracking-date', String(JUNE_2026)], io);
    assert.equal(code, 0, io.errLines.join('\n'));
    const text = io.outLines.join('\n');
    assert.match(text, /Cycle_6\s+1–30 Jun 2026\s+[\d,.]+ \/ 500 · \d+%/);
    assert.match(text, /◀ current/);
    assert.match(text, /Streak "Three active months in a row": (In progress|Achieved)/);
  });

  test('--json prints the platform data; --current asks for the current periods only; bad ids are usage errors', async () => {
    const io = memoryIO(env(), process.cwd());
    assert.equal(await runCli(['progress', String(sb.demo.customerIds[0]), '--current', '--json'], io), 0);
    const data = JSON.parse(io.outLines.join('\n')) as { targetGroups: Array<{ targets: Row[] }> };
    assert.ok(data.targetGroups.every((g) => g.targets.every((t) => t['currentPeriod'] === true)));
    const bad = memoryIO(env(), process.cwd());
    assert.equal(await runCli(['progress', 'abc'], bad), 2);
    assert.equal(bad.errLines.length, 1);
    const rule = memoryIO(env(), process.cwd());
    assert.equal(await runCli(['progress', '1', '--rule-id', '0'], rule), 2);
  });

  test('a customer enrolled in nothing gets one plain sentence', async () => {
    const io = memoryIO(env(), process.cwd());
    assert.equal(await runCli(['progress', String(sb.demo.customerIds[3])], io), 0);
    assert.match(io.outLines.join('\n'), /has no progress in any milestone/);
  });
});
