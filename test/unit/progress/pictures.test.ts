// The data and SVG behind the two pictures (src/core/progress: chart, timeline, svg) and
// `milestones timeline`: pure functions, tested without VS Code.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { parse } from 'jsonc-parser';
import { progressChart, renderProgressSvg, renderTimelineSvg, timelineOf, type TargetProgress } from '../../../src/core/progress';
import { columnDates } from '../../../src/core/progress/svg';
import { runCli } from '../../../src/cli/main';
import { memoryIO } from '../helpers/cli';

const ROOT = resolve(__dirname, '..', '..', '..');

function target(periods: Array<[string, number, number, boolean?]>, trackingType = 'STREAKS'): TargetProgress {
  const list = periods.map(([refCode, target, achieved, current], i) => ({
    periodId: 100 + i,
    refCode,
    start: Date.UTC(2027, i, 1),
    end: Date.UTC(2027, i + 1, 1) - 1,
    target,
    achieved,
    isAchieved: achieved >= target,
    achievedAt: undefined,
    achievedOn: undefined,
    current: current === true,
    userTargetId: undefined,
    milestones: [],
  }));
  return {
    targetRuleId: 7,
    name: 'monthly <steps> & "more"',
    targetType: 'COUNT',
    targetEntity: 'EVENT',
    eventName: undefined,
    groupId: 1,
    groupName: 'G',
    trackingType,
    periods: list,
    current: list.find((p) => p.current),
    streaks: [{ id: 1, name: 'three in a row', status: 'INPROGRESS', achieved: false, currentCount: 1, total: 3, achievedAt: undefined }],
  };
}

