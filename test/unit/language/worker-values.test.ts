/**
 * A large file (≥ 64 KB, validated on the worker) with `${name}` references is validated with the
 * environments of milestones.config.json, as in place: the worker is given the same options, so a
 * reference with a value is no MS222, and one without is MS220, exactly as in place.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationCache } from '../../../src/core/language/cache';
import { OFF_THREAD_BYTES, OffThreadValidator, summarize } from '../../../src/core/language/offThread';
import { validateDefinition, type ValidationOptions } from '../../../src/core/validation/validate';
import type { ValuesEnvironment } from '../../../src/core/environments/values';
import { BENCH_NOW, generate } from '../../../bench/lib/generate';

const WORKER = join(__dirname, '..', '..', '..', 'dist', 'validationWorker.js');

function largeWithReference(): string {
  const value = JSON.parse(generate('large').text) as Record<string, unknown>;
  const text = JSON.stringify({ ...value, preferredTillId: '${tillId}' }, null, 2);
  assert.ok(text.length >= OFF_THREAD_BYTES, 'the text goes to the worker');
  return text;
}

/** The editor's cache: options (the environments) given to whichever path validates. */
function cache(environments: readonly ValuesEnvironment[], worker?: OffThreadValidator): ValidationCache<string> {
  const options = (): ValidationOptions => ({ now: BENCH_NOW, environments });
  return new ValidationCache<string>({
    options,
    inPlace: (text, o) => summarize(validateDefinition(text, o)),
    ...(worker ? { offThread: worker } : {}),
  });
}

const withValue: ValuesEnvironment = { name: 'uat', values: new Map<string, unknown>([['tillId', 75155297]]) };
const without: ValuesEnvironment = { name: 'prod', values: new Map<string, unknown>() };

test(
  'a large file with a reference validated on the worker uses the config environments, as in place',
  { skip: !existsSync(WORKER) && 'dist/validationWorker.js is not built' },
  async () => {
    const text = largeWithReference();
    for (const [environments, expected] of [
      [[withValue], []],
      [[withValue, without], ['MS220 /preferredTillId']],
    ] as const) {
      const worker = new OffThreadValidator(WORKER);
      const offThread = cache(environments, worker);
      const inPlace = cache(environments);
      try {
        const off = await offThread.get('a', 'a', 1, () => text);
        const here = await inPlace.get('a', 'a', 1, () => text);
        assert.ok(off.lines, 'validated on the worker (it sends the lines)');
        assert.equal(here.lines, undefined, 'validated in place');
        const codes = (s: typeof off): string[] => s.findings.map((f) => `${f.code} ${f.pointer}`);
        assert.ok(!codes(off).some((c) => c.startsWith('MS222')), codes(off).join('\n'));
        assert.deepEqual(
          codes(off).filter((c) => c.startsWith('MS22')),
          [...expected],
        );
        assert.deepEqual(off.findings, here.findings);
        assert.equal(off.mode, here.mode);
        assert.equal(off.id, here.id);
      } finally {
        offThread.dispose();
        inPlace.dispose();
      }
    }
  },
);
