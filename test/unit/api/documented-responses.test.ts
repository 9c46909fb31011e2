/**
 * The sandbox answers with the SHAPE the docs show: for each documented response example
 * (test/fixtures/docs/responses, copied verbatim; SOURCES.json says from where), the sandbox's
 * answer to the equivalent request has the same envelope keys, the same field names at every
 * level, the same JSON types and the same date formats, and the documented HTTP status. Fields
 * the sandbox adds must be documented in another example or table of the same endpoint.
 * The client's parsing accepts each documented example (served through a stub server).
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'jsonc-parser';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';
import { basicAuthorization, CapillaryClient } from '../../../src/core/api/client';
import { definitionFromRemote } from '../../../src/core/deploy';
import type { TargetGroup } from '../../../src/core/api/types';
import { validateDefinition } from '../../../src/core/validation';
import { parseDocExample, shapeDifferences, shapeOf, type ShapeDifference } from '../helpers/doc-shape';

const DOCS = join(resolve(__dirname, '..', '..', '..'), 'test', 'fixtures', 'docs');
const doc = (name: string): Record<string, unknown> =>
  parseDocExample(readFileSync(join(DOCS, 'responses', name), 'utf8')) as Record<string, unknown>;
const request = (name: string): Record<string, unknown> =>
  parse(readFileSync(join(DOCS, 'requests', name), 'utf8'), [], { allowTrailingComma: true }) as Record<string, unknown>;

/** The sandbox's group responses may carry any field some documented group response shows. */
const GROUP_EXAMPLES = [
  'create-target-group.json',
  'create-behavioural-seed-1.json',
  'create-behavioural-seed-2.json',
  'update-target-group.json',
  'update-target-group-seed.json',
  'get-target-group.json',
];
/** Fields the docs describe in a parameter table but show in no example (source in the comment). */
const TABLE_ONLY_FIELDS = [
  // update-target-group.txt and create-target-group-behavioral-events.txt response tables:
  // attribution.createdOnISO / lastUpdatedOnISO, targetCycleStartDateISO / EndDateISO.
  'createdOnISO',
  'lastUpdatedOnISO',
  'targetCycleStartDateISO',
  'targetCycleEndDateISO',
  // get-active-targets.md response table: description of the target.
  'description',
];

function documentedElsewhere(diffs: ShapeDifference[], examples: string[]): ShapeDifference[] {
  const known = new Set<string>();
  for (const name of examples) {
    const d = doc(name);
    // Group responses are {data: group}, list responses {data: [group]}: compare field paths of the group.
    for (const path of shapeOf(d).keys()) known.add(path.replace(/^\/data\/\[\]/, '/data'));
  }
  return diffs.filter((x) => {
    if (x.documented !== undefined) return true;
    const path = x.path.replace(/^\/data\/\[\]/, '/data');
    const field = path.slice(path.lastIndexOf('/') + 1);
    return !known.has(path) && !TABLE_ONLY_FIELDS.includes(field);
  });
}

