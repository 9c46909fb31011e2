// The Target Groups browser's model (core/browser): client-side paging over the one list
// response, search and filter, markers from the workspace links, problems, identity of nodes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { TargetGroup } from '../../../src/core/api/types';
import { ApiError } from '../../../src/core/api/errors';
import { describeGroupFilter, matchesGroupFilter, normalizeGroupFilter } from '../../../src/core/browser/filter';
import type { WorkspaceLinks } from '../../../src/core/browser/links';
import { clampGroupPageSize, TargetGroupsModel, type TargetGroupsApi } from '../../../src/core/browser/model';
import { describeBrowserNode, type BrowserNode, type BrowserProblemNode, type GroupNode } from '../../../src/core/browser/nodes';

/** A documented-looking group; `over` replaces fields, and a key given as undefined is left out. */
function group(id: number, over: { [K in keyof TargetGroup]?: TargetGroup[K] | undefined } = {}): TargetGroup {
  const g: Record<string, unknown> = {
    id,
    orgId: 100737,
    name: `Group ${id}`,
    active: true,
    trackingType: 'DEFAULT',
    description: `Description of ${id}`,
    periods: [
      { id: id * 10 + 2, refCode: 'Q2', startDate: '2026-04-01', endDate: '2026-06-30', periodStatus: 'NOT_STARTED' },
      { id: id * 10 + 1, refCode: 'Q1', startDate: '2026-01-01', endDate: '2026-03-31', periodStatus: 'RUNNING' },
    ],
    targets: [
      {
        id: id * 100,
        name: `target_${id}`,
        targetType: 'SALES',
        targetEntity: 'TRANSACTION',
        defaultValues: [{ periodId: id * 10 + 1, defaultValue: 500 }],
      },
    ],
    ...over,
  };
  for (const [k, v] of Object.entries(over)) if (v === undefined) delete g[k];
  return g as TargetGroup;
}

interface Fake extends TargetGroupsApi {
  calls: Array<{ includePeriods?: boolean }>;
}

function fakeApi(groups: TargetGroup[] | (() => Promise<TargetGroup[]>)): Fake {
  const calls: Fake['calls'] = [];
  return {
    calls,
    async listTargetGroups(query) {
      calls.push(query);
      return { data: typeof groups === 'function' ? await groups() : groups };
    },
  };
}

const file = (name: string) => ({ absolute: `/ws/${name}`, path: name, root: '/ws' });

function model(
  api: TargetGroupsApi | undefined,
  opts: { pageSize?: number; links?: WorkspaceLinks | (() => Promise<WorkspaceLinks>) } = {},
): TargetGroupsModel {
  const size = opts.pageSize ?? 3;
  return new TargetGroupsModel({
    getApi: async () => api,
    pageSize: () => size,
    getLinks: async () => (typeof opts.links === 'function' ? opts.links() : (opts.links ?? { links: [], unreadable: [] })),
    connectionName: () => 'Test sandbox',
  });
}

const groupsOf = (nodes: BrowserNode[]): GroupNode[] => nodes.filter((n): n is GroupNode => n.kind === 'group');
const problemOf = (nodes: BrowserNode[]): BrowserProblemNode['problem'] | undefined =>
  nodes.find((n): n is BrowserProblemNode => n.kind === 'problem')?.problem;

test('reads the list once with includePeriods and pages it on the client with "Load more…"', async () => {
  const api = fakeApi(Array.from({ length: 7 }, (_, i) => group(i + 1)));
  const m = model(api, { pageSize: 3 });
  let roots = await m.roots();
  assert.deepEqual(
    groupsOf(roots).map((g) => g.group.id),
    [1, 2, 3],
  );
  const more = roots.at(-1);
  assert.equal(more?.kind, 'loadMore');
  assert.deepEqual(describeBrowserNode(more as BrowserNode).description, '3 of 7 shown');
  m.loadMore();
  roots = await m.roots();
  assert.deepEqual(
    groupsOf(roots).map((g) => g.group.id),
    [1, 2, 3, 4, 5, 6],
  );
  m.loadMore();
  roots = await m.roots();
  assert.equal(groupsOf(roots).length, 7);
  assert.ok(!roots.some((n) => n.kind === 'loadMore'), 'no "Load more…" once everything is shown');
  m.loadMore(); // nothing more: a no-op
  assert.deepEqual(api.calls, [{ includePeriods: true }], 'one request for all of it: the list is not paged');
  assert.deepEqual(m.counts(), { total: 7, matching: 7, shown: 7 });
});

