/**
 * The reader of a `GET /v3/milestones` answer (readMilestonesPage): it never throws, refuses a
 * malformed page or id clearly (naming the item), and says a page is complete only when it is
 * the first page and its total is no more than it carries. Through the client, a refused page
 * is an invalid-response error; hostile pages come from a loopback server.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { readMilestonesPage } from '../../../src/core/api/endpoints/milestones';
import { ApiError } from '../../../src/core/api/errors';
import { CapillaryClient } from '../../../src/core/api/client';
import { orgNames } from '../../../src/core/plan/org';

const good = (id: number, name: string, targets: Array<{ id: number; name: string }> = []): Record<string, unknown> => ({
  id,
  name,
  active: true,
  targets,
});

describe('readMilestonesPage', () => {
  test('a well-formed first page with its total is complete; names are indexed case-insensitively', () => {
    const r = readMilestonesPage([good(1, 'Walk', [{ id: 10, name: 'Steps' }]), good(2, 'Run')], { limit: 10, offset: 0, total: 2 });
    assert.ok('page' in r);
    assert.equal(r.page.complete, true);
    const names = orgNames(r.page.milestones, r.page.complete);
    assert.ok(names.hasGroupName('walk') && names.hasGroupName(' RUN ') && names.hasTargetName('STEPS'));
    assert.ok(!names.hasGroupName('swim'));
  });

  test('not complete: more in total than carried, a later page, or no total', () => {
    const two = [good(1, 'a'), good(2, 'b')];
    for (const pagination of [
      { limit: 2, offset: 0, total: 3 },
      { limit: 2, offset: 1, total: 2 },
      { limit: 2, offset: 0 },
      undefined,
      null,
    ]) {
      const r = readMilestonesPage(two, pagination);
      assert.ok('page' in r, JSON.stringify(pagination));
      assert.equal(r.page.complete, false, JSON.stringify(pagination));
    }
    const empty = readMilestonesPage(null, { total: 0 });
    assert.ok('page' in empty && empty.page.complete && empty.page.milestones.length === 0);
  });

  test('malformed pages and ids are refused, naming what is wrong', () => {
    const cases: Array<[unknown, unknown, RegExp]> = [
      [{ id: 1 }, { total: 1 }, /data is not a list/],
      [[good(1, 'a')], 'page 1', /pagination is not an object/],
      [[good(1, 'a')], { total: -1 }, /pagination\.total -1 is not a count/],
      [[good(1, 'a')], { offset: '0' }, /pagination\.offset "0" is not a count/],
      [[good(1, 'a'), { id: -29615551, name: 'neg' }], { total: 2 }, /item 2 \("neg"\) has the id -29615551/],
      [[good(1, 'a'), 'x'], { total: 2 }, /item 2 is not a milestone/],
      [[{ id: 1.5 }], { total: 1 }, /item 1 has the id 1\.5/],
      [[{ id: 1, name: 7 }], { total: 1 }, /item 1 has a name that is not text/],
      [[good(3, 'a', [{ id: 0, name: 't' }])], { total: 1 }, /item 1 \("a"\) has targets\[0\]\.id 0/],
      [[{ id: 3, name: 'a', targets: 'none' }], { total: 1 }, /targets that are not a list/],
      [
        [
          {
            id: 3,
            name: 'a',
            streaks: [
              { id: 4, name: null },
              { id: 5, name: {} },
            ],
          },
        ],
        { total: 1 },
        /streaks\[1\] with a name that is not text/,
      ],
    ];
    for (const [data, pagination, why] of cases) {
      const r = readMilestonesPage(data, pagination);
      assert.ok('problem' in r, JSON.stringify(data));
      assert.match(r.problem, why);
    }
  });

  test('property: never throws on any answer, and answers the same for equal content', () => {
    const milestone = fc.record(
      {
        id: fc.oneof(fc.integer({ min: -5, max: 1e6 }), fc.double(), fc.string(), fc.constant(null)),
        name: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
        targets: fc.oneof(
          fc.array(fc.record({ id: fc.integer({ min: -2, max: 50 }), name: fc.oneof(fc.string(), fc.boolean()) }), { maxLength: 3 }),
          fc.anything(),
        ),
      },
      { requiredKeys: [] },
    );
    const page = fc.oneof(fc.array(fc.oneof(milestone, fc.anything()), { maxLength: 6 }), fc.anything());
    const pagination = fc.oneof(
      fc.record({ limit: fc.anything(), offset: fc.anything(), total: fc.anything() }, { requiredKeys: [] }),
      fc.anything(),
    );
    fc.assert(
      fc.property(page, pagination, (data, p) => {
        const a = readMilestonesPage(data, p);
        const b = readMilestonesPage(structuredClone(data), structuredClone(p));
        assert.deepEqual('problem' in a ? a.problem : a.page.complete, 'problem' in b ? b.problem : b.page.complete);
        if ('page' in a) {
          // Accepted: every milestone has a positive safe integer id, and complete means nothing is left out.
          for (const m of a.page.milestones) assert.ok(Number.isSafeInteger(m.id) && m.id > 0);
          if (a.page.complete) assert.ok((a.page.pagination?.total ?? Infinity) <= a.page.milestones.length);
          const names = orgNames(a.page.milestones, a.page.complete);
          for (const m of a.page.milestones) if (typeof m.name === 'string') assert.ok(names.hasGroupName(m.name));
        } else {
          assert.equal(typeof a.problem, 'string');
          assert.ok(a.problem.length > 0 && a.problem.length < 400);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('listMilestones through the client', () => {
  let server: Server;
  let url: string;
  let answer: unknown;
  before(async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('a page with a bad id is an invalid-response error naming the item; a good one is read', async () => {
    const client = new CapillaryClient({ baseUrl: url, auth: { kind: 'basic', username: 'u', password: 'p' } }, { retryBaseDelayMs: 1 });
    try {
      answer = {
        pagination: { limit: 10, offset: 0, total: 2 },
        data: [good(1, 'a'), { id: '2', name: 'b' }],
        errors: null,
        warnings: null,
      };
      await assert.rejects(client.listMilestones({ limit: 10 }), (e: unknown) => {
        assert.ok(e instanceof ApiError);
        assert.equal(e.kind, 'invalid-response');
        assert.match(e.message, /item 2 \("b"\) has the id "2"/);
        return true;
      });
      answer = { pagination: { limit: 10, offset: 0, total: 2 }, data: [good(1, 'a'), good(2, 'b')], errors: null, warnings: null };
      const page = (await client.listMilestones({ limit: 10 })).data;
      assert.equal(page.milestones.length, 2);
      assert.ok(page.complete);
    } finally {
      await client.close();
    }
  });
});
