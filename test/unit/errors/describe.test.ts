import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ApiError } from '../../../src/core/api/errors';
import { DeployBlockedError } from '../../../src/core/deploy/errors';
import { ConfigError } from '../../../src/core/environments/config';
import { RecordError } from '../../../src/core/environments/record';
import { LockedError } from '../../../src/core/environments/store';
import { describeError, ERROR_KIND, ERROR_KINDS, type DescribedKind } from '../../../src/core/errors';
import { NotADefinitionError } from '../../../src/core/ruletests/simulateDraft';
import { ExpressionSyntaxError } from '../../../src/core/expression/lexer';
import { NestingTooDeepError } from '../../../src/core/definition/depth';
import { ValuesConfigError } from '../../../src/core/environments/values';

const EXAMPLES: [unknown, DescribedKind][] = [
  [new ApiError({ kind: 'auth', summary: 'GET /x failed', status: 401 }), 'auth'],
  [new ApiError({ kind: 'network', summary: 'GET /x failed' }), 'network'],
  [new ApiError({ kind: 'timeout', summary: 'GET /x failed' }), 'timeout'],
  [new ApiError({ kind: 'platform', summary: 'GET /x failed', status: 400, code: 310011 }), 'platform'],
  [new ApiError({ kind: 'http', summary: 'GET /x failed', status: 502 }), 'platform'],
  [new ApiError({ kind: 'invalid-response', summary: 'GET /x failed' }), 'platform'],
  [new ApiError({ kind: 'cancelled', summary: 'GET /x cancelled' }), 'cancelled'],
  [new ApiError({ kind: 'config', summary: 'No password' }), 'config'],
  [new DeployBlockedError([]), 'blocked'],
  [new RecordError('a.record.json', 'is not JSON'), 'record'],
  [new LockedError('a.json', 'pid 12 on host'), 'locked'],
  [new ConfigError('milestones.config.json', 'is not JSON'), 'config'],
  // The brand alone is enough (a second bundled copy of a class).
  [Object.assign(new Error('Unknown option --x'), { [ERROR_KIND]: 'usage' }), 'usage'],
  [new NotADefinitionError('notes.txt is not a definition.'), 'usage'],
  [new ExpressionSyntaxError('Unexpected token', 3, 4), 'usage'],
  [new NestingTooDeepError('a.milestone.json', 1000), 'usage'],
  [new ValuesConfigError(': "values" of environment "uat" must be an object'), 'config'],
  // What an aborted fetch or AbortSignal throws: the user cancelled.
  [Object.assign(new Error('This operation was aborted'), { name: 'AbortError' }), 'cancelled'],
  [new Error('boom'), 'unexpected'],
  [Object.assign(new Error('odd'), { [ERROR_KIND]: 'not-a-kind' }), 'unexpected'],
];

test('describeError gives each expected error its kind and its message unchanged', () => {
  for (const [error, kind] of EXAMPLES) {
    const described = describeError(error);
    assert.equal(described.kind, kind, String((error as Error).message));
    assert.equal(described.message, (error as Error).message);
  }
  const covered = new Set(EXAMPLES.map(([, kind]) => kind));
  for (const kind of ERROR_KINDS) assert.ok(covered.has(kind), `no example of ${kind}`);
});

test('describeError describes values that are not errors', () => {
  assert.deepEqual(describeError('plain text'), { kind: 'unexpected', message: 'plain text' });
  assert.deepEqual(describeError(undefined), { kind: 'unexpected', message: 'undefined' });
  assert.equal(describeError(Object.create(null)).kind, 'unexpected');
  const hostile = new Proxy(
    {},
    {
      get() {
        throw new Error('trap');
      },
    },
  );
  assert.equal(describeError(hostile).kind, 'unexpected');
});

test('describeError never throws, whatever is thrown', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.anything(),
        fc.anything().map((v) => ({ message: v, [ERROR_KIND]: v })),
      ),
      (value) => {
        const { kind, message } = describeError(value);
        assert.equal(typeof kind, 'string');
        assert.equal(typeof message, 'string');
      },
    ),
  );
});
