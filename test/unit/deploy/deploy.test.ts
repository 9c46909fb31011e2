import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, parse } from 'jsonc-parser';
import type { CapillaryClient } from '../../../src/core/api/client';
import type { TargetGroup } from '../../../src/core/api/types';
import { isApiError } from '../../../src/core/api/errors';
import {
  DeployBlockedError,
  definitionFromRemote,
  executeDeploy,
  ignoredChangeLine,
  ignoredChanges,
  planDeploy,
  renderDryRun,
  writeBackEdits,
} from '../../../src/core/deploy';
import { looselyEqual } from '../../../src/core/deploy/diff';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planForEnvironment, recordDeploy, RecordStore } from '../../../src/core/environments';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';
import { validateDefinition } from '../../../src/core/validation';
import { basicClient, definitionText } from '../helpers/sandbox';

const NOW = new Date('2026-06-01T00:00:00Z');
const BASE = 'https://eu.api.capillarytech.com';

describe('plan without the network', () => {
  test('create plan: POST, $schema dropped, body is the file value', async () => {
    const plan = await planDeploy(definitionText('plan create'), { baseUrl: BASE, now: NOW });
    assert.equal(plan.mode, 'create');
    assert.equal(plan.method, 'POST');
    assert.equal(plan.url, `${BASE}/v3/targetGroups`);
    assert.deepEqual(plan.blocking, []);
    const body = plan.body as Record<string, unknown>;
    assert.equal(body['$schema'], undefined);
    assert.equal(body['name'], 'plan create');
  });

  test('a missing expressionJson is generated from the expression, with a note', async () => {
    const plan = await planDeploy(definitionText('plan fill', { expressionJson: false }), { baseUrl: BASE, now: NOW });
    assert.deepEqual(
      plan.blocking.map((f) => f.code),
      [],
    );
    const target = (plan.body as { targets: Record<string, unknown>[] }).targets[0] as Record<string, unknown>;
    assert.equal(typeof target['expressionJson'], 'string');
    assert.deepEqual(JSON.parse(target['expressionJson'] as string), { arity: 'literal', value: 'true', type: 'boolean:primitive' });
    assert.equal(plan.notes.length, 1);
  });

  test('validation errors block, with the validator codes and ranges', async () => {
    const text = definitionText('plan bad').replace('"totalPeriods": 2', '"totalPeriods": "two"');
    const plan = await planDeploy(text, { baseUrl: BASE, now: NOW });
    assert.ok(plan.blocking.length > 0);
    const expected = validateDefinition(text, { now: NOW }).findings.filter((f) => f.severity === 'error');
    assert.deepEqual(
      plan.blocking.map((f) => [f.code, f.range.offset]),
      expected.map((f) => [f.code, f.range.offset]),
    );
    const unparseable = await planDeploy('{ "name": ', { baseUrl: BASE, now: NOW });
    assert.ok(unparseable.blocking.length > 0);
  });

  test('an expression that cannot be converted blocks with MS402 on the expression', async () => {
    const text = definitionText('plan expr', { expressionJson: false }).replace(
      '"expression": "true"',
      '"expression": "currentTxn.value >"',
    );
    const plan = await planDeploy(text, { baseUrl: BASE, now: NOW });
    assert.ok(plan.blocking.length > 0);
    // Either the expression checker (MS3xx) or the deploy gate (MS402) reports it, on the expression.
    const onExpression = plan.blocking.filter((f) => f.pointer === '/targets/0/expression');
    assert.ok(onExpression.length > 0, JSON.stringify(plan.blocking.map((f) => [f.code, f.pointer])));
    assert.ok(onExpression.every((f) => /^MS(3\d\d|402)$/.test(f.code)));
    // Counted once, as Problems lists it (issue 23.5): MS402 only when no other error is there.
    assert.ok(!(onExpression.length > 1 && onExpression.some((f) => f.code === 'MS402')), 'no MS402 beside the expression error');
    assert.equal(plan.notes.length, 0, 'no expressionJson generated from a broken expression');
  });

  test('edit plan without a client: PUT to editTargetGroup/{id}, note that live was not fetched', async () => {
    const text = definitionText('plan edit').replace('"name": "plan edit",', '"id": 2514,\n  "name": "plan edit",');
    const plan = await planDeploy(text, { baseUrl: BASE, now: NOW });
    assert.equal(plan.mode, 'edit');
    assert.equal(plan.method, 'PUT');
    assert.equal(plan.url, `${BASE}/v3/targetGroups/editTargetGroup/2514`);
    assert.equal(plan.id, 2514);
    assert.ok(plan.notes.some((n) => /not fetched/.test(n)));
  });

  test('dry run shows method, URL, body and a curl line with the credentials redacted', async () => {
    const plan = await planDeploy(definitionText('plan dry'), { baseUrl: BASE, now: NOW });
    const basic = renderDryRun(plan, { kind: 'basic', username: 'till.user', password: 'S3cret!' });
    assert.match(basic, /^POST https:\/\/eu\.api\.capillarytech\.com\/v3\/targetGroups/);
    assert.match(basic, /curl --request POST/);
    assert.match(basic, /Authorization: Basic \*\*\*/);
    assert.ok(!basic.includes('S3cret!'));
    assert.ok(!basic.includes('till.user'));
    assert.ok(basic.includes('"name": "plan dry"'));
    const oauth = renderDryRun(plan, { kind: 'oauth', clientKey: 'KEY123', clientSecret: 'SECRET456' });
    assert.match(oauth, /X-CAP-API-OAUTH-TOKEN: \*\*\*/);
    assert.ok(!oauth.includes('KEY123') && !oauth.includes('SECRET456'));
  });
});

