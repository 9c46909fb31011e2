/**
 * Issue 25 item 4: impact's per-customer reads go through the client's shared pool, so the
 * connection's limit holds whatever impact's own --parallel says.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';
import { seedState } from '../../../src/core/sandbox/seed';
import { definitionFromRemote } from '../../../src/core/deploy';
import { runImpact } from '../../../src/core/impact';
import type { CustomerDataClient } from '../../../src/core/customers/source';
import type { TargetGroupDefinition } from '../../../src/core/definition';
import type { CapillaryClient } from '../../../src/core/api/client';
import { basicClient } from '../helpers/sandbox';

let sb: SandboxHandle;
before(async () => {
  sb = await startSandbox({ allowFaults: true });
});
after(() => sb.stop());

/** A client whose customer data reads count how many are in flight at once (one customer's reads follow each other). */
function tracking(client: CapillaryClient): { client: CustomerDataClient; most: () => number } {
  let active = 0;
  let most = 0;
  const enter = (): void => {
    active++;
    most = Math.max(most, active);
  };
  const tracked: CustomerDataClient = {
    pool: client.pool,
    getCustomer: async (...a) => {
      enter();
      try {
        return await client.getCustomer(...a);
      } finally {
        active--;
      }
    },
    customerTransactions: async function* (...a) {
      enter();
      try {
        yield* client.customerTransactions(...a);
      } finally {
        active--;
      }
    },
    getTransaction: async (...a) => {
      enter();
      try {
        return await client.getTransaction(...a);
      } finally {
        active--;
      }
    },
  };
  return { client: tracked, most: () => most };
}

async function liveDemoGroup(client: CapillaryClient): Promise<TargetGroupDefinition> {
  const id = seedState().groups.find((g) => g.name === 'Demo: 5 purchases each quarter')?.id as number;
  return JSON.parse(definitionFromRemote((await client.getTargetGroup(id)).data)) as TargetGroupDefinition;
}

test("impact reads its customers through the client's pool: at most the pool's limit at once, whatever --parallel", async () => {
  const client = basicClient(sb, { parallel: 1 });
  try {
    const live = await liveDemoGroup(client);
    const tracked = tracking(client);
    sb.setFault({ kind: 'latency', ms: 5 });
    const report = await runImpact({
      draft: live,
      live,
      customers: [...sb.demo.customerIds, ...sb.demo.customerIds],
      client: tracked.client,
      parallel: 8,
    });
    sb.setFault(undefined);
    assert.equal(report.customers.evaluated, sb.demo.customerIds.length * 2);
    assert.equal(tracked.most(), 1, 'one customer read at a time: the pool of this client has a limit of 1');
  } finally {
    await client.close();
  }
});

test("without --parallel (the extension's Impact…), customers at once follow the pool's limit, read as the run goes: the shared setting is the one knob", async () => {
  let limit = 6;
  const client = basicClient(sb, { parallel: () => limit });
  try {
    const live = await liveDemoGroup(client);
    const customers = Array.from({ length: 4 }, () => sb.demo.customerIds).flat();
    sb.setFault({ kind: 'latency', ms: 20 });
    const wide = tracking(client);
    const first = await runImpact({ draft: live, live, customers, client: wide.client });
    assert.equal(first.customers.evaluated, customers.length);
    assert.equal(wide.most(), 6, "as many customers at once as the pool's limit, above the old fixed 4 and below impact's 8");
    limit = 2;
    const narrow = tracking(client);
    const second = await runImpact({ draft: live, live, customers, client: narrow.client });
    sb.setFault(undefined);
    assert.equal(second.customers.evaluated, customers.length);
    assert.equal(narrow.most(), 2, 'a lower shared limit, read at each start');
  } finally {
    sb.setFault(undefined);
    await client.close();
  }
});
