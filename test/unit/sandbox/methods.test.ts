/**
 * Issue 22 item 8: the sandbox decides the method before the body, as RFC 9110 orders them. A
 * method a path does not support is 405 with an `Allow` header naming the methods it does
 * (RFC 9110 15.5.6), even when the body is not JSON or not even well-formed; only on a path that
 * takes the method is such a body 415 (not JSON) or 400 (malformed JSON).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { basicAuthorization } from '../../../src/core/api/client';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';
import { budget } from '../helpers/fuzz';

let sb: SandboxHandle;
before(async () => {
  sb = await startSandbox();
});
after(async () => {
  await sb.stop();
});

async function call(
  method: string,
  path: string,
  body?: string,
  type?: string,
): Promise<{ status: number; allow: string | null; code: unknown }> {
  const headers: Record<string, string> = { authorization: basicAuthorization(sb.credentials.username, sb.credentials.password) };
  if (type) headers['content-type'] = type;
  const r = await fetch(sb.url + path, { method, headers, ...(body !== undefined ? { body } : {}) });
  const json = (await r.json()) as { errors?: Array<{ code: unknown }> | null };
  return { status: r.status, allow: r.headers.get('allow'), code: json.errors?.[0]?.code };
}

/** Each path of the sandbox's API with the methods it takes. */
const PATHS = (): Array<[string, string[]]> => [
  ['/v3/targetGroups', ['GET', 'POST']],
  [`/v3/targetGroups/${sb.demo.targetGroupIds[0]}`, ['GET']],
  [`/v3/targetGroups/editTargetGroup/${sb.demo.targetGroupIds[0]}`, ['PUT']],
  [`/v3/users/${sb.demo.customerIds[0]}/enrolledTargets`, ['GET']],
  [`/v3/users/${sb.demo.customerIds[0]}/targetGroups`, ['GET']],
  [`/v3/users/${sb.demo.customerIds[0]}/trackedTargetEvents/${sb.demo.targetRuleIds[0]}`, ['GET']],
  [`/v2/events/event_data?id=${sb.demo.behaviouralEventRequestIds[0]}`, ['GET']],
  [`/v2/customers/${sb.demo.customerIds[0]}`, ['GET']],
  [`/v2/customers/${sb.demo.customerIds[0]}/transactions`, ['GET']],
  ['/v3/oauth/token/generate', ['POST']],
];

test('a body that is not JSON on a GET-only path: 405 with Allow, not 415', async () => {
  const r = await call('POST', `/v3/targetGroups/${sb.demo.targetGroupIds[0]}`, 'hello', 'text/plain');
  assert.deepEqual([r.status, r.allow, r.code], [405, 'GET', 405]);
  const malformed = await call('PUT', `/v3/users/${sb.demo.customerIds[0]}/enrolledTargets`, '{"broken', 'application/json');
  assert.deepEqual([malformed.status, malformed.allow], [405, 'GET']);
  const customers = await call('POST', `/v2/customers/${sb.demo.customerIds[0]}`, 'x', 'text/plain');
  assert.deepEqual([customers.status, customers.allow], [405, 'GET']);
  assert.deepEqual((await call('DELETE', '/v3/targetGroups')).allow, 'GET, POST');
});

test('on a path that takes the method, the body is judged: 415 for a type that is not JSON, 400 for malformed JSON', async () => {
  assert.deepEqual([(await call('POST', '/v3/targetGroups', 'hello', 'text/plain')).status], [415]);
  const bad = await call('POST', '/v3/targetGroups', '{"broken', 'application/json');
  assert.deepEqual([bad.status, bad.code], [400, 300004]);
});

test('property: every method a path does not take is 405 naming exactly the methods it does; those are never 405', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...PATHS()),
      fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
      fc.constantFrom<[string | undefined, string | undefined]>(
        [undefined, undefined],
        ['x', 'text/plain'],
        ['{', 'application/json'],
        ['{}', 'application/json'],
      ),
      async ([path, methods], method, [body, type]) => {
        const r = await call(method, path, method === 'GET' ? undefined : body, type);
        if (methods.includes(method)) assert.notEqual(r.status, 405, `${method} ${path}`);
        else assert.deepEqual([r.status, r.allow], [405, methods.join(', ')], `${method} ${path}`);
      },
    ),
    budget(60, 40),
  );
});