describe('diff of an edit against the live group', () => {
  const live = {
    id: 7,
    name: 'live',
    description: 'd',
    fromDate: '2027-01-01',
    totalPeriods: 1,
    periods: [{ id: 70, refCode: 'C1', description: 'p', startDate: '2027-01-01', endDate: '2027-01-31', periodStatus: 'RUNNING' }],
    targets: [
      {
        id: 71,
        name: 't',
        description: 'td',
        targetType: 'COUNT',
        expression: 'true',
        defaultValues: [{ id: 700, periodId: 70, defaultValue: 1 }],
      },
    ],
  } as TargetGroup;

  test('editable fields and loose equivalents are not reported', () => {
    const local = {
      id: 7,
      name: 'renamed',
      description: 'changed',
      fromDate: '2027-01-01T00:00:00Z',
      totalPeriods: '1',
      periods: [{ id: 70, refCode: 'C1', description: 'p', startDate: '2027-01-01', endDate: '2027-01-31', periodStatus: 'NOT_STARTED' }],
      targets: [
        {
          id: 71,
          name: 'x',
          description: 'y',
          expression: 'false',
          targetType: 'COUNT',
          defaultValues: [{ id: 700, periodId: 70, defaultValue: '1' }],
        },
      ],
    };
    assert.deepEqual(ignoredChanges(local, live), []);
  });

  test('each ignored change says what differs once: no repeated pointer, no repeated rule (issue 11.9)', () => {
    const local = {
      id: 7,
      totalPeriods: 2,
      periods: [{ id: 70, refCode: 'C9', description: 'other', startDate: '2027-01-02' }, { refCode: 'new' }, { id: 99, refCode: 'gone' }],
      targets: [{ id: 71, targetType: 'SALES' }],
    };
    const changes = ignoredChanges(local, live);
    assert.ok(changes.length >= 4);
    for (const c of changes) {
      assert.ok(!c.message.includes(c.pointer), `${c.pointer}: ${c.message}`);
      assert.doesNotMatch(c.message, /edit API only changes/, 'the rule is said once, in the list header');
      const line = ignoredChangeLine(c);
      assert.equal(line.split(c.pointer || '/').length - 1, 1, line);
    }
  });

  test('non-editable changes, new and removed items are reported by pointer', () => {
    const local = {
      id: 7,
      totalPeriods: 2,
      periods: [{ id: 70, refCode: 'C9', description: 'other', startDate: '2027-01-02' }, { refCode: 'new' }],
      targets: [{ id: 71, targetType: 'SALES', defaultValues: [{ id: 700, periodId: 70, defaultValue: 5 }] }],
    };
    const pointers = ignoredChanges(local, live)
      .map((c) => c.pointer)
      .sort();
    assert.deepEqual(pointers, [
      '/periods/0/description',
      '/periods/0/refCode',
      '/periods/0/startDate',
      '/periods/1',
      '/targets/0/defaultValues/0/defaultValue',
      '/targets/0/targetType',
      '/totalPeriods',
    ]);
  });

  test('loose equality', () => {
    assert.ok(looselyEqual('1.000', 1));
    assert.ok(looselyEqual(true, 'true'));
    assert.ok(looselyEqual('2025-05-11', '2025-05-11T10:00:00+05:30'));
    assert.ok(looselyEqual('2025-05-11T00:00:00.000Z', '2025-05-11T05:30:00+05:30'));
    assert.ok(!looselyEqual('2025-05-11', '2025-05-12'));
    assert.ok(!looselyEqual('', 0));
  });
});

