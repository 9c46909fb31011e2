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
import { basicClient } from '../helpers/sandbox';

let sb: SandboxHandle;
before(async () => {
  sb = await startSandbox({ allowFaults: true });
});
after(() => sb.stop());

test("impact reads its customers through the client's pool: at most the pool's limit at once, whatever --parallel", async () => {
  const client = basicClient(sb, { parallel: 1 });
  try {
    const id = seedState().groups.find((g) => g.name === 'Demo: 5 purchases each quarter')?.id as number;
    const live = JSON.parse(definitionFromRemote((await client.getTargetGroup(id)).data)) as TargetGroupDefinition;
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
    sb.setFault({ kind: 'latency', ms: 5 });
    const report = await runImpact({
      draft: live,
      live,
      customers: [...sb.demo.customerIds, ...sb.demo.customerIds],
      client: tracked,
      parallel: 8,
    });
    sb.setFault(undefined);
    assert.equal(report.customers.evaluated, sb.demo.customerIds.length * 2);
    assert.equal(most, 1, 'one customer read at a time: the pool of this client has a limit of 1');
  } finally {
    await client.close();
  }
});
