/**
 * The plan row of `npm run bench` (issue 13): N definition files planned against the sandbox
 * at once (`milestones plan --parallel 4`), against the same N files deployed one by one
 * (`milestones deploy FILE --yes` per file), then planned again once deployed (all unchanged).
 * Wall time and the requests the sandbox received. The sandbox runs in this process.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError, type CliIO } from '../../src/cli/io';
import { deployCommand } from '../../src/cli/commands/deploy';
import { planCommand } from '../../src/cli/commands/plan';
import { startSandbox } from '../../src/core/sandbox/index';
import { childMain } from '../lib/child';

export interface PlanBenchRow {
  what: string;
  files: number;
  wallMs: number;
  requests: number;
  exitCode: number;
}

export interface PlanBenchResult {
  files: number;
  parallel: number;
  rows: PlanBenchRow[];
}

function definition(i: number): string {
  const n = String(i).padStart(3, '0');
  return JSON.stringify(
    {
      name: `Bench plan group ${n}`,
      description: `generated ${n}`,
      active: true,
      preferredTillId: 75155297,
      trackingType: 'DEFAULT',
      targetEvaluationType: 'FIXED_CALENDAR_WINDOW',
      frequency: 1,
      recurringCycles: 1,
      totalPeriods: 2,
      fromDate: '2027-01-01',
      toDate: '2027-02-28',
      periods: [
        {
          active: true,
          description: 'p1',
          refCode: 'Cycle_1',
          periodStatus: 'NOT_STARTED',
          startDate: '2027-01-01',
          endDate: '2027-01-31',
        },
        {
          active: true,
          description: 'p2',
          refCode: 'Cycle_2',
          periodStatus: 'NOT_STARTED',
          startDate: '2027-02-01',
          endDate: '2027-02-28',
        },
      ],
      targets: [
        {
          name: `bench_target_${n}`,
          description: 'count purchases',
          targetEntity: 'TRANSACTION',
          targetType: 'COUNT',
          enrolmentMethod: 'TRANSACTION',
          active: true,
          expression: 'currentTxn.amount>100',
          filters: [],
          defaultValues: [{ defaultValue: 2 }, { defaultValue: 3 }],
        },
      ],
    },
    null,
    2,
  );
}

export async function runPlanBench(args: { files: number; parallel: number }): Promise<PlanBenchResult> {
  let requests = 0;
  const sandbox = await startSandbox({ port: 0, log: () => requests++ });
  const dir = await mkdtemp(join(tmpdir(), 'ms-bench-plan-'));
  try {
    await mkdir(join(dir, '.git'));
    await mkdir(join(dir, 'milestones'));
    await writeFile(join(dir, 'milestones.config.json'), JSON.stringify({ environments: { bench: { baseUrl: sandbox.url } } }));
    const files: string[] = [];
    for (let i = 0; i < args.files; i++) {
      const f = `milestones/bench-${String(i).padStart(3, '0')}.milestone.json`;
      await writeFile(join(dir, f), definition(i));
      files.push(f);
    }
    const io: CliIO = {
      out: () => undefined,
      err: () => undefined,
      cwd: dir,
      env: { MILESTONES_USERNAME: sandbox.credentials.username, MILESTONES_PASSWORD: sandbox.credentials.password },
    };
    const measure = async (what: string, count: number, fn: () => Promise<number>): Promise<PlanBenchRow> => {
      const before = requests;
      const t0 = performance.now();
      const exitCode = await fn();
      return { what, files: count, wallMs: performance.now() - t0, requests: requests - before, exitCode };
    };
    // The commands themselves (src/cli/main runs the CLI when it is the main module, as this bundle is).
    const cli = async (command: typeof planCommand, argv: string[]): Promise<number> => {
      try {
        return await command.run(argv, io);
      } catch (e) {
        if (e instanceof CliError) return e.exitCode;
        throw e;
      }
    };
    const plan = (): Promise<number> =>
      cli(planCommand, ['milestones', '--env', 'bench', '--parallel', String(args.parallel), '--format', 'json']);
    const rows: PlanBenchRow[] = [];
    rows.push(await measure(`plan, ${args.files} new files (all create; name checks)`, args.files, plan));
    rows.push(
      await measure(`deploy one by one, ${args.files} files (creates)`, args.files, async () => {
        let worst = 0;
        for (const f of files) worst = Math.max(worst, await cli(deployCommand, [f, '--env', 'bench', '--yes']));
        return worst;
      }),
    );
    rows.push(await measure(`plan, the same ${args.files} files deployed (all unchanged)`, args.files, plan));
    return { files: args.files, parallel: args.parallel, rows };
  } finally {
    await sandbox.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

childMain(runPlanBench);
