/**
 * Our full validation (schema + semantic + expression), `validateDefinition`, in its own process.
 * The clock is fixed so date rules give the same answer whatever day the benchmark runs.
 */
import { validateDefinition } from '../../src/core/validation/index';
import { BENCH_NOW } from '../lib/generate';
import { childMain } from '../lib/child';
import { runValidationTask, type Tool, type ValidationArgs } from '../lib/validation-task';

function ours(text: () => string): Promise<Tool> {
  const validate = () => validateDefinition(text(), { now: BENCH_NOW });
  return Promise.resolve({
    run: validate,
    problems: async () => {
      const { findings } = validate();
      return { count: findings.length, sample: findings.slice(0, 3).map((f) => `${f.code} at "${f.pointer}": ${f.message.slice(0, 120)}`) };
    },
  });
}

childMain((args: ValidationArgs) => runValidationTask(args, { ours }));