describe('write-back', () => {
  const response = {
    id: 9001,
    // The platform may return periods in another order (update-target-group.txt does).
    periods: [
      { id: 502, refCode: 'Cycle_2' },
      { id: 501, refCode: 'Cycle_1' },
    ],
    targets: [{ id: 601, name: 'round_trip_target' }],
  } as TargetGroup;

  test('ids are inserted in place; comments and formatting are kept', () => {
    const text = definitionText('wb');
    const updated = applyEdits(text, writeBackEdits(text, response));
    const value = parse(updated) as { id: number; periods: { id: number }[]; targets: { id: number }[] };
    assert.equal(value.id, 9001);
    assert.deepEqual(
      value.periods.map((p) => p.id),
      [501, 502],
    );
    assert.deepEqual(
      value.targets.map((t) => t.id),
      [601],
    );
    assert.ok(updated.includes('// Milestone for the round-trip test: keep this comment.'));
    assert.ok(updated.includes('/* January */'));
    // Only insertions: removing the inserted text gives back the original.
    const inserted = writeBackEdits(text, response);
    assert.ok(inserted.every((e) => e.length === 0));
    // The group id goes right after $schema.
    assert.ok(updated.indexOf('"id": 9001') > updated.indexOf('"$schema"'));
    assert.ok(updated.indexOf('"id": 9001') < updated.indexOf('"name"'));
    assert.equal(validateDefinition(updated, { now: NOW }).mode, 'edit');
  });

  test('idempotent: nothing to write when the ids are already there', () => {
    const text = definitionText('wb');
    const updated = applyEdits(text, writeBackEdits(text, response));
    assert.deepEqual(writeBackEdits(updated, response), []);
  });

  test('CRLF and tab-indented files keep their style', () => {
    const text = definitionText('wb')
      .replace(/\n/g, '\r\n')
      .replace(/^( {2})+/gm, (m) => '\t'.repeat(m.length / 2));
    const updated = applyEdits(text, writeBackEdits(text, response));
    assert.ok(!/[^\r]\n/.test(updated), 'no bare LF');
    assert.ok(updated.includes('\r\n\t"id": 9001'));
  });

  test('an id written over a value that holds comments keeps them (the long fuzz run, seed -839378567)', () => {
    const text = '{\n  "id": [1, // note\n 2 /* b */],\n  "name": "x"\n}\n';
    const updated = applyEdits(text, writeBackEdits(text, response));
    assert.deepEqual(parse(updated), { id: 9001, name: 'x' });
    assert.ok(updated.includes('// note') && updated.includes('/* b */'), updated);
  });
});

