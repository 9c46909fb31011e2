/**
 * One knob for Impact…'s parallelism: the connection's shared pool. `milestones.impact.parallelRequests`
 * is deprecated in package.json (its messages name the shared setting), the shared setting's
 * description names Impact…, and the CLI's `impact --parallel` says what it bounds and accepts what
 * the pool can do (at most 32).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_PARALLEL } from '../../../src/core/api/pool';
import { SETTINGS } from '../../../src/extension/settings';
import { runCliIn } from '../helpers/cli';

const ROOT = join(__dirname, '..', '..', '..');
type Property = Record<string, unknown>;
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, Property> } };
};
const nls = JSON.parse(readFileSync(join(ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;
/** A contributed string with its %key% resolved from package.nls.json. */
const text = (v: unknown): string => {
  assert.equal(typeof v, 'string');
  const m = /^%(.+)%$/.exec(v as string);
  if (!m) return v as string;
  assert.ok(nls[m[1] as string], `package.nls.json has ${m[1]}`);
  return nls[m[1] as string] as string;
};

test('milestones.impact.parallelRequests is deprecated in favour of milestones.http.parallelRequests, which names Impact…', () => {
  const properties = pkg.contributes.configuration.properties;
  const impact = properties['milestones.impact.parallelRequests']!;
  assert.match(text(impact.deprecationMessage), /milestones\.http\.parallelRequests/);
  assert.doesNotMatch(text(impact.deprecationMessage), /#|`/, 'the plain message has no markdown');
  assert.match(text(impact.markdownDeprecationMessage), /`#milestones\.http\.parallelRequests#`/, 'a link to the shared setting');
  assert.match(text(impact.markdownDescription), /^Deprecated/);
  const shared = properties['milestones.http.parallelRequests']!;
  assert.match(text(shared.markdownDescription), /Impact…/);
  assert.equal(shared.maximum, MAX_PARALLEL);
  assert.equal(SETTINGS.httpParallelRequests.default, 4);
});

test('milestones.plan.parallelRequests is deprecated the same way: Plan Workspace… follows the shared limit', () => {
  const properties = pkg.contributes.configuration.properties;
  const plan = properties['milestones.plan.parallelRequests']!;
  assert.match(text(plan.deprecationMessage), /milestones\.http\.parallelRequests/);
  assert.doesNotMatch(text(plan.deprecationMessage), /#|`/, 'the plain message has no markdown');
  assert.match(text(plan.markdownDeprecationMessage), /`#milestones\.http\.parallelRequests#`/);
  assert.match(text(plan.markdownDescription), /^Deprecated/);
  assert.match(text(properties['milestones.http.parallelRequests']!.markdownDescription), /Plan Workspace…/);
});

test("impact --parallel: the help says what it bounds; above the pool's limit is a usage error, not silently less", async () => {
  const help = await runCliIn(['impact', '--help'], { env: {}, cwd: ROOT });
  assert.match(
    help.out + help.err,
    new RegExp(
      `--parallel N\\s+customers read at once, each holding one of the connection's request slots \\(default 8, at most ${MAX_PARALLEL}\\)`,
    ),
  );
  const over = await runCliIn(['impact', 'x.milestone.json', '--customers', 'c.txt', '--parallel', String(MAX_PARALLEL + 1)], {
    env: {},
    cwd: ROOT,
  });
  assert.equal(over.code, 2);
  assert.match(over.err, new RegExp(`--parallel must be between 1 and ${MAX_PARALLEL}, got ${MAX_PARALLEL + 1}`));
});
