/**
 * Issue 21 (one error vocabulary): each adapter maps every kind of core/errors in one table. The
 * CLI: kind -> exit code (DESIGN.md's CLI contract: 1 = the change was refused or has errors, 2 =
 * usage or I/O/configuration). The extension: kind -> buttons, and a cancellation shown quietly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../../src/core/api/errors';
import { DeployBlockedError } from '../../../src/core/deploy/errors';
import { ConfigError } from '../../../src/core/environments/config';
import { RecordError } from '../../../src/core/environments/record';
import { LockedError } from '../../../src/core/environments/store';
import { NotADefinitionError } from '../../../src/core/ruletests/simulateDraft';
import { ExpressionSyntaxError } from '../../../src/core/expression/lexer';
import { ERROR_KINDS, type DescribedKind } from '../../../src/core/errors';
import { asCliError } from '../../../src/cli/connection';
import { CliError, EXIT_FINDINGS, EXIT_USAGE } from '../../../src/cli/io';
import { FAILURE_PRESENTATION, failureButtons } from '../../../src/extension/failureKinds';

test('CLI: every expected error becomes a one-line CliError with its kind and the exit code of its kind', () => {
  const cases: [unknown, number, DescribedKind][] = [
    [new NotADefinitionError('notes.txt is not a definition.'), EXIT_USAGE, 'usage'],
    [new ExpressionSyntaxError('Unexpected token', 3, 4), EXIT_USAGE, 'usage'],
    [new ConfigError('milestones.config.json', 'is not JSON'), EXIT_USAGE, 'config'],
    [new DeployBlockedError([]), EXIT_FINDINGS, 'blocked'],
    [new RecordError('a.record.json', 'is not JSON'), EXIT_FINDINGS, 'record'],
    [new LockedError('a.json', 'pid 12 on host'), EXIT_FINDINGS, 'locked'],
    // Platform failures take the command's code (a read-only command may choose 2).
    [new ApiError({ kind: 'auth', summary: 'GET /x failed', status: 401 }), EXIT_FINDINGS, 'auth'],
    [new ApiError({ kind: 'http', summary: 'GET /x failed', status: 502 }), EXIT_FINDINGS, 'platform'],
  ];
  for (const [e, code, kind] of cases) {
    const c = asCliError(e);
    assert.ok(c instanceof CliError, String(e));
    assert.equal(c.exitCode, code, String(e));
    assert.equal(c.kind, kind);
    assert.equal(c.message, (e as Error).message);
  }
  assert.equal((asCliError(new ApiError({ kind: 'network', summary: 'x' }), EXIT_USAGE) as CliError).exitCode, EXIT_USAGE);
  const bug = new TypeError('x is undefined');
  assert.equal(asCliError(bug), bug, 'an unexpected error is rethrown as it is');
});

test('extension: every kind has its buttons; sign-in for authentication; a cancellation is quiet with none', () => {
  for (const kind of [...ERROR_KINDS, 'unexpected'] as const) assert.ok(FAILURE_PRESENTATION[kind], kind);
  assert.deepEqual(failureButtons({ described: 'auth' }), ['signIn', 'openOutput']);
  for (const kind of ['network', 'timeout', 'platform', 'blocked', 'record', 'locked', 'config', 'usage', 'unexpected'] as const)
    assert.deepEqual(failureButtons({ described: kind }), ['openOutput'], kind);
  // The platform's 401 and 4000 (access denied) offer sign-in whatever the kind.
  assert.deepEqual(failureButtons({ described: 'platform', code: 4000 }), ['signIn', 'openOutput']);
  assert.deepEqual(failureButtons({ described: 'auth', code: 401 }), ['signIn', 'openOutput']);
  assert.equal(FAILURE_PRESENTATION.cancelled.quiet, true);
  assert.deepEqual(failureButtons({ described: 'cancelled' }), []);
  // Platform failures and a blocked deploy say what to do themselves; the others point at the output.
  for (const kind of ['auth', 'network', 'timeout', 'platform', 'blocked'] as const)
    assert.ok(FAILURE_PRESENTATION[kind].selfExplaining, kind);
  for (const kind of ['record', 'locked', 'config', 'usage', 'unexpected'] as const)
    assert.ok(!FAILURE_PRESENTATION[kind].selfExplaining, kind);
});