describe('round trip against the sandbox', () => {
  let sb: SandboxHandle;
  let client: CapillaryClient;
  before(async () => {
    sb = await startSandbox({ allowFaults: true });
    client = basicClient(sb);
  });
  after(async () => {
    await client.close();
    await sb.stop();
  });

  test('create -> ids written back -> edit (with ignored changes) -> pull matches the file', async () => {
    const original = definitionText('core round trip');
    const root = await mkdtemp(join(tmpdir(), 'ms-deploy-core-'));
    const store = new RecordStore(root);
    const file = join(root, 'core.milestone.jsonc');
    const environment = { baseUrl: client.baseUrl };
    const created = await planForEnvironment(original, { store, file, environment, client, now: NOW });
    const plan = created.plan;
    assert.equal(plan.mode, 'create');
    const { response } = await executeDeploy(plan, client);
    await recordDeploy(created, response, { store, client, fileIdsWritten: true });
    const withIds = applyEdits(original, writeBackEdits(original, response));
    assert.ok(withIds.includes('keep this comment'));

    const edited = withIds
      .replace('"description": "first description"', '"description": "second description"')
      .replace('"description": "target description"', '"description": "edited target"')
      .replace('"preferredTillId": 75155297', '"preferredTillId": 1');
    // planDeploy alone builds the request from the file's id, but nothing checked it: executeDeploy refuses.
    const unchecked = await planDeploy(edited, { baseUrl: client.baseUrl, client, now: NOW });
    assert.equal(unchecked.mode, 'edit');
    await assert.rejects(executeDeploy(unchecked, client), /not checked against the file's deployment record/);
    const checked = await planForEnvironment(edited, { store, file, environment, client, now: NOW });
    assert.equal(checked.verdict?.kind, 'edit');
    const editPlan = checked.plan;
    assert.equal(editPlan.mode, 'edit');
    assert.deepEqual(editPlan.blocking, []);
    assert.deepEqual(
      editPlan.ignoredChanges.map((c) => c.pointer),
      ['/preferredTillId'],
    );
    const after = await executeDeploy(editPlan, client);
    assert.equal(after.response.description, 'second description');

    const live = (await client.getTargetGroup(response.id)).data;
    const pulled = JSON.parse(definitionFromRemote(live)) as Record<string, unknown>;
    assert.equal(pulled['id'], response.id);
    assert.equal(validateDefinition(definitionFromRemote(live), { now: NOW }).findings.filter((f) => f.severity === 'error').length, 0);
    // The pulled definition and the file agree on every field the file sets (loosely: dates, numbers),
    // apart from the one the platform did not apply.
    const restored = edited.replace('"preferredTillId": 1', '"preferredTillId": 75155297');
    assert.deepEqual(ignoredChanges(parse(restored), pulled as TargetGroup), []);
    assert.deepEqual(ignoredChanges(pulled, live), []);
    for (const key of ['name', 'description']) assert.equal(pulled[key], (parse(restored) as Record<string, unknown>)[key]);
    await rm(root, { recursive: true, force: true });
  });

  test('an edit of a group that does not exist fails while planning with 310017', async () => {
    const text = definitionText('ghost').replace('"name": "ghost",', '"id": 987654,\n  "name": "ghost",');
    await assert.rejects(
      planDeploy(text, { baseUrl: client.baseUrl, client, now: NOW }),
      (e: unknown) => (e as { code?: number }).code === 310017,
    );
  });

  test('executeDeploy refuses a plan with blocking findings and sends nothing', async () => {
    const plan = await planDeploy('{}', { baseUrl: client.baseUrl, now: NOW });
    assert.ok(plan.blocking.length > 0);
    await assert.rejects(
      executeDeploy(plan, client),
      (e: unknown) => e instanceof DeployBlockedError && e.findings.length === plan.blocking.length && !isApiError(e),
    );
  });
});
