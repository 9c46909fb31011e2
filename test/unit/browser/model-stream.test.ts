/**
 * Issue 25 item 5: the Target Groups view shows its first page as soon as its groups have
 * arrived. A loopback server sends the first part of the list answer and holds the rest: the
 * model gives the first page and "Loading more target groups…" meanwhile, then the complete list
 * (counts, "Load more…", gone files) or, when a malformed id arrives late, the error instead. The
 * read is the one Plan Workspace uses (SharedOrgList): one request, parsed once.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CapillaryClient } from '../../../src/core/api/client';
import type { WorkspaceLinks } from '../../../src/core/browser/links';
import { TargetGroupsModel, type TargetGroupsApi } from '../../../src/core/browser/model';
import type { BrowserNode, GroupNode } from '../../../src/core/browser/nodes';
import { SharedOrgList } from '../../../src/core/plan/org';
import { listAnswerCut, startHeldServer, type HeldServer } from '../helpers/heldServer';

let server: HeldServer;
before(async () => {
  server = await startHeldServer();
});
after(() => server.close());

const group = (id: number) => ({
  id,
  orgId: 100737,
  name: `Group ${id} \u00e9t\u00e9`,
  active: id % 3 !== 0,
  trackingType: 'DEFAULT',
  periods: [{ id: id * 10, refCode: 'Q1', startDate: '2026-01-01', endDate: '2026-03-31' }],
  targets: [{ id: id * 100, name: `target_${id}` }],
});

const file = (name: string) => ({ absolute: `/ws/${name}`, path: name, root: '/ws' });
const links: WorkspaceLinks = {
  links: [
    { file: file('three.milestone.json'), groupId: 3, orgId: 100737 },
    { file: file('gone.milestone.json'), groupId: 9999, orgId: 100737 },
  ],
  unreadable: [],
};

function model(api: TargetGroupsApi, pageSize = 5): TargetGroupsModel {
  return new TargetGroupsModel({ getApi: () => Promise.resolve(api), pageSize: () => pageSize, getLinks: () => Promise.resolve(links) });
}

/** `promise`, or a failure when it has not settled in time (the rest of the answer is still held). */
async function soon<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} waited for the rest of the answer`)), 5000))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function nextChange(m: TargetGroupsModel): Promise<void> {
  return new Promise((resolve) => {
    const sub = m.onDidChange((node) => {
      if (node !== undefined) return;
      sub.dispose();
      resolve();
    });
  });
}

const kinds = (nodes: BrowserNode[]) => nodes.map((n) => (n.kind === 'group' ? n.group.id : n.kind));

test('the first page shows while the rest of the list is held; counts, "Load more…" and gone files follow when it is in', async () => {
  const groups = Array.from({ length: 30 }, (_, i) => group(i + 1));
  const { head, tail } = listAnswerCut(groups, 12);
  const { release } = server.hold(head, tail);
  const before = server.requests();
  const client = server.client();
  const m = model(client);
  try {
    const first = await soon(m.roots(), 'the first page');
    assert.deepEqual(kinds(first), [1, 2, 3, 4, 5, 'loading']);
    assert.equal(m.isLoading(), true);
    assert.equal(m.counts(), undefined, 'no counts before the list is complete');
    assert.equal(m.groups, undefined);
    const loading = first[5] as BrowserNode;
    assert.deepEqual(m.toJSON(loading), { shown: 5, loading: true, filter: null });
    // The group nodes of the first page expand already.
    const children = await m.getChildren(first[0]);
    assert.deepEqual(
      children.map((c) => c.kind),
      ['period', 'target'],
    );

    const changed = nextChange(m);
    release();
    await changed;
    const all = await m.roots();
    assert.deepEqual(kinds(all), [1, 2, 3, 4, 5, 'loadMore', 'goneSection']);
    assert.deepEqual(m.counts(), { total: 30, matching: 30, shown: 5 });
    assert.equal(m.isLoading(), false);
    for (let i = 0; i < 5; i++)
      assert.equal((all[i] as GroupNode).group, (first[i] as GroupNode).group, 'the complete list holds the objects of the first page');
    assert.deepEqual(
      (all[2] as GroupNode).links.map((l) => l.file.path),
      ['three.milestone.json'],
    );
    m.setFilter({ name: 'group 2' });
    assert.deepEqual(kinds(await m.roots()).slice(0, 5), [2, 20, 21, 22, 23]);
    assert.equal(server.requests() - before, 1);
  } finally {
    m.dispose();
    await client.close();
  }
});

test('a malformed id arriving after the first page replaces the page with the error, and nothing of the list is kept', async () => {
  const groups: Array<Record<string, unknown>> = Array.from({ length: 20 }, (_, i) => group(i + 1));
  groups[17] = { ...groups[17], id: -29615551 };
  const { head, tail } = listAnswerCut(groups, 8);
  const { release } = server.hold(head, tail);
  const client = server.client();
  const m = model(client);
  try {
    const first = await soon(m.roots(), 'the first page');
    assert.deepEqual(kinds(first), [1, 2, 3, 4, 5, 'loading']);
    const changed = nextChange(m);
    release();
    await changed;
    const roots = await m.roots();
    assert.equal(roots.length, 1);
    const problem = roots[0] as BrowserNode;
    assert.equal(problem.kind, 'problem');
    assert.match(problem.kind === 'problem' ? problem.problem.message : '', /-29615551/);
    assert.equal(m.groups, undefined);
    assert.equal(m.groupNodeOf(1), undefined, 'no group of the refused list is offered');
  } finally {
    m.dispose();
    await client.close();
  }
});

test('a filter set before the load waits for enough matching groups; a list shorter than a page waits for its end', async () => {
  const groups = Array.from({ length: 30 }, (_, i) => group(i + 1));
  const client = server.client();
  try {
    {
      const { head, tail } = listAnswerCut(groups, 12);
      const { release } = server.hold(head, tail);
      const m = model(client);
      m.setFilter({ name: 'Group 2' });
      let done = false;
      const roots = m.roots().then((r) => ((done = true), r));
      // Group 2 is in the head, 20..23 are held: the page cannot be shown yet.
      await new Promise((r) => setTimeout(r, 150));
      assert.equal(done, false);
      release();
      assert.deepEqual(kinds(await roots).slice(0, 5), [2, 20, 21, 22, 23]);
      m.dispose();
    }
    {
      const { head, tail } = listAnswerCut(groups.slice(0, 4), 2);
      const { release } = server.hold(head, tail);
      const m = model(client, 50);
      let done = false;
      const roots = m.roots().then((r) => ((done = true), r));
      await new Promise((r) => setTimeout(r, 150));
      assert.equal(done, false);
      release();
      assert.deepEqual(kinds(await roots), [1, 2, 3, 4, 'goneSection']);
      m.dispose();
    }
  } finally {
    await client.close();
  }
});

test('one list request shared with Plan Workspace: the first page from the read in flight, the plan from the same objects', async () => {
  const groups = Array.from({ length: 40 }, (_, i) => group(i + 1));
  const { head, tail } = listAnswerCut(groups, 15);
  const { release } = server.hold(head, tail);
  const before = server.requests();
  const client: CapillaryClient = server.client();
  const shared = new SharedOrgList();
  // As the extension wires it (views/targetGroups/targetGroups.ts).
  const viaShared: TargetGroupsApi = {
    listTargetGroups: async (_query, signal, onItems) => ({ data: [...(await shared.get(client, signal, onItems)).groups] }),
  };
  const view = model(viaShared);
  const second = model(viaShared, 10);
  try {
    const first = await soon(view.roots(), 'the first page');
    assert.deepEqual(kinds(first), [1, 2, 3, 4, 5, 'loading']);
    // A reader joining the read in flight gets the groups already in at once.
    assert.deepEqual(kinds(await soon(second.roots(), "the second reader's first page")), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 'loading']);
    const plan = shared.get(client);
    release();
    const snapshot = await plan;
    assert.equal(snapshot.groups.length, 40);
    assert.equal(snapshot.group(1), (first[0] as GroupNode).group, 'parsed once: the plan reads the objects the view shows');
    await view.whenLoaded();
    assert.equal(view.counts()?.total, 40);
    assert.equal(await shared.get(client), snapshot, 'fresh: no second read');
    assert.equal(server.requests() - before, 1);
  } finally {
    view.dispose();
    second.dispose();
    await client.close();
  }
});

test("SharedOrgList: each reader gets the groups so far until it stops waiting; one reader's failure or cancel is not the others'", async () => {
  let step!: (items: readonly unknown[], received: number) => void;
  let finish!: () => void;
  const items: unknown[] = [];
  const api = {
    calls: 0,
    listTargetGroups(
      _q: unknown,
      _s?: AbortSignal,
      onItems?: (i: readonly unknown[], p: { received: number; total: number | undefined }) => void,
    ) {
      api.calls++;
      step = (list, received) => onItems?.(list, { received, total: 1_000_000 });
      return new Promise<{ data: never[] }>((resolve) => (finish = () => resolve({ data: items as never[] })));
    },
  };
  const shared = new SharedOrgList();
  const seen = { a: [] as number[], b: [] as number[] };
  const controller = new AbortController();
  const a = shared.get(api, controller.signal, (list) => seen.a.push(list.length));
  const b = shared.get(api, undefined, (list) => seen.b.push(list.length));
  const thrower = shared.get(api, undefined, () => {
    throw new Error('reader');
  });
  items.push(group(1));
  step(items, 100);
  controller.abort();
  await assert.rejects(a, (e: unknown) => e instanceof Error && /cancelled/.test(e.message));
  items.push(group(2));
  step(items, 200);
  // A reader joining now gets what is in at once.
  const late: number[] = [];
  const c = shared.get(api, undefined, (list) => late.push(list.length));
  assert.deepEqual(late, [2]);
  finish();
  const [sb, sc, st] = await Promise.all([b, c, thrower]);
  assert.equal(sb, sc);
  assert.equal(st, sb);
  assert.equal(sb.group(2), items[1], 'the snapshot holds the objects the readers saw');
  assert.deepEqual(seen, { a: [1], b: [1, 2] });
  assert.equal(api.calls, 1);
});
