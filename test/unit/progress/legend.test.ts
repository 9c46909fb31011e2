// Issue 23 item 7: the pictures match their legends. Each period state has a class of its own on
// the shapes (progress bars and streak cells: achieved / missed / current / future; timeline boxes:
// past / current / future), the legends draw their keys with the same classes, the webview's
// stylesheet gives each state a look of its own (not colour alone) from theme variables, and a
// timeline of up to 12 periods fits half an editor.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { progressChart, renderProgressSvg, renderTimelineSvg, timelineOf, type TargetProgress } from '../../../src/core/progress';
import { FIT_PERIODS, PROGRESS_LEGEND, TIMELINE_LEGEND, renderLegend, timelinePlotWidth } from '../../../src/core/progress/svg';

const ROOT = resolve(__dirname, '..', '..', '..');
const CSS = readFileSync(join(ROOT, 'media', 'webview.css'), 'utf8');

/** A streak target of `n` monthly periods from Jan 2027: achieved when `achieved[i]`, period `current` running. */
function streak(n: number, achieved: (i: number) => boolean, current: number): TargetProgress {
  const periods = Array.from({ length: n }, (_, i) => ({
    periodId: 100 + i,
    refCode: `Cycle_${i + 1}`,
    start: Date.UTC(2027, i, 1),
    end: Date.UTC(2027, i + 1, 1) - 1,
    target: 10,
    achieved: achieved(i) ? 10 : i < current ? 4 : 0,
    isAchieved: achieved(i),
    achievedAt: undefined,
    achievedOn: undefined,
    current: i === current,
    userTargetId: undefined,
    milestones: [],
  }));
  return {
    targetRuleId: 7,
    name: 'walking streak',
    targetType: 'COUNT',
    targetEntity: 'EVENT',
    eventName: undefined,
    groupId: 1,
    groupName: 'G',
    trackingType: 'STREAKS',
    periods,
    current: periods[current],
    streaks: [{ id: 1, name: 'three in a row', status: 'INPROGRESS', achieved: false, currentCount: 1, total: 3, achievedAt: undefined }],
  };
}

const classesOf = (svg: string, shape: string): string[] =>
  [...svg.matchAll(new RegExp(`<rect class="${shape} ([a-z ]+)"`, 'g'))].map((m) => m[1]!);

/** The declarations of the first rule whose selector list names `needle`. */
function ruleFor(needle: string): string {
  for (const m of CSS.matchAll(/([^{}]+)\{([^{}]*)\}/g)) if (m[1]!.includes(needle)) return m[2]!.trim();
  return '';
}

describe('progress chart: states and legend', () => {
  const now = Date.UTC(2027, 4, 15);
  const chart = progressChart(
    streak(12, (i) => i === 0 || i === 2, 4),
    now,
  );
  const svg = renderProgressSvg(chart);

  test('each bar and streak cell carries its state: past achieved, past missed, current, future', () => {
    const expected = ['achieved', 'missed', 'achieved', 'missed', 'current', ...Array<string>(7).fill('future')];
    assert.deepEqual(classesOf(svg, 'bar'), expected);
    assert.deepEqual(classesOf(svg, 'cell'), expected);
    // A missed past period is never drawn like the current one (the bug: both were blue).
    assert.notEqual(classesOf(svg, 'bar')[1], classesOf(svg, 'bar')[4]);
  });

  test("the legend's keys use exactly the states the picture can draw, with the picture's own classes", () => {
    assert.deepEqual(
      PROGRESS_LEGEND.map((e) => e.state),
      ['achieved', 'missed', 'current', 'future'],
    );
    const html = renderLegend(PROGRESS_LEGEND);
    for (const state of new Set([...classesOf(svg, 'bar'), ...classesOf(svg, 'cell')]))
      assert.match(html, new RegExp(`<svg class="key"[^>]*><rect class="bar ${state}"`), state);
    assert.equal((html.match(/<svg class="key"/g) ?? []).length, PROGRESS_LEGEND.length);
    assert.match(
      renderLegend(PROGRESS_LEGEND, (t) => t.toUpperCase(), 'note & more'),
      /ACHIEVED.*<span>note &amp; more<\/span>/,
    );
  });

  test('any mix of achieved and current gives only legend states', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 14 }), fc.array(fc.boolean(), { minLength: 14, maxLength: 14 }), fc.nat(13), (n, hits, cur) => {
        const s = renderProgressSvg(
          progressChart(
            streak(n, (i) => hits[i] === true, cur % n),
            now,
          ),
        );
        const legend = new Set(PROGRESS_LEGEND.map((e) => e.state));
        for (const c of [...classesOf(s, 'bar'), ...classesOf(s, 'cell')]) assert.ok(legend.has(c), c);
      }),
      { numRuns: 100 },
    );
  });

  test('enums are shown in words: no raw INPROGRESS or COUNT in what the panel shows', () => {
    assert.match(chart.subtitle, /Count \/ Event/);
    assert.ok(!/INPROGRESS|COUNT|EVENT\b/.test(chart.summaryText + chart.subtitle + svg), chart.summaryText);
    assert.match(svg, /aria-label="walking streak: [^"]*three in a row: In progress 1\/3"/);
  });
});

