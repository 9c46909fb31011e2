// A 403 on event data names the access the docs require (get-event-data: "Access group
// resource: Read access on Behavioural Events resource"; issue 11 item 20).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../../src/core/api/errors';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';
import { basicClient } from '../helpers/sandbox';

let sb: SandboxHandle;
before(async () => {
  sb = await startSandbox({ allowFaults: true });
});
after(async () => {
  await sb.stop();
});

test('event data refused with 403 / 4000: the hint names Read access on Behavioural Events', async () => {
  const client = basicClient(sb);
  sb.setFault({ kind: 'accessDenied' }, { times: 1 });
  const error = await client.getEventData(sb.demo.behaviouralEventRequestIds[0] as string).then(
    () => undefined,
    (e: unknown) => e,
  );
  sb.setFault(undefined);
  assert.ok(error instanceof ApiError, String(error));
  assert.equal(error.status, 403);
  assert.match(error.hint, /Read access on Behavioural Events/);
  assert.match(error.message, /Read access on Behavioural Events/);
  const ok = await client.getEventData(sb.demo.behaviouralEventRequestIds[0] as string);
  assert.ok(ok.data.length >= 1, 'without the fault the same read works');
});
