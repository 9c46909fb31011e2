/**
 * The network section of `npm run bench` (issue 25): what users wait for when the platform is
 * far away. The sandbox runs in this process with a fixed delay per request (its latency fault
 * mode: every answer waits `ms` before it is sent), 50 ms and 250 ms. For each operation: the
 * requests the sandbox answered, the bytes of the answers (the client's own count), the wall
 * time, and the floor: one round trip per request that cannot be avoided, those that may run
 * at once counted once per batch of the pool (4).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError, type CliIO } from '../../src/cli/io';
import { applyCommand } from '../../src/cli/commands/apply';
import { deployCommand } from '../../src/cli/commands/deploy';
import { eventsCommand } from '../../src/cli/commands/events';
import { planCommand } from '../../src/cli/commands/plan';
import { pullCommand } from '../../src/cli/commands/pull';
import { simulateCommand } from '../../src/cli/commands/simulate';
import type { CliCommand } from '../../src/cli/commands/types';
import { request } from 'undici';
import { basicAuthorization, CapillaryClient } from '../../src/core/api/client';
import { formatBytes } from '../../src/core/api/stats';
import { TargetGroupsModel } from '../../src/core/browser/model';
import { ExplorerModel } from '../../src/core/explorer/model';
import { EventDataCache, simulateDraft } from '../../src/core/ruletests';
import { startSandbox, type SandboxHandle } from '../../src/core/sandbox/index';
import { seedState } from '../../src/core/sandbox/seed';
import { saveState, type StoredGroup, type TrackedEvent } from '../../src/core/sandbox/state';
import { childMain } from '../lib/child';

export interface NetworkRow {
  what: string;
  latencyMs: number;
  requests: number;
  bytes: number;
  wallMs: number;
  /** One round trip per unavoidable request (parallel ones per batch of the pool). */
  floorMs: number;
  floorWhy: string;
  exitCode: number;
  /** The Target Groups view: heap retained by the loaded list (after a GC). */
  heapBytes?: number;
  rssBytes?: number;
}

export interface NetworkBenchResult {
  latencies: number[];
  parallel: number;
  rows: NetworkRow[];
  errors: string[];
}

const PARALLEL = 4;
/** Apply measured again with this many requests at once. */
const APPLY_WIDE = 20;

function definition(name: string, n: string): Record<string, unknown> {
  return {
    name,
    description: `generated ${n}`,
    active: true,
    preferredTillId: 75155297,
    trackingType: 'DEFAULT',
    targetEvaluationType: 'FIXED_CALENDAR_WINDOW',
    frequency: 1,
    recurringCycles: 1,
    totalPeriods: 2,
    fromDate: '2027-01-01',
    toDate: '2027-02-28',
    periods: [
      { active: true, description: 'p1', refCode: 'Cycle_1', periodStatus: 'NOT_STARTED', startDate: '2027-01-01', endDate: '2027-01-31' },
      { active: true, description: 'p2', refCode: 'Cycle_2', periodStatus: 'NOT_STARTED', startDate: '2027-02-01', endDate: '2027-02-28' },
    ],
    targets: [
      {
        name: `target_${name.replace(/\W+/g, '_')}`,
        description: 'count purchases',
        targetEntity: 'TRANSACTION',
        targetType: 'COUNT',
        enrolmentMethod: 'TRANSACTION',
        active: true,
        expression: 'currentTxn.amount>100',
        filters: [],
        defaultValues: [{ defaultValue: 2 }, { defaultValue: 3 }],
      },
    ],
  };
}

/** A state whose one EVENT_ATTRIBUTE target has `count` tracked behavioural events of the first demo customer. */
function simulateState(count: number): { state: ReturnType<typeof seedState>; customerId: number; group: StoredGroup } {
  const state = seedState();
  const group = state.groups.find((g) => g.targets.some((t) => t.name === 'monthly_steps')) as StoredGroup;
  const target = group.targets.find((t) => t.name === 'monthly_steps');
  const templates = state.events.filter((e) => e.targetRuleId === target?.id && e.eventName === 'GENERIC_EVENT');
  const customerId = (templates[0] as TrackedEvent).customerId;
  const own = templates.filter((e) => e.customerId === customerId);
  state.events = state.events.filter(
    (e) => !(e.targetRuleId === target?.id && e.customerId === customerId && e.eventName === 'GENERIC_EVENT'),
  );
  let logId = 900_000_000;
  for (let i = 0; i < count; i++) {
    const t = own[i % own.length] as TrackedEvent;
    state.events.push({
      ...t,
      eventLogId: ++logId,
      uniqueId: `bench-${String(i).padStart(6, '0')}-0000-0000-000000000000`,
      attributes: { ...t.attributes },
    });
  }
  return { state, customerId, group };
}