test('a group expands to its periods in time order (refCode and dates) and then its targets', async () => {
  const m = model(fakeApi([group(1)]));
  const [g] = groupsOf(await m.roots());
  assert.ok(g);
  const children = await m.getChildren(g);
  assert.deepEqual(
    children.map((c) => c.kind),
    ['period', 'period', 'target'],
  );
  assert.deepEqual(
    children.map((c) => describeBrowserNode(c).label),
    ['Q1 · 1 Jan – 31 Mar 2026', 'Q2 · 1 Apr – 30 Jun 2026', 'target_1'],
  );
  assert.equal(describeBrowserNode(children[0] as BrowserNode).description, 'period · RUNNING');
  assert.match(describeBrowserNode(children[2] as BrowserNode).description ?? '', /^target · SALES \/ TRANSACTION · target 500$/);
  assert.equal(m.parentOf(children[0] as BrowserNode), g);
  assert.equal(m.findByKey(children[2]?.key ?? ''), children[2]);
  // Without a periods list (an older answer), the running period is shown.
  const m2 = model(
    fakeApi([group(2, { periods: undefined, activePeriod: { id: 5, refCode: 'now', startDate: '2026-01-01', endDate: '2026-01-31' } })]),
  );
  const [g2] = groupsOf(await m2.roots());
  assert.deepEqual(
    (await m2.getChildren(g2)).map((c) => describeBrowserNode(c).label),
    ['now · 1–31 Jan 2026', 'target_2'],
  );
});

test('the group row gives name, id, status, tracking type, the workspace marker and its description', async () => {
  const m = model(fakeApi([group(1), group(2, { active: false, trackingType: 'UNIFIED', description: undefined })]), {
    links: { links: [{ file: file('a/one.milestone.json'), groupId: 1 }], unreadable: [] },
  });
  const [one, two] = groupsOf(await m.roots());
  assert.deepEqual(describeBrowserNode(one as BrowserNode), {
    label: 'Group 1',
    description: 'id 1 · active · DEFAULT · in workspace: one.milestone.json · Description of 1',
    tooltip: describeBrowserNode(one as BrowserNode).tooltip,
  });
  assert.match(describeBrowserNode(one as BrowserNode).tooltip, /Workspace file: a\/one\.milestone\.json/);
  assert.equal(describeBrowserNode(two as BrowserNode).description, 'id 2 · inactive · UNIFIED · not in workspace');
  assert.deepEqual(
    m.linksOf(1).map((l) => l.file.path),
    ['a/one.milestone.json'],
  );
});

test('search by name (any case) and filter by status and tracking type; clearing shows all again', async () => {
  const groups = [
    group(1, { name: 'Spend 500 monthly' }),
    group(2, { name: 'Five purchases', active: false }),
    group(3, { name: 'Big SPENDER streak', trackingType: 'STREAKS' }),
    group(4, { name: 'Unified spend', trackingType: 'UNIFIED', active: false }),
  ];
  const m = model(fakeApi(groups), { pageSize: 10 });
  const changes: Array<BrowserNode | undefined> = [];
  m.onDidChange((n) => changes.push(n));
  m.search('spend');
  assert.deepEqual(
    groupsOf(await m.roots()).map((g) => g.group.id),
    [1, 3, 4],
  );
  m.setFilter({ ...m.filter, active: false });
  assert.deepEqual(
    groupsOf(await m.roots()).map((g) => g.group.id),
    [4],
  );
  assert.equal(m.filterText, 'name contains "spend" · inactive');
  m.setFilter({ trackingType: 'streaks' });
  assert.deepEqual(
    groupsOf(await m.roots()).map((g) => g.group.id),
    [3],
  );
  assert.equal(m.filterText, 'STREAKS');
  m.setFilter({ name: 'nothing like it' });
  const empty = await m.roots();
  assert.equal(groupsOf(empty).length, 0);
  const problem = problemOf(empty);
  assert.equal(problem?.kind, 'no-match');
  assert.equal(problem?.action, 'edit-filter');
  assert.equal(describeBrowserNode(empty[0] as BrowserNode).label, 'No target groups match the filter');
  m.setFilter(undefined);
  assert.equal(groupsOf(await m.roots()).length, 4);
  assert.equal(m.filter, undefined);
  assert.ok(changes.length >= 5 && changes.every((c) => c === undefined), 'every filter change redraws the roots');
});