describe('progress chart', () => {
  test('one bar per period with its state; streak cells achieved / missed / current / future; a one-line summary', () => {
    const chart = progressChart(
      target([
        ['Cycle_1', 10, 12],
        ['Cycle_2', 10, 3],
        ['Cycle_3', 10, 7, true],
        ['Cycle_4', 10, 0],
      ]),
      Date.UTC(2027, 2, 15),
    );
    assert.deepEqual(
      chart.bars.map((b) => b.state),
      ['achieved', 'missed', 'current', 'future'],
    );
    assert.deepEqual(chart.cells, ['achieved', 'missed', 'current', 'future']);
    assert.deepEqual(
      chart.bars.map((b) => b.percent),
      [120, 30, 70, 0],
    );
    assert.equal(chart.summary, 'Cycle_3 (current): 7 / 10 · 70% · 1 of 4 periods achieved · three in a row: INPROGRESS 1/3');
    assert.equal(
      progressChart({ ...target([['A', 1, 0]], 'DEFAULT'), streaks: [] }, 0).cells,
      undefined,
      'no streak row for a plain milestone without streaks',
    );
  });

  test('the SVG has one focusable, labelled group per period, the selected one marked, and escapes every text', () => {
    const chart = progressChart(
      target([
        ['<Cycle_1>', 10, 12],
        ['Cycle_2', 10, 7, true],
      ]),
      Date.UTC(2027, 1, 15),
    );
    const svg = renderProgressSvg(chart, { selectedPeriodId: 101 });
    assert.equal(
      (svg.match(/<g class="period[^"]*" data-period-id="\d+" data-key="[^"]+" tabindex="0" role="button" aria-label="/g) ?? []).length,
      2,
    );
    assert.match(svg, /class="period current current selected" data-period-id="101"/);
    assert.ok(!svg.includes('<Cycle_1>') && svg.includes('&lt;Cycle_1&gt;'));
    assert.ok(!/style=/.test(svg), 'no inline styles (the webview CSP forbids them)');
    assert.ok(renderProgressSvg(chart, { standalone: true }).startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  });
});

describe('period timeline', () => {
  const period = (refCode: string, startDate: string, endDate: string) => ({ refCode, startDate, endDate });

  test('contiguous periods have no gap; a late start is a gap, an early one an overlap drawn in a second lane', () => {
    const t = timelineOf(
      {
        name: 'x',
        periods: [
          period('A', '2027-01-01', '2027-01-31'),
          period('B', '2027-02-03T00:00:00Z', '2027-02-28T23:59:59.999Z'),
          period('C', '2027-02-20', '2027-03-31'),
          { refCode: 'D', startDate: 'soon' },
        ],
        targets: [{ name: 't', defaultValues: [{ defaultValue: 5 }, { defaultValue: '7.5' }] }],
      },
      Date.UTC(2027, 1, 10),
    );
    assert.deepEqual(
      t.periods.map((p) => [p.label, p.lane, p.overlaps, p.current]),
      [
        ['A', 0, false, false],
        ['B', 0, true, true],
        ['C', 1, true, false],
      ],
    );
    assert.deepEqual(
      t.gaps.map((g) => [g.before, g.after, g.text]),
      [[0, 1, '2 days']],
    );
    assert.deepEqual(
      t.overlaps.map((o) => [o.before, o.after, o.text]),
      [[1, 2, '9 days']],
    );
    assert.deepEqual(t.unreadable, [{ index: 3, label: 'D', reason: 'no readable startDate' }]);
    assert.deepEqual(t.targets, [{ name: 't', values: ['5', '7.5', '', ''] }]);
    assert.equal(t.summary, '3 periods, 1 Jan – 31 Mar 2027 · 1 gap · 1 overlap · 1 without readable dates');
    const svg = renderTimelineSvg(t);
    assert.equal((svg.match(/data-index="/g) ?? []).length, 3);
    assert.equal((svg.match(/<rect class="gap"/g) ?? []).length, 1);
    assert.equal((svg.match(/<rect class="overlap"/g) ?? []).length, 1);
    assert.match(svg, /<line class="today"/);
    assert.equal((svg.match(/<text class="dv"/g) ?? []).length, 2);
    // The "today" label has its own band: its baseline sits at least a line (11px) above the first default value's.
    const todayY = Number(/<text class="today-label" [^>]*y="([\d.]+)"/.exec(svg)?.[1]);
    const firstValueY = Number(/<text class="dv" [^>]*y="([\d.]+)"/.exec(svg)?.[1]);
    assert.ok(firstValueY - todayY >= 11, `today at ${todayY}, the first value row at ${firstValueY}`);
  });

  test("a period's dates fit under its bar: whole months as months, else no years and a tight dash", () => {
    assert.equal(columnDates('1 Jan – 31 Mar 2027'), 'Jan–Mar');
    assert.equal(columnDates('1 Dec 2026 – 28 Feb 2027'), 'Dec–Feb');
    assert.equal(columnDates('1–31 Jan 2027'), 'Jan');
    assert.equal(columnDates('5 Jan – 4 Feb 2027'), '5 Jan–4 Feb');
    assert.equal(columnDates('3–9 Jan 2027'), '3–9 Jan');
    assert.equal(columnDates('1 Mar – 28 Mar 2027'), '1 Mar–28 Mar', 'the 28th is a month end only in February');
    assert.ok(columnDates('30 Sep – 31 Dec 2027').length <= 13);
  });

  test('every example file: periods in order, no gaps, no overlaps, every default value shown', async () => {
    const names = (await readdir(join(ROOT, 'examples'))).filter((f) => /\.milestone\.jsonc?$/.test(f));
    assert.ok(names.length > 0);
    for (const name of names) {
      const def = parse(await readFile(join(ROOT, 'examples', name), 'utf8')) as {
        periods: unknown[];
        targets: Array<{ defaultValues: unknown[] }>;
      };
      const t = timelineOf(def, 0);
      assert.equal(t.periods.length, def.periods.length, name);
      assert.deepEqual([t.gaps.length, t.overlaps.length, t.unreadable.length], [0, 0, 0], name);
      const svg = renderTimelineSvg(t);
      assert.equal(
        (svg.match(/<text class="dv"/g) ?? []).length,
        def.targets.reduce((n, x) => n + x.defaultValues.length, 0),
        name,
      );
    }
  });

  test('any JSON value gives a timeline and an SVG without throwing; lanes never hold overlapping periods', () => {
    const dateish = fc.oneof(
      fc
        .date({ min: new Date(Date.UTC(2000, 0, 1)), max: new Date(Date.UTC(2100, 0, 1)), noInvalidDate: true })
        .map((d) => d.toISOString()),
      fc.jsonValue(),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.record({
            name: fc.jsonValue(),
            periods: fc.array(fc.record({ refCode: fc.jsonValue(), startDate: dateish, endDate: dateish }), { maxLength: 12 }),
            targets: fc.array(fc.record({ name: fc.jsonValue(), defaultValues: fc.array(fc.record({ defaultValue: fc.jsonValue() })) }), {
              maxLength: 3,
            }),
          }),
        ),
        (value) => {
          const t = timelineOf(value, Date.UTC(2027, 0, 1));
          const svg = renderTimelineSvg(t, { standalone: true });
          assert.ok(svg.startsWith('<svg') && svg.endsWith('</svg>'));
          for (const a of t.periods)
            for (const b of t.periods) if (a !== b && a.lane === b.lane) assert.ok(a.end < b.start || b.end < a.start);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('milestones timeline', () => {
  test('--out writes the SVG (atomically) and prints the summary; without --out the SVG goes to stdout', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ms-timeline-'));
    try {
      const file = join(ROOT, 'examples', 'rewards-points.milestone.json');
      const io = memoryIO({}, dir);
      assert.equal(await runCli(['timeline', file, '--out', 'timeline.svg', '--today', '2027-02-10'], io), 0, io.errLines.join('\n'));
      const svg = await readFile(join(dir, 'timeline.svg'), 'utf8');
      assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
      assert.match(svg, /<line class="today"/);
      assert.match(io.outLines.join('\n'), /6 periods, 1 Jan – 30 Jun 2027 · no gaps · no overlaps -> timeline.svg/);
      const stdout = memoryIO({}, dir);
      assert.equal(await runCli(['timeline', file], stdout), 0);
      assert.ok(stdout.outLines.join('\n').startsWith('<svg'));
      assert.match(stdout.errLines.join('\n'), /6 periods/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a missing file or bad flags are usage errors (exit 2); a file that is not JSON exits 1; nothing is written', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ms-timeline-'));
    try {
      const missing = memoryIO({}, dir);
      assert.equal(await runCli(['timeline', 'nope.milestone.json', '--out', 'x.svg'], missing), 2);
      assert.equal(missing.errLines.length, 1);
      assert.equal(await runCli(['timeline'], memoryIO({}, dir)), 2);
      assert.equal(
        await runCli(['timeline', join(ROOT, 'examples', 'rewards-points.milestone.json'), '--today', 'tomorrow'], memoryIO({}, dir)),
        2,
      );
      const broken = join(dir, 'broken.milestone.json');
      await import('node:fs/promises').then((fs) => fs.writeFile(broken, '{"periods": [,'));
      assert.equal(await runCli(['timeline', broken, '--out', 'x.svg'], memoryIO({}, dir)), 1);
      assert.deepEqual((await readdir(dir)).sort(), ['broken.milestone.json']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