/** A state with `count` target groups (copies of the demo groups, own ids and names). */
function largeOrgState(count: number): ReturnType<typeof seedState> {
  const state = seedState();
  const demo = state.groups;
  let groupId = 10_000;
  let targetId = 100_000;
  let periodId = 200_000;
  const groups: StoredGroup[] = [];
  for (let i = 0; i < count; i++) {
    const g = structuredClone(demo[i % demo.length] as StoredGroup);
    g.id = ++groupId;
    g.name = `Bench org group ${String(i).padStart(5, '0')}`;
    for (const t of g.targets) {
      t.id = ++targetId;
      t.name = `${t.name}_${i}`;
    }
    for (const p of g.periods) p.id = ++periodId;
    groups.push(g);
  }
  state.groups = groups;
  state.events = [];
  state.enrolments = [];
  return state;
}

export async function runNetworkBench(args: {
  latencies: number[];
  planFiles: number;
  edits: number;
  creates: number;
  events: number;
  groups: number;
  simulateParallel: number;
}): Promise<NetworkBenchResult> {
  const errors: string[] = [];
  const rows: NetworkRow[] = [];
  let answered = 0;
  const count = (): void => void answered++;
  const dir = await mkdtemp(join(tmpdir(), 'ms-bench-network-'));
  const sandboxes: SandboxHandle[] = [];
  const closers: Array<() => Promise<unknown>> = [];
  try {
    // The workspace's org (plan, apply, explorer, events --all over the first demo target's events).
    const main = await startSandbox({ port: 0, allowFaults: true, eventsPerCustomer: args.events, log: count });
    sandboxes.push(main);
    await writeFile(join(dir, 'sim-state.json'), '');
    const sim = simulateState(args.events);
    await saveState(join(dir, 'sim-state.json'), sim.state);
    const simSandbox = await startSandbox({ port: 0, allowFaults: true, dataFile: join(dir, 'sim-state.json'), log: count });
    sandboxes.push(simSandbox);
    await saveState(join(dir, 'org-state.json'), largeOrgState(args.groups));
    const orgSandbox = await startSandbox({ port: 0, allowFaults: true, dataFile: join(dir, 'org-state.json'), log: count });
    sandboxes.push(orgSandbox);

    // The org's list as the sandbox answers it, served again by a static server after a set delay (the view's row).
    const orgList = Buffer.from(
      await (
        await request(`${orgSandbox.url}/v3/targetGroups?includePeriods=true`, {
          headers: { authorization: basicAuthorization(orgSandbox.credentials.username, orgSandbox.credentials.password) },
        })
      ).body.arrayBuffer(),
    );
    // Groups the list carries (the org's user-created challenges are not listed), for the view's check.
    const listedGroups = (JSON.parse(orgList.toString('utf8')) as { data: unknown[] }).data.length;
    let listDelay = 0;
    const listHttp = createServer((_req, res) => {
      // Counted when asked: the view's first page is shown before the last byte is sent.
      count();
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': orgList.length });
        res.end(orgList);
      }, listDelay);
    });
    await new Promise<void>((resolve) => listHttp.listen(0, '127.0.0.1', resolve));
    const listServer = {
      url: `http://127.0.0.1:${(listHttp.address() as AddressInfo).port}`,
      close: () => new Promise((r) => (listHttp.close(r), listHttp.closeAllConnections())),
    };
    closers.push(() => listServer.close());

    const ws = join(dir, 'ws');
    await mkdir(join(ws, '.git'), { recursive: true });
    await mkdir(join(ws, 'deployed'));
    await mkdir(join(ws, 'sim'));
    await writeFile(
      join(ws, 'milestones.config.json'),
      JSON.stringify({ environments: { bench: { baseUrl: main.url }, sim: { baseUrl: simSandbox.url } } }),
    );
    const env = { MILESTONES_USERNAME: main.credentials.username, MILESTONES_PASSWORD: main.credentials.password };
    let lastErr: string[] = [];
    const cli = async (
      command: CliCommand,
      argv: string[],
      sandboxEnv: Record<string, string> = env,
    ): Promise<{ code: number; bytes: number }> => {
      lastErr = [];
      const io: CliIO = {
        out: () => undefined,
        err: (l) => void lastErr.push(l),
        cwd: ws,
        env: sandboxEnv,
        tally: { requests: 0, bytesReceived: 0, bytesSent: 0 },
      };
      let code: number;
      try {
        code = await command.run(argv, io);
      } catch (e) {
        if (!(e instanceof CliError)) throw e;
        code = e.exitCode;
      }
      return { code, bytes: io.tally?.bytesReceived ?? 0 };
    };

    // Set-up without delay: N files deployed (their records written).
    const deployed: string[] = [];
    for (let i = 0; i < args.planFiles; i++) {
      const n = String(i).padStart(3, '0');
      const f = `deployed/bench-${n}.milestone.json`;
      await writeFile(join(ws, f), JSON.stringify(definition(`Bench network group ${n}`, n), null, 2));
      const r = await cli(deployCommand, [f, '--env', 'bench', '--yes']);
      if (r.code !== 0) throw new Error(`set-up: deploy of ${f} exited ${r.code}: ${lastErr.join(' ')}`);
      deployed.push(f);
    }
    const pulled = await cli(pullCommand, [String(sim.group.id), '--out', 'sim/steps.milestone.json', '--env', 'sim'], {
      MILESTONES_USERNAME: simSandbox.credentials.username,
      MILESTONES_PASSWORD: simSandbox.credentials.password,
    });
    if (pulled.code !== 0) throw new Error(`set-up: pull of the simulated group exited ${pulled.code}: ${lastErr.join(' ')}`);

    const measure = async (
      what: string,
      latencyMs: number,
      floor: { requests: number; why: string; ms?: number },
      fn: () => Promise<{ code: number; bytes: number }>,
      extra: Partial<NetworkRow> = {},
    ): Promise<void> => {
      const before = answered;
      const t0 = performance.now();
      try {
        const r = await fn();
        rows.push({
          what,
          latencyMs,
          requests: answered - before,
          bytes: r.bytes,
          wallMs: performance.now() - t0,
          floorMs: floor.ms ?? floor.requests * latencyMs,
          floorWhy: floor.why,
          exitCode: r.code,
          ...extra,
        });
        if (r.code !== 0 && lastErr.length > 0)
          errors.push(`${what} at ${latencyMs} ms exited ${r.code}: ${lastErr.slice(0, 2).join(' ')}`);
      } catch (e) {
        errors.push(`${what} at ${latencyMs} ms: ${e instanceof Error ? e.message : String(e)}`);
      }
    };

    for (const latency of args.latencies) {
      for (const sb of sandboxes) sb.setFault({ kind: 'latency', ms: latency });
      const plan = (): Promise<{ code: number; bytes: number }> => cli(planCommand, ['deployed', '--env', 'bench', '--format', 'json']);
      await measure(`plan of ${args.planFiles} deployed files, unchanged`, latency, { requests: 1, why: 'the list' }, plan);
      // 20 edits (a description each), planned, then put back.
      const originals = new Map<string, string>();
      for (const f of deployed.slice(0, args.edits)) {
        const text = await readFile(join(ws, f), 'utf8');
        originals.set(f, text);
        await writeFile(join(ws, f), text.replace(/"description": "generated /, '"description": "edited '));
      }
      await measure(`plan of ${args.planFiles} deployed files, ${args.edits} edited`, latency, { requests: 1, why: 'the list' }, plan);
      for (const [f, text] of originals) await writeFile(join(ws, f), text);

      // Apply of N creates (new names: the plan reads the list and the milestones, user-created
      // challenges included, together, so no name needs the name-validity API; then the files are
      // created several at once through the pool, and one list read after them all gives every
      // record), at the default parallelism and at 20.
      for (const parallel of [PARALLEL, APPLY_WIDE]) {
        const createDir = `creates-${latency}-${parallel}`;
        await mkdir(join(ws, createDir));
        for (let i = 0; i < args.creates; i++) {
          const n = `${latency}-${parallel}-${String(i).padStart(2, '0')}`;
          await writeFile(join(ws, createDir, `new-${n}.milestone.json`), JSON.stringify(definition(`Bench new group ${n}`, n), null, 2));
        }
        const rounds = 1 + Math.ceil(args.creates / parallel) + 1;
        await measure(
          `apply of ${args.creates} creates, --parallel ${parallel}`,
          latency,
          {
            requests: rounds,
            why: `the list and the milestones together; ${args.creates} creates, ${parallel} at a time; the list again for the records`,
          },
          () => cli(applyCommand, [createDir, '--env', 'bench', '--yes', '--parallel', String(parallel)]),
        );
      }

      // The Customer Explorer's first expansion of a customer (its targets and its progress, sent together).
      await measure(
        'Customer Explorer: first expansion of a customer',
        latency,
        { requests: 1, why: 'targets and progress, sent together' },
        async () => {
          const client = new CapillaryClient({
            baseUrl: main.url,
            auth: { kind: 'basic', username: main.credentials.username, password: main.credentials.password },
          });
          try {
            const model = new ExplorerModel({
              getApi: () => Promise.resolve(client),
              pageSize: () => 20,
              customers: [{ id: main.demo.customerIds[0] as number }],
            });
            const roots = await model.getChildren();
            const children = await model.getChildren(roots[0]);
            model.dispose();
            return { code: children.length > 0 ? 0 : 1, bytes: client.requestStats().bytesReceived };
          } finally {
            await client.close();
          }
        },
      );

      // The Target Groups view's first page for an org of many groups: one list read, parsed once,
      // as it arrives (the first page is shown when its groups are in). The list is served as the
      // platform would send it (the sandbox's answer, read once before) by a static server after
      // the same delay, so the sandbox's own rendering of 26 MB is not counted as ours. The floor
      // is the round trip itself, measured here: the same list read bare (undici, the body as
      // text, not parsed), the best of three. A second row gives the whole list's time (counts,
      // filters, "Load more…"), and the heap is measured once it is in.
      listDelay = latency;
      let roundTripMs = Infinity;
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        await (await request(`${listServer.url}/v3/targetGroups?includePeriods=true`)).body.text();
        roundTripMs = Math.min(roundTripMs, performance.now() - t0);
      }
      const listBytes = orgList.length;
      const heapBefore = (globalThis.gc?.(), process.memoryUsage().heapUsed);
      let retained: { model: TargetGroupsModel; client: CapillaryClient; started: number } | undefined;
      await measure(
        `Target Groups view: first page, org of ${args.groups} groups`,
        latency,
        { requests: 1, why: `the list (${formatBytes(listBytes)}) read bare, measured: ${Math.round(roundTripMs)} ms`, ms: roundTripMs },
        async () => {
          const started = performance.now();
          const client = new CapillaryClient({
            baseUrl: listServer.url,
            auth: { kind: 'basic', username: orgSandbox.credentials.username, password: orgSandbox.credentials.password },
          });
          const model = new TargetGroupsModel({ getApi: () => Promise.resolve(client), pageSize: () => 50 });
          const roots = await model.roots();
          retained = { model, client, started };
          // The bytes of the one answer (the client counts them when it is all in).
          return { code: roots.filter((n) => n.kind === 'group').length === 50 ? 0 : 1, bytes: listBytes };
        },
      );
      const row = rows[rows.length - 1];
      if (retained) {
        await retained.model.whenLoaded();
        const complete = retained.model.counts()?.total === listedGroups;
        rows.push({
          what: `Target Groups view: whole list in (counts, filters), org of ${args.groups} groups`,
          latencyMs: latency,
          requests: 0,
          bytes: retained.client.requestStats().bytesReceived,
          wallMs: performance.now() - retained.started,
          floorMs: roundTripMs,
          floorWhy: `the same request as the first page (${listedGroups} groups listed)`,
          exitCode: complete ? 0 : 1,
        });
      }
      globalThis.gc?.();
      if (row && retained) {
        // Retained by the view: the heap with the model, less the heap once it is dropped (a
        // difference with the heap before the read also counted what the bare reads left behind).
        const heapWith = process.memoryUsage().heapUsed;
        row.rssBytes = process.memoryUsage().rss;
        retained.model.dispose();
        await retained.client.close();
        retained = undefined;
        await new Promise((r) => setImmediate(r));
        globalThis.gc?.();
        row.heapBytes = heapWith - Math.min(heapBefore, process.memoryUsage().heapUsed);
      }

      // events --all over the first demo target's events (pages of 1000).
      const pages = Math.ceil((args.events + 1) / 1000);
      await measure(
        `events --all over ${args.events.toLocaleString('en-US')} events (pages of 1000)`,
        latency,
        { requests: pages, why: `${pages} pages` },
        () =>
          cli(eventsCommand, [
            String(main.demo.customerIds[0]),
            String(main.demo.targetRuleIds[0]),
            '--all',
            '--limit',
            '1000',
            '--json',
            '--env',
            'bench',
          ]),
      );
    }

    // simulate over N behavioural events at the first latency only: one event-data request per event.
    const latency = args.latencies[0] as number;
    for (const sb of sandboxes) sb.setFault({ kind: 'latency', ms: latency });
    const simEnv = { MILESTONES_USERNAME: simSandbox.credentials.username, MILESTONES_PASSWORD: simSandbox.credentials.password };
    const pages = Math.ceil(args.events / 1000);
    // The pages after the first are read while the event data of the page before is (read ahead).
    const rounds = 1 + 1 + Math.ceil(args.events / args.simulateParallel);
    await measure(
      `simulate over ${args.events.toLocaleString('en-US')} events, --parallel ${args.simulateParallel}`,
      latency,
      {
        requests: rounds,
        why: `progress, the first of ${pages} pages, then ${args.events} event-data reads ${args.simulateParallel} at a time (the other pages read meanwhile)`,
      },
      () =>
        cli(
          simulateCommand,
          [
            'sim/steps.milestone.json',
            '--customer',
            String(sim.customerId),
            '--env',
            'sim',
            '--parallel',
            String(args.simulateParallel),
            '--json',
          ],
          simEnv,
        ),
    );
    // Simulate again after the draft is edited, as the extension does: the event data read by the
    // first run is kept per connection (EventDataCache), so only the progress and the pages are read.
    const simClient = new CapillaryClient({
      baseUrl: simSandbox.url,
      auth: { kind: 'basic', username: simSandbox.credentials.username, password: simSandbox.credentials.password },
    });
    closers.push(() => simClient.close());
    const simText = await readFile(join(ws, 'sim/steps.milestone.json'), 'utf8');
    const cache = new EventDataCache();
    const again = (text: string) => async (): Promise<{ code: number; bytes: number }> => {
      const before = simClient.requestStats().bytesReceived;
      await simulateDraft({
        text,
        fileName: 'steps.milestone.json',
        client: simClient,
        customerId: sim.customerId,
        environment: { name: 'sim', baseUrl: simSandbox.url },
        eventDataCache: cache,
      });
      return { code: 0, bytes: simClient.requestStats().bytesReceived - before };
    };
    for (const sb of sandboxes) sb.setFault({ kind: 'latency', ms: 0 });
    await again(simText)();
    for (const sb of sandboxes) sb.setFault({ kind: 'latency', ms: latency });
    await measure(
      `simulate again after an edit (extension, event data kept), ${args.events.toLocaleString('en-US')} events`,
      latency,
      { requests: 1 + pages, why: `progress and ${pages} pages; the event data is already read` },
      again(simText.replace(/"description": "/, '"description": "edited ')),
    );
    return { latencies: args.latencies, parallel: PARALLEL, rows, errors };
  } finally {
    for (const sb of sandboxes) await sb.stop().catch(() => undefined);
    for (const close of closers) await close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

childMain(runNetworkBench);