test('a new filter starts again at the first page; paging goes over the matching groups only', async () => {
  const groups = Array.from({ length: 10 }, (_, i) => group(i + 1, { active: i % 2 === 0 }));
  const m = model(fakeApi(groups), { pageSize: 2 });
  await m.roots();
  m.loadMore();
  assert.equal(groupsOf(await m.roots()).length, 4);
  m.setFilter({ active: true });
  let roots = await m.roots();
  assert.deepEqual(
    groupsOf(roots).map((g) => g.group.id),
    [1, 3],
  );
  assert.equal(describeBrowserNode(roots.at(-1) as BrowserNode).description, '2 of 5 shown');
  m.loadMore();
  m.loadMore();
  roots = await m.roots();
  assert.deepEqual(
    groupsOf(roots).map((g) => g.group.id),
    [1, 3, 5, 7, 9],
  );
});

test('files whose recorded group is not in the org list are listed under their own section', async () => {
  const links: WorkspaceLinks = {
    links: [
      { file: file('kept.milestone.json'), groupId: 1, orgId: 100737 },
      { file: file('gone.milestone.json'), groupId: 999, orgId: 100737 },
      // Another org on the same host: not about these groups, so neither linked nor gone.
      { file: file('other-org.milestone.json'), groupId: 998, orgId: 5 },
    ],
    unreadable: [],
  };
  const m = model(fakeApi([group(1), group(2)]), { links });
  const roots = await m.roots();
  const section = roots.at(-1);
  assert.equal(section?.kind, 'goneSection');
  assert.equal(describeBrowserNode(section as BrowserNode).label, 'Files whose group is gone');
  const files = await m.getChildren(section);
  assert.deepEqual(
    files.map((f) => [f.kind, describeBrowserNode(f).label, describeBrowserNode(f).description]),
    [['goneFile', 'gone.milestone.json', 'group 999 is gone']],
  );
  assert.equal(m.parentOf(files[0] as BrowserNode), section);
  assert.deepEqual(m.toJSON(files[0] as BrowserNode), { file: 'gone.milestone.json', groupId: 999, orgId: 100737 });
  // A filter hides groups, not files: the gone section stays.
  m.setFilter({ name: 'zzz' });
  assert.equal((await m.roots()).at(-1)?.kind, 'goneSection');
});

test('refreshLinks re-reads the links (a pull) without reading the list again', async () => {
  const api = fakeApi([group(1)]);
  let links: WorkspaceLinks = { links: [], unreadable: [] };
  const m = model(api, { links: async () => links });
  const [before] = groupsOf(await m.roots());
  assert.equal(before?.links.length, 0);
  links = { links: [{ file: file('pulled.milestone.json'), groupId: 1 }], unreadable: [] };
  await m.refreshLinks();
  const [after] = groupsOf(await m.roots());
  assert.equal(describeBrowserNode(after as BrowserNode).description?.includes('in workspace: pulled.milestone.json'), true);
  assert.equal(api.calls.length, 1);
  m.refresh();
  await m.roots();
  assert.equal(api.calls.length, 2, 'Refresh reads the list again');
});

test("a group's key still finds the group right after refreshLinks, with the fresh links (a command after a pull)", async () => {
  let links: WorkspaceLinks = { links: [], unreadable: [] };
  const m = model(fakeApi([group(1)]), { links: async () => links });
  const [before] = groupsOf(await m.roots());
  assert.ok(before);
  links = { links: [{ file: file('pulled.milestone.json'), groupId: 1 }], unreadable: [] };
  await m.refreshLinks();
  // No roots() in between: the tree has not asked again yet.
  const found = m.findByKey(before.key);
  assert.equal(found?.kind, 'group');
  assert.deepEqual(
    found.links.map((l) => l.file.path),
    ['pulled.milestone.json'],
  );
  assert.equal(m.findByKey('g/999'), undefined, 'an unknown group is not invented');
});

test('a link to a group the list does not have yet (a create) reads the list again before anything is labelled gone', async () => {
  let groups = [group(1)];
  const api = fakeApi(async () => groups);
  let links: WorkspaceLinks = { links: [], unreadable: [] };
  const m = model(api, { links: async () => links });
  await m.roots();
  // A deploy created group 2 and wrote its record: the list read before the create does not have it.
  groups = [group(1), group(2)];
  links = { links: [{ file: file('new.milestone.json'), groupId: 2, orgId: 100737 }], unreadable: [] };
  await m.refreshLinks();
  const roots = await m.roots();
  assert.equal(
    roots.some((n) => n.kind === 'goneSection'),
    false,
    'not gone: the fresh list has it',
  );
  assert.deepEqual(
    groupsOf(roots)
      .find((g) => g.group.id === 2)
      ?.links.map((l) => l.file.path),
    ['new.milestone.json'],
  );
  assert.equal(api.calls.length, 2, 'one fresh read');
  // Only a fresh read that lacks the group labels the file gone.
  links = { links: [...links.links, { file: file('old.milestone.json'), groupId: 7, orgId: 100737 }], unreadable: [] };
  await m.refreshLinks();
  assert.equal(api.calls.length, 3);
  assert.equal((await m.roots()).at(-1)?.kind, 'goneSection');
});