let sb: SandboxHandle;
let auth: string;
let counter = 0;

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const r = await fetch(sb.url + path, {
    method,
    headers: { authorization: auth, 'content-type': 'application/json', accept: 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
}

/** A documented create body with fresh names (names are unique on the platform). */
function fresh(name: string): Record<string, unknown> {
  const body = request(name);
  const n = ++counter;
  body['name'] = `${String(body['name'])}_${n}`;
  for (const t of (body['targets'] as Array<Record<string, unknown>>) ?? []) t['name'] = `${String(t['name'])}_${n}`;
  return body;
}

/**
 * The documented response without the optional fields the request did not send (the platform
 * echoes what it was given: no description in, none out).
 */
function withoutUnsent(documented: Record<string, unknown>, sent: Record<string, unknown>): Record<string, unknown> {
  const out = structuredClone(documented) as { data: Record<string, unknown> & { targets?: Array<Record<string, unknown>> } };
  for (const field of ['description', 'frequencyType']) if (!(field in sent)) delete out.data[field];
  const sentTarget = ((sent['targets'] as Array<Record<string, unknown>> | undefined) ?? [])[0] ?? {};
  for (const t of out.data.targets ?? []) {
    for (const field of ['description', 'extendedFieldInfo', 'targetMilestoneTriggers']) if (!(field in sentTarget)) delete t[field];
  }
  return out;
}

function assertSameShape(documented: unknown, actual: unknown, opts: { examples?: string[]; nullable?: string[] } = {}): void {
  let diffs = shapeDifferences(documented, actual, { nullable: opts.nullable ?? [] });
  diffs = documentedElsewhere(diffs, opts.examples ?? []);
  assert.deepEqual(
    diffs.map((d) => `${d.path}: documented ${d.documented ?? '(absent)'}, sandbox ${d.actual ?? '(absent)'}`),
    [],
  );
}

before(async () => {
  sb = await startSandbox();
  auth = basicAuthorization(sb.credentials.username, sb.credentials.password);
});
after(async () => {
  await sb.stop();
});

describe('create target group (POST /v3/targetGroups)', () => {
  const cases: Array<[string, string]> = [
    ['ref-create-target-groups-curl.jsonc', 'create-target-group.json'],
    ['seed-create-behavioural-event-attribute.jsonc', 'create-behavioural-seed-1.json'],
    ['seed-create-behavioural-count.jsonc', 'create-behavioural-seed-2.json'],
  ];
  for (const [req, res] of cases) {
    test(`${req} answers like ${res}`, async () => {
      const r = await call('POST', '/v3/targetGroups', fresh(req));
      assert.equal(r.status, 201, JSON.stringify(r.json.errors));
      assertSameShape(doc(res), r.json, { examples: GROUP_EXAMPLES });
    });
  }

  test('the documented EVENT target without eventName is created tracking TransactionAdd, totalPeriods kept as sent', async () => {
    const r = await call('POST', '/v3/targetGroups', fresh('ref-create-target-groups-curl.jsonc'));
    const data = r.json['data'] as { totalPeriods: number; periods: unknown[]; targets: Array<{ eventName: string }> };
    const documented = doc('create-target-group.json')['data'] as typeof data;
    assert.equal(data.totalPeriods, documented.totalPeriods);
    assert.equal(data.periods.length, documented.periods.length);
    assert.equal(data.targets[0]?.eventName, documented.targets[0]?.eventName);
  });

  for (const req of [
    'ref-behavioural-example-1.jsonc',
    'ref-behavioural-example-2.jsonc',
    'ref-behavioural-count-visit.jsonc',
    'ref-behavioural-sum.jsonc',
    'ref-emf-points-redemption.jsonc',
  ]) {
    test(`${req} is accepted with a target group in data`, async () => {
      const body = fresh(req);
      const r = await call('POST', '/v3/targetGroups', body);
      assert.equal(r.status, 201, JSON.stringify(r.json.errors));
      assertSameShape(withoutUnsent(doc('create-target-group.json'), body), r.json, { examples: GROUP_EXAMPLES });
    });
  }
});

describe('edit target group (PUT /v3/targetGroups/editTargetGroup/{id})', () => {
  for (const res of ['update-target-group-seed.json', 'update-target-group.json']) {
    test(`the documented edit body answers like ${res}`, async () => {
      const createBody = fresh('seed-create-behavioural-count.jsonc');
      const created = await call('POST', '/v3/targetGroups', createBody);
      const group = created.json['data'] as { id: number; targets: Array<{ id: number }> };
      const body = request('seed-update-target-group.jsonc') as { id: number; targets: Array<{ id: number }> };
      body.id = group.id;
      (body as Record<string, unknown>)['name'] = `Test Milestone UAT 23 July ${++counter}`; // names are unique
      (body.targets[0] as { id: number }).id = (group.targets[0] as { id: number }).id;
      const r = await call('PUT', `/v3/targetGroups/editTargetGroup/${group.id}`, body);
      assert.equal(r.status, 200);
      // streaks and activePeriod depend on the group (a streak group; a running period).
      const documented = withoutUnsent(doc(res), { ...createBody, description: '' }) as { data: Record<string, unknown> };
      delete documented.data['streaks'];
      delete documented.data['activePeriod'];
      assertSameShape(documented, r.json, { examples: GROUP_EXAMPLES });
    });
  }
});

describe('get target groups', () => {
  test('GET /v3/targetGroups/{id} answers like get-target-group.json', async () => {
    const r = await call('GET', `/v3/targetGroups/${sb.demo.targetGroupIds[0]}`);
    assert.equal(r.status, 200);
    assertSameShape(doc('get-target-group.json'), r.json, { examples: GROUP_EXAMPLES });
  });

  test('GET /v3/targetGroups?includeUserCreatedTargetGroups=true answers like the "user created targets included" example', async () => {
    // Optional target fields the chosen demo group's targets were not created with.
    await assertListLike('/v3/targetGroups?includeUserCreatedTargetGroups=true&includePeriods=true', 'get-target-group-user-created.json', [
      'extendedFieldInfo',
      'targetMilestoneTriggers',
    ]);
  });
});

/**
 * A list answer has the shape of a documented list example: its first group against the demo
 * group with a running period, a description and a frequency type, like the examples' first;
 * `unsent` are optional target fields the demo group's targets were not created with.
 */
async function assertListLike(path: string, example: string, unsent: string[]): Promise<void> {
  const r = await call('GET', path);
  assert.equal(r.status, 200);
  const groups = r.json['data'] as Array<Record<string, unknown>>;
  const like = groups.find((g) => g['activePeriod'] && g['description'] !== undefined && g['frequencyType'] !== undefined);
  assert.ok(like, 'no demo group has a running period, a description and a frequency type');
  const documented = structuredClone(doc(example)) as { data: Array<{ targets: Array<Record<string, unknown>> }> };
  for (const t of documented.data[0]?.targets ?? []) for (const field of unsent) delete t[field];
  assertSameShape(documented, { ...r.json, data: [like] }, { examples: GROUP_EXAMPLES });
}

describe('get all target groups (GET /v3/targetGroups, get-target-groups-all)', () => {
  test('GET /v3/targetGroups answers like the documented list: every group with its targets, no periods list', async () => {
    await assertListLike('/v3/targetGroups', 'get-target-groups-all.json', ['targetMilestoneTriggers']);
  });
});

describe('enrolled targets (GET /v3/users/{userId}/enrolledTargets)', () => {
  for (const [query, res] of [
    ['', 'enrolled-targets-filtered.json'],
    ['?enrollmentType=TRANSACTION', 'enrolled-targets-transaction.json'],
  ] as const) {
    test(`${query || '(no filter)'} answers like ${res}`, async () => {
      const r = await call('GET', `/v3/users/${sb.demo.customerIds[0]}/enrolledTargets${query}`);
      assert.equal(r.status, 200);
      // A demo target with scope filters and no eventName, like the examples' first target.
      const targets = (r.json['data'] as Array<Record<string, unknown>>).filter((t) => t['targetEntity'] !== 'EVENT');
      const like = targets.find((t) => (t['filters'] as unknown[]).length > 0) ?? targets[0];
      assert.ok(like, 'no enrolled transactional demo target');
      const documented = structuredClone(doc(res)) as { data: Array<{ filters: unknown[] }> };
      // Only the IMPORT demo target has scope filters; the filter shape is compared on it (first case).
      if ((like['filters'] as unknown[]).length === 0) (documented.data[0] as { filters: unknown[] }).filters = [];
      assertSameShape(
        documented,
        { ...r.json, data: [like] },
        { examples: ['enrolled-targets-filtered.json', 'enrolled-targets-transaction.json'], nullable: ['description'] },
      );
    });
  }

  test('an unknown user and an unknown enrollment type answer the documented error bodies', async () => {
    const bad = await call('GET', '/v3/users/999999999/enrolledTargets');
    assert.deepEqual(bad.json, doc('error-enrolled-targets-invalid-user.json'));
    const type = await call('GET', `/v3/users/${sb.demo.customerIds[0]}/enrolledTargets?enrollmentType=FOO`);
    assert.deepEqual(type.json, doc('error-enrolled-targets-invalid-enrollment-type.json'));
  });
});

describe('tracked target events (GET /v3/users/{userId}/trackedTargetEvents/{targetRuleId})', () => {
  /** The sandbox page with, first, an event of the same kind as the documented example's first. */
  async function pageLike(documented: Record<string, unknown>): Promise<Record<string, unknown>> {
    const kind = ((documented['data'] as Array<{ eventName: string }>)[0] as { eventName: string }).eventName;
    for (const rule of sb.demo.targetRuleIds) {
      const r = await call('GET', `/v3/users/${sb.demo.customerIds[0]}/trackedTargetEvents/${rule}?limit=30&offset=0`);
      if (r.status !== 200) continue;
      const same = (r.json['data'] as Array<{ eventName: string }>).find((e) => e.eventName === kind);
      if (same) return { ...r.json, data: [same] };
    }
    assert.fail(`no ${kind} event in the sandbox's first pages`);
  }
  for (const res of [
    'tracked-events-seed.json',
    'tracked-events-transactional.json',
    'tracked-events-period.json',
    'tracked-events-behavioural.json',
  ]) {
    test(`answers like ${res}`, async () => {
      const documented = doc(res);
      const examples = ['tracked-events-seed.json', 'tracked-events-transactional.json', 'tracked-events-behavioural.json'];
      assertSameShape(documented, await pageLike(documented), { examples, nullable: ['eventDisplayName'] });
    });
  }
});

describe('tracked target events paging (limit "Defaults to 10", offset "Defaults to 0", offset is a page number)', () => {
  test('defaults and pages', async () => {
    const path = `/v3/users/${sb.demo.customerIds[0]}/trackedTargetEvents/${sb.demo.targetRuleIds[0]}`;
    const first = await call('GET', path);
    const pagination = first.json['pagination'] as { limit: number; offset: number; total: number };
    assert.deepEqual([pagination.limit, pagination.offset], [10, 0]);
    assert.equal((first.json['data'] as unknown[]).length, 10);
    const second = await call('GET', `${path}?limit=10&offset=1`);
    const ids = (r: typeof first): number[] => (r.json['data'] as Array<{ eventLogId: number }>).map((e) => e.eventLogId);
    assert.equal(ids(second).length, 10);
    assert.ok(ids(second).every((id) => !ids(first).includes(id)));
  });
});

describe('event data (GET /v2/events/event_data?id=)', () => {
  test('answers like the documented example', async () => {
    const r = await call('GET', `/v2/events/event_data?id=${sb.demo.behaviouralEventRequestIds[0]}`);
    assert.equal(r.status, 200);
    const documented = structuredClone(doc('event-data.json')) as { data: Array<{ additonalAttributes: Record<string, unknown> }> };
    // additonalAttributes holds the event's own attributes (String, groupId in the example are the
    // example event's custom attributes); the system attributes must be there.
    const attrs = (documented.data[0] as { additonalAttributes: Record<string, unknown> }).additonalAttributes;
    delete attrs['String'];
    delete attrs['groupId'];
    const actual = structuredClone(r.json) as { data: Array<{ additonalAttributes: Record<string, unknown> }> };
    const own = (actual.data[0] as { additonalAttributes: Record<string, unknown> }).additonalAttributes;
    for (const k of Object.keys(own)) if (!(k in attrs)) delete own[k];
    assertSameShape(documented, actual, { nullable: ['accountId', 'displayName'] });
  });
});

describe('OAuth token (POST /v3/oauth/token/generate)', () => {
  test('answers like the documented example', async () => {
    const r = await fetch(`${sb.url}/v3/oauth/token/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: sb.credentials.oauthKey, secret: sb.credentials.oauthSecret }),
    });
    assert.equal(r.status, 200);
    assertSameShape(doc('oauth-token.json'), await r.json());
  });
});

describe('the client parses every documented response', () => {
  let stub: Server;
  let base: string;
  let body = '';
  before(async () => {
    stub = createServer((req, res) => {
      res.writeHead(req.url?.startsWith('/v3/targetGroups') && req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' });
      res.end(body);
    });
    await new Promise<void>((r) => stub.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise<void>((r) => stub.close(() => r()));
  });
  const serve = (name: string): void => {
    // Served as JSON (a few examples are printed with trailing or missing commas).
    body = JSON.stringify(doc(name));
  };
  const client = (): CapillaryClient =>
    new CapillaryClient({ baseUrl: base, auth: { kind: 'basic', username: 'u', password: 'p' } }, { retryBaseDelayMs: 1 });

  test('create, edit and get return the documented group', async () => {
    for (const name of ['create-target-group.json', 'create-behavioural-seed-1.json']) {
      serve(name);
      const g = await client().createTargetGroup({ name: 'x' });
      assert.equal(g.data.id, (doc(name)['data'] as { id: number }).id);
    }
    for (const name of ['update-target-group.json', 'update-target-group-seed.json']) {
      serve(name);
      const g = await client().editTargetGroup(1, { id: 1 });
      assert.equal(g.data.id, (doc(name)['data'] as { id: number }).id);
    }
    serve('get-target-group.json');
    assert.equal((await client().getTargetGroup(20)).data.id, 20);
    serve('get-target-group-user-created.json');
    assert.equal((await client().getTargetGroup(39536)).data.id, 39536);
  });

  test('enrolled targets, tracked events and event data', async () => {
    serve('enrolled-targets-filtered.json');
    const enrolled = await client().getEnrolledTargets(1);
    assert.equal(enrolled.data.length, (doc('enrolled-targets-filtered.json')['data'] as unknown[]).length);
    serve('tracked-events-transactional.json');
    const page = (await client().getTrackedEventsPage(1, 2, { limit: 10, offset: 0 })).data;
    assert.deepEqual(page.pagination, { limit: 10, offset: 0, total: 10 });
    assert.equal(page.events[0]?.eventLogId, 606066681);
    serve('tracked-events-seed.json');
    assert.equal((await client().getTrackedEventsPage(1, 2)).data.events[0]?.eventDate, null);
    serve('event-data.json');
    const data = (await client().getEventData('b26d5065-2177-4a18-a5ae-332682072073')).data;
    assert.equal(data[0]?.additonalAttributes?.['requestId'], 'b26d5065-2177-4a18-a5ae-332682072073');
  });

  test('the OAuth token', async () => {
    serve('oauth-token.json');
    const c = new CapillaryClient({ baseUrl: base, auth: { kind: 'oauth', clientKey: 'k', clientSecret: 's' } }, { retryBaseDelayMs: 1 });
    const token = await c.generateOAuthToken();
    assert.equal(token.ttlSeconds, 300);
    assert.match(token.accessToken, /^eyJ/);
  });
});

describe('a documented target group, pulled as a definition file, validates without errors', () => {
  for (const name of [...GROUP_EXAMPLES, 'get-target-group-user-created.json']) {
    test(name, () => {
      const data = doc(name)['data'];
      const group = (Array.isArray(data) ? data[0] : data) as TargetGroup;
      const r = validateDefinition(definitionFromRemote(group));
      assert.equal(r.mode, 'edit');
      assert.deepEqual(
        r.findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.pointer}`),
        [],
      );
    });
  }
});