describe('timeline: states, legend and width', () => {
  const months = (n: number) => ({
    name: 'm',
    periods: Array.from({ length: n }, (_, i) => ({
      refCode: `Cycle_${i + 1}`,
      startDate: new Date(Date.UTC(2027, i, 1)).toISOString().slice(0, 10),
      endDate: new Date(Date.UTC(2027, i + 1, 0)).toISOString().slice(0, 10),
    })),
    targets: [{ name: 'points', defaultValues: Array.from({ length: n }, () => ({ defaultValue: 5000 })) }],
  });
  const widthOf = (svg: string) => Number(/^<svg[^>]* width="([\d.]+)"/.exec(svg)?.[1]);

  test('past, current and future periods each carry their class, as the legend draws them', () => {
    const svg = renderTimelineSvg(timelineOf(months(6), Date.UTC(2027, 2, 15)));
    assert.deepEqual(classesOf(svg, 'box'), ['past', 'past', 'current', 'future', 'future', 'future']);
    assert.match(svg, /<g class="period current" data-index="2"[^>]*aria-label="Cycle_3, 1–31 Mar 2027, current"/);
    const html = renderLegend(TIMELINE_LEGEND);
    for (const when of ['past', 'current', 'future']) assert.match(html, new RegExp(`<rect class="box ${when}"`));
    assert.match(html, /<rect class="gap"/);
    assert.match(html, /<rect class="overlap"/);
    assert.match(html, /<line class="today"/);
  });

  test('up to 12 periods the SVG fits its box (viewBox, class fit); a 4-week one fits half an editor unscaled', () => {
    for (let n = 1; n <= FIT_PERIODS; n++) {
      const svg = renderTimelineSvg(timelineOf(months(n), 0));
      assert.match(svg, /^<svg class="picture fit" width="[\d.]+" height="[\d.]+" viewBox="0 0 [\d.]+ [\d.]+"/);
      assert.equal(widthOf(svg), timelinePlotWidth(n) + 24);
      // Scaled into half of a 1600 px window's editor (about 600 px), text keeps at least 85% of its size.
      assert.ok(600 / widthOf(svg) >= 0.85, `${n} periods: ${widthOf(svg)} px`);
    }
    const weeks = {
      periods: [0, 1, 2, 3].map((i) => ({
        startDate: new Date(Date.UTC(2027, 0, 4 + 7 * i)).toISOString().slice(0, 10),
        endDate: new Date(Date.UTC(2027, 0, 10 + 7 * i)).toISOString().slice(0, 10),
      })),
    };
    assert.ok(widthOf(renderTimelineSvg(timelineOf(weeks, 0))) <= 560, 'a 4-week timeline needs no scaling at half width');
    const long = renderTimelineSvg(timelineOf(months(24), 0));
    assert.match(long, /^<svg class="picture" /, 'more than 12 periods keep their size and scroll');
    assert.ok(widthOf(long) > widthOf(renderTimelineSvg(timelineOf(months(12), 0))));
  });

  test('the progress chart fits its box up to 12 periods too', () => {
    assert.match(
      renderProgressSvg(
        progressChart(
          streak(12, () => false, 0),
          0,
        ),
      ),
      /^<svg class="picture fit"/,
    );
    assert.match(
      renderProgressSvg(
        progressChart(
          streak(13, () => false, 0),
          0,
        ),
      ),
      /^<svg class="picture" /,
    );
  });
});

describe('webview stylesheet', () => {
  test('each state has its own look, not by colour alone, from theme variables; fitting pictures scale', () => {
    const looks = ['achieved', 'missed', 'current', 'future'].map((s) => ruleFor(`:is(.bar, .cell).${s}`));
    for (const l of looks) assert.ok(l !== '', 'a rule per state');
    assert.equal(new Set(looks).size, 4);
    // Apart from colour: solid, hatched (a pattern), outlined, dashed.
    assert.match(looks[1]!, /url\(#ms-hatch\)/);
    assert.match(looks[3]!, /stroke-dasharray/);
    const boxes = ['past', 'current', 'future'].map((s) => ruleFor(`.box.${s}`));
    assert.equal(new Set(boxes).size, 3);
    assert.match(boxes[2]!, /stroke-dasharray/);
    assert.match(ruleFor('svg.picture.fit'), /max-width: 100%; height: auto/);
    assert.ok(!/#[0-9a-fA-F]{3,8}\b/.test(CSS.replace(/url\(#[\w-]+\)/g, '')), 'colours only from the theme');
    assert.match(CSS, /body\.vscode-high-contrast/);
  });
});