test('refreshLinks with list: true reads the list again (a deploy edited a group), keeping the old list when the read fails', async () => {
  let fail = false;
  let groups = [group(1)];
  const api = fakeApi(async () => (fail ? Promise.reject(new Error('offline')) : groups));
  const m = model(api, { links: async () => ({ links: [], unreadable: [] }) });
  await m.roots();
  groups = [group(1, { name: 'Renamed by a deploy' })];
  await m.refreshLinks({ list: true });
  assert.equal(groupsOf(await m.roots())[0]?.group.name, 'Renamed by a deploy');
  fail = true;
  await m.refreshLinks({ list: true });
  assert.equal(groupsOf(await m.roots())[0]?.group.name, 'Renamed by a deploy', 'a failed read keeps what was shown');
});

test('links that cannot be read leave the list usable, without markers', async () => {
  const m = model(fakeApi([group(1)]), { links: async () => Promise.reject(new Error('disk on fire')) });
  const [g] = groupsOf(await m.roots());
  assert.equal(describeBrowserNode(g as BrowserNode).description?.includes('not in workspace'), true);
  assert.equal(m.linksError, 'disk on fire');
});

test('no connection, rejected credentials and an unreachable host are problem nodes that say what to do', async () => {
  const none = problemOf(await model(undefined).roots());
  assert.equal(none?.kind, 'no-connection');
  assert.equal(none?.action, 'sign-in');

  const auth = model({
    listTargetGroups: async () =>
      Promise.reject(new ApiError({ kind: 'auth', summary: 'Unauthorized', status: 401, hint: 'Check the password.' })),
  });
  const authProblem = problemOf(await auth.roots());
  assert.equal(authProblem?.kind, 'auth');
  assert.equal(authProblem?.action, 'sign-in');
  assert.match(authProblem?.message ?? '', /target groups of Test sandbox.*Sign in again/);

  const down = model({
    listTargetGroups: async () => Promise.reject(new ApiError({ kind: 'network', summary: 'connect ECONNREFUSED 127.0.0.1:9' })),
  });
  const downRoots = await down.roots();
  assert.equal(problemOf(downRoots)?.kind, 'unreachable');
  assert.equal(problemOf(downRoots)?.action, 'retry');
  assert.equal(describeBrowserNode(downRoots[0] as BrowserNode).label, 'Cannot reach the platform: refresh to retry');

  const empty = problemOf(await model(fakeApi([])).roots());
  assert.equal(empty?.kind, 'empty');
  assert.match(empty?.message ?? '', /no target groups yet/);
});

test('concurrent first loads share one request; refresh cancels a load in flight', async () => {
  let release: (() => void) | undefined;
  let signals: AbortSignal[] = [];
  const api: TargetGroupsApi = {
    listTargetGroups: (_q, signal) => {
      if (signal) signals.push(signal);
      return new Promise((resolve) => {
        release = () => resolve({ data: [group(1)] });
      });
    },
  };
  const m = model(api);
  const a = m.roots();
  const b = m.roots();
  await new Promise((r) => setImmediate(r));
  assert.equal(signals.length, 1);
  assert.equal(m.isLoading(), true);
  m.refresh();
  assert.equal(signals[0]?.aborted, true, 'the old load is cancelled');
  release?.();
  await Promise.all([a, b]);
  signals = [];
  const c = m.roots();
  await new Promise((r) => setImmediate(r));
  release?.();
  assert.equal(groupsOf(await c).length, 1);
});

test('Open as JSON gives the platform object of a node', async () => {
  const g1 = group(1);
  const m = model(fakeApi([g1]));
  const [g] = groupsOf(await m.roots());
  assert.equal(m.toJSON(g as BrowserNode), g1);
  const [period] = await m.getChildren(g);
  assert.equal(m.toJSON(period as BrowserNode), g1.periods?.[1]);
});

