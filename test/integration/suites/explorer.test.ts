// The Customer Explorer in a real VS Code: a sandbox on loopback is the active connection, a demo
// customer is added, and the tree is walked through its data provider (the
// `milestones.explorer.getChildren` command renders the same tree items the view shows).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SandboxHandle } from '../../../src/core/sandbox/index';
import type { ExplorerRow } from '../../../src/extension/views/explorer/commands';
import { closeAllEditors, removeConnection, sandboxConnection, usedSecrets, waitFor } from '../helpers';

const PAGE_SIZE = 3;

const rows = (key?: string): Thenable<ExplorerRow[]> =>
  vscode.commands.executeCommand<ExplorerRow[]>('milestones.explorer.getChildren', key);
const kinds = (list: ExplorerRow[]): string[] => list.map((r) => r.kind);

suite('Customer Explorer', () => {
  let sandbox: SandboxHandle;
  let connectionId: string;
  const added: string[] = [];

  async function addCustomer(id: number | string): Promise<string> {
    const key = await vscode.commands.executeCommand<string | undefined>('milestones.explorer.addCustomer', String(id));
    assert.ok(key, `customer ${id} is added`);
    added.push(key);
    return key;
  }

  /** The first row of a kind under a node, waiting while a load is in flight. */
  async function child(parent: string, predicate: (r: ExplorerRow) => boolean, what: string): Promise<ExplorerRow> {
    return waitFor(what, async () => (await rows(parent)).find(predicate));
  }

  suiteSetup(async () => {
    ({ sandbox, connectionId } = await sandboxConnection('Explorer test sandbox'));
    usedSecrets.add(sandbox.credentials.password);
    await vscode.workspace.getConfiguration('milestones').update('explorer.pageSize', PAGE_SIZE, vscode.ConfigurationTarget.Global);
  });

  suiteTeardown(async () => {
    for (const key of new Set(added)) await vscode.commands.executeCommand('milestones.explorer.removeCustomer', key);
    await vscode.workspace.getConfiguration('milestones').update('explorer.pageSize', undefined, vscode.ConfigurationTarget.Global);
    await closeAllEditors();
    await removeConnection(connectionId);
    await sandbox.stop();
  });

  test("lists a demo customer's enrolled targets with type, entity and enrolment method", async () => {
    const customerId = sandbox.demo.customerIds[0] as number;
    const key = await addCustomer(customerId);
    const roots = await rows();
    const root = roots.find((r) => r.key === key);
    assert.ok(root, 'the customer is a root of the view');
    assert.equal(root.contextValue, 'milestones.customer');
    assert.ok(root.label.includes(String(customerId)));

    const targets = (await rows(key)).filter((r) => r.kind === 'target');
    assert.equal(targets.length, sandbox.demo.targetRuleIds.length, 'one row per enrolled target');
    for (const t of targets) {
      assert.equal(t.contextValue, 'milestones.target');
      assert.ok(t.collapsible);
      assert.match(t.tooltip ?? '', /Enrolment method: (TRANSACTION|IMPORT|AUDIENCE_FILTER)/, `${t.label} tells its enrolment method`);
      // At a glance: the current period's progress, "achieved / target · %" and its ref code.
      assert.match(t.description ?? '', /^[\d,.?]+ \/ [\d,.?]+( · \d+%)?( ✓)? · \S+$/, `${t.label} shows its progress`);
    }
    assert.ok(
      targets.some((t) => (t.tooltip ?? '').includes('Target entity: EVENT')),
      'a behavioural (EVENT) target is listed',
    );
  });

  test('pages a period\'s events with "Load more…" until they are all loaded', async () => {
    const key = await addCustomer(sandbox.demo.customerIds[0] as number);
    const ruleId = sandbox.demo.targetRuleIds[0] as number;
    const target = await child(key, (r) => r.kind === 'target' && r.key.endsWith(`/t/${ruleId}`), `target ${ruleId}`);
    const periods = (await rows(target.key)).filter((r) => r.kind === 'period');
    assert.ok(periods.length > 0, 'periods come from the period map');
    // Periods by what people know: ref code and dates, with achieved vs target.
    assert.match(periods[0]?.label ?? '', /^Cycle_1 · \d/);
    assert.match(periods[0]?.description ?? '', /^[\d,.]+ \/ [\d,.]+ · \d+%/);

    // The first period with more than one page of events.
    let period: ExplorerRow | undefined;
    let list: ExplorerRow[] = [];
    for (const p of periods) {
      list = await rows(p.key);
      if (list.some((r) => r.kind === 'loadMore')) {
        period = p;
        break;
      }
    }
    assert.ok(period, 'a period has more events than one page');
    assert.deepEqual(kinds(list), [...Array<string>(PAGE_SIZE).fill('event'), 'loadMore'], 'one page, then "Load more…"');

    let loads = 0;
    for (;;) {
      const more = list.find((r) => r.kind === 'loadMore');
      if (!more) break;
      const before = list.filter((r) => r.kind === 'event').length;
      await vscode.commands.executeCommand('milestones.explorer.loadMore', more.key);
      list = await rows(period.key);
      const after = list.filter((r) => r.kind === 'event').length;
      assert.ok(after > before, 'each "Load more…" appends events');
      assert.ok(after - before <= PAGE_SIZE, 'one page per "Load more…"');
      loads++;
      assert.ok(loads < 50, 'the paging ends');
    }
    const events = list.filter((r) => r.kind === 'event');
    assert.equal(new Set(events.map((e) => e.key)).size, events.length, 'no duplicate events');
    assert.ok(events.length > PAGE_SIZE);
    assert.ok(!list.some((r) => r.kind === 'problem'), 'no error node');
  });

  test("opens a behavioural event's data as a read-only JSON document", async () => {
    const key = await addCustomer(sandbox.demo.customerIds[0] as number);
    const behaviouralTargets = (await rows(key)).filter((r) => r.kind === 'target' && (r.tooltip ?? '').includes('Target entity: EVENT'));
    let event: ExplorerRow | undefined;
    for (const target of behaviouralTargets) {
      for (const period of (await rows(target.key)).filter((r) => r.kind === 'period')) {
        let list = await rows(period.key);
        // Page until a behavioural event shows up or the list is complete.
        for (let i = 0; i < 20 && !list.some((r) => r.contextValue === 'milestones.event.behavioural'); i++) {
          const more = list.find((r) => r.kind === 'loadMore');
          if (!more) break;
          await vscode.commands.executeCommand('milestones.explorer.loadMore', more.key);
          list = await rows(period.key);
        }
        event = list.find((r) => r.contextValue === 'milestones.event.behavioural');
        if (event) break;
      }
      if (event) break;
    }
    assert.ok(event, 'a behavioural event is listed');
    assert.ok(event.collapsible, 'a behavioural event expands to its data');

    const record = await child(event.key, (r) => r.kind === 'eventData', 'the event data record');
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('milestones.explorer.openJson', record.key);
    assert.ok(uri, 'Open as JSON returns the document uri');
    assert.equal(uri.scheme, 'milestones-explorer');
    const document = await waitFor('the JSON document', () =>
      vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()),
    );
    assert.equal(document.languageId, 'json');
    const json = JSON.parse(document.getText()) as { uniqueId?: string; eventId?: string; additonalAttributes?: unknown };
    assert.ok(sandbox.demo.behaviouralEventRequestIds.length > 0);
    assert.equal(typeof (json.uniqueId ?? json.eventId), 'string', 'the record carries its request id');
    assert.ok(json.additonalAttributes && typeof json.additonalAttributes === 'object', 'the full event data, attributes included');
    assert.notEqual(vscode.workspace.fs.isWritableFileSystem('milestones-explorer'), true, 'the document cannot be saved back');

    // The event's own JSON names the same request id.
    const eventUri = await vscode.commands.executeCommand<vscode.Uri>('milestones.explorer.openJson', event.key);
    const eventDoc = await waitFor('the event JSON', () =>
      vscode.workspace.textDocuments.find((d) => d.uri.toString() === eventUri.toString()),
    );
    const tracked = JSON.parse(eventDoc.getText()) as { eventName?: string; uniqueId?: string };
    assert.equal(tracked.eventName, 'GENERIC_EVENT');
    assert.equal(tracked.uniqueId, json.uniqueId ?? json.eventId);
  });

  test('copies a target id from the tree', async () => {
    const key = await addCustomer(sandbox.demo.customerIds[0] as number);
    const target = await child(key, (r) => r.kind === 'target', 'a target');
    const copied = await vscode.commands.executeCommand<string>('milestones.explorer.copyId', target.key);
    assert.ok(target.key.endsWith(`/t/${copied}`));
    assert.equal(await vscode.env.clipboard.readText(), copied);
  });

  test('error and empty states are nodes: invalid customer id, not enrolled', async () => {
    const invalid = await addCustomer(123);
    const [problem] = await rows(invalid);
    assert.equal(problem?.kind, 'problem');
    assert.equal(problem?.problem?.kind, 'invalid-customer');
    assert.equal(problem?.problem?.code, 310011);

    const idle = await addCustomer(sandbox.demo.customerIds[3] as number);
    const [empty] = await rows(idle);
    assert.equal(empty?.problem?.kind, 'not-enrolled');
  });

  test('Add Customer refuses an id that is not a number and keeps the list', async () => {
    const before = (await rows()).length;
    const key = await vscode.commands.executeCommand<string | undefined>('milestones.explorer.addCustomer', '12a');
    assert.equal(key, undefined);
    assert.equal((await rows()).length, before);
  });

  test('refresh reloads a customer; remove drops it from the view', async () => {
    const key = await addCustomer(sandbox.demo.customerIds[1] as number);
    const first = await rows(key);
    assert.ok(first.length > 0 && first.every((r) => r.kind === 'target'));
    await vscode.commands.executeCommand('milestones.explorer.refresh', key);
    assert.deepEqual(
      (await rows(key)).map((r) => r.key),
      first.map((r) => r.key),
    );
    await vscode.commands.executeCommand('milestones.explorer.removeCustomer', key);
    assert.ok(!(await rows()).some((r) => r.key === key));
  });

  test('a rejected password is a "Sign in" node and an unreachable host a retry node', async () => {
    const key = await addCustomer(sandbox.demo.customerIds[0] as number);
    const wrongSecret = 'explorer-wrong-password-1';
    usedSecrets.add(wrongSecret);
    const cases = [
      {
        name: 'Explorer wrong password',
        baseUrl: sandbox.url,
        secret: wrongSecret,
        kind: 'auth',
        action: 'sign-in',
        contextValue: 'milestones.problem.auth',
      },
      {
        name: 'Explorer closed port',
        baseUrl: 'http://127.0.0.1:9',
        secret: sandbox.credentials.password,
        kind: 'unreachable',
        action: 'retry',
        contextValue: 'milestones.problem.unreachable',
      },
    ];
    for (const c of cases) {
      const id = await vscode.commands.executeCommand<string>('milestones.addConnection', {
        name: c.name,
        baseUrl: c.baseUrl,
        authType: 'basic',
        username: sandbox.credentials.username,
        secret: c.secret,
      });
      assert.ok(id);
      try {
        await vscode.commands.executeCommand('milestones.selectConnection', id);
        const problem = await child(key, (r) => r.kind === 'problem', `the ${c.kind} node`);
        assert.equal(problem.problem?.kind, c.kind);
        assert.equal(problem.problem?.action, c.action);
        assert.equal(problem.contextValue, c.contextValue);
      } finally {
        await removeConnection(id);
        await vscode.commands.executeCommand('milestones.selectConnection', connectionId);
      }
    }
    // Back on the sandbox connection, the same customer loads again.
    await child(key, (r) => r.kind === 'target', 'the targets after switching back');
  });

  test('the target filter narrows the list and is shown on the customer; clearing it restores the list', async () => {
    const key = await addCustomer(sandbox.demo.customerIds[0] as number);
    const all = (await rows(key)).filter((r) => r.kind === 'target');
    await vscode.commands.executeCommand('milestones.explorer.filterTargets', key, { enrollmentType: 'IMPORT' });
    const imported = await waitFor('the filtered targets', async () => {
      const list = await rows(key);
      return list.length > 0 && list.length < all.length ? list : undefined;
    });
    assert.ok(
      imported.every((r) => r.kind === 'target' && (r.tooltip ?? '').includes('Enrolment method: IMPORT')),
      'only IMPORT targets',
    );
    const customer = (await rows()).find((r) => r.key === key);
    assert.equal(customer?.contextValue, 'milestones.customer.filtered');
    assert.match(customer?.description ?? '', /IMPORT/);

    const ruleId = sandbox.demo.targetRuleIds[0] as number;
    await vscode.commands.executeCommand('milestones.explorer.filterTargets', key, { targetRuleIds: [ruleId] });
    assert.deepEqual(
      (await rows(key)).map((r) => r.key),
      [`${key}/t/${ruleId}`],
    );

    await vscode.commands.executeCommand('milestones.explorer.clearFilter', key);
    assert.equal((await rows(key)).length, all.length);
    assert.equal((await rows()).find((r) => r.key === key)?.contextValue, 'milestones.customer');
  });

  test('the target filter has the documented trackingDate (the date the target was created)', async () => {
    const key = await addCustomer(sandbox.demo.customerIds[0] as number);
    const all = (await rows(key)).filter((r) => r.kind === 'target');
    // The demo groups were created a day apart from 2025-12-15: the 16th is the flagship spend group's day.
    await vscode.commands.executeCommand('milestones.explorer.filterTargets', key, { trackingDate: Date.UTC(2025, 11, 16) });
    const ruleId = sandbox.demo.targetRuleIds[1] as number;
    const onThatDay = await waitFor('the targets created that day', async () => {
      const list = await rows(key);
      return list.length > 0 && list.length < all.length ? list : undefined;
    });
    assert.deepEqual(
      onThatDay.map((r) => r.key),
      [`${key}/t/${ruleId}`],
    );
    assert.match((await rows()).find((r) => r.key === key)?.description ?? '', /created 2025-12-16/);
    await vscode.commands.executeCommand('milestones.explorer.clearFilter', key);
    assert.equal((await rows(key)).length, all.length);
  });
});