test('page sizes are clamped to 1..1000 (50 when unusable)', () => {
  assert.equal(clampGroupPageSize(undefined), 50);
  assert.equal(clampGroupPageSize(Number.NaN), 50);
  assert.equal(clampGroupPageSize(0), 1);
  assert.equal(clampGroupPageSize(2.7), 2);
  assert.equal(clampGroupPageSize(1e9), 1000);
});

test('property: any filter over any groups shows exactly the matching ones, page by page, never throwing', async () => {
  const arbGroup = fc.record({
    id: fc.integer({ min: 1, max: 1e6 }),
    name: fc.option(fc.string(), { nil: undefined }),
    active: fc.option(fc.boolean(), { nil: undefined }),
    trackingType: fc.option(fc.constantFrom('DEFAULT', 'STREAKS', 'CAPPING', 'UNIFIED', 'default', ''), { nil: undefined }),
  });
  const arbFilter = fc.option(
    fc.record(
      {
        name: fc.option(fc.string(), { nil: undefined }),
        active: fc.option(fc.boolean(), { nil: undefined }),
        trackingType: fc.option(fc.string(), { nil: undefined }),
      },
      { requiredKeys: [] },
    ),
    { nil: undefined },
  );
  await fc.assert(
    fc.asyncProperty(
      fc.uniqueArray(arbGroup, { selector: (g) => g.id, maxLength: 40 }),
      arbFilter,
      fc.integer({ min: 1, max: 7 }),
      async (raw, filter, size) => {
        const groups = raw as TargetGroup[];
        const m = model(fakeApi(groups), { pageSize: size });
        m.setFilter(filter);
        const expected = groups.filter((g) => matchesGroupFilter(g, normalizeGroupFilter(filter))).map((g) => g.id);
        const seen: number[][] = [];
        for (let i = 0; i < 12; i++) {
          seen.push(groupsOf(await m.roots()).map((g) => g.group.id));
          m.loadMore();
        }
        const last = seen.at(-1) ?? [];
        assert.deepEqual(last, expected.slice(0, Math.min(expected.length, size * 12)));
        for (const [i, ids] of seen.entries()) assert.equal(ids.length, Math.min(expected.length, size * (i + 1)));
        const text = describeGroupFilter(filter);
        assert.equal(text === undefined, normalizeGroupFilter(filter) === undefined);
      },
    ),
    { numRuns: 150 },
  );
});

test('a large org (5,000 groups): the first page, every shown group with its own files, gone files, through filters and link refreshes', async () => {
  const groups = Array.from({ length: 5000 }, (_, i) => group(i + 1, { active: i % 3 !== 0 }));
  let links: WorkspaceLinks = {
    links: [
      { file: file('a.milestone.json'), groupId: 2, orgId: 100737 },
      { file: file('b.milestone.json'), groupId: 2, orgId: 100737 },
      { file: file('c.milestone.json'), groupId: 4999, orgId: 100737 },
      { file: file('gone.milestone.json'), groupId: 6000 },
    ],
    unreadable: [],
  };
  const api = fakeApi(groups);
  const m = model(api, { pageSize: 200, links: async () => links });
  const roots = await m.roots();
  assert.equal(groupsOf(roots).length, 200);
  assert.deepEqual(m.counts(), { total: 5000, matching: 5000, shown: 200 });
  assert.deepEqual(
    groupsOf(roots)
      .filter((n) => n.links.length > 0)
      .map((n) => [n.group.id, n.links.map((l) => l.file.path)]),
    [[2, ['a.milestone.json', 'b.milestone.json']]],
  );
  assert.equal(roots.at(-1)?.kind, 'goneSection');
  // A filter pages over the matching groups; the markers stay theirs.
  m.setFilter({ active: false });
  const inactive = groupsOf(await m.roots());
  assert.ok(inactive.every((n) => n.group.active === false));
  assert.deepEqual(m.counts(), { total: 5000, matching: 1667, shown: 200 });
  m.setFilter({ name: 'Group 4999' });
  assert.deepEqual(
    groupsOf(await m.roots()).map((n) => [n.group.id, n.links.length]),
    [[4999, 1]],
  );
  // New links (a pull): the markers follow, and the list is not read again.
  links = { links: [{ file: file('d.milestone.json'), groupId: 4999, orgId: 100737 }], unreadable: [] };
  await m.refreshLinks();
  assert.deepEqual(
    groupsOf(await m.roots()).map((n) => n.links.map((l) => l.file.path)),
    [['d.milestone.json']],
  );
  assert.equal(m.findByKey('g/4999')?.kind, 'group');
  assert.equal(api.calls.length, 1);
});
