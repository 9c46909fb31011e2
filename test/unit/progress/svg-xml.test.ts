/**
 * Issue 22 items 3 and 5: the progress chart and the timeline are well-formed XML 1.0 whatever
 * the names hold (C0 controls, ESC sequences, lone surrogates, U+FFFE/U+FFFF, markup
 * characters): fast-xml-parser parses them, and no character XML forbids appears, raw or as a
 * character reference.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { progressChart, renderProgressSvg, renderTimelineSvg, timelineOf, type TargetProgress } from '../../../src/core/progress';
import { budget } from '../helpers/fuzz';

const ROOT = resolve(__dirname, '..', '..', '..');
const EXAMPLE = JSON.parse(readFileSync(join(ROOT, 'examples', 'capping-regular-points.milestone.json'), 'utf8')) as Record<
  string,
  unknown
> & { targets: Array<Record<string, unknown>>; periods: Array<Record<string, unknown>> };

/** A character XML 1.0 does not allow (section 2.2). */
const FORBIDDEN = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

function assertWellFormed(svg: string, what: string): void {
  assert.equal(XMLValidator.validate(svg), true, `${what}: ${JSON.stringify(XMLValidator.validate(svg))}`);
  new XMLParser({ ignoreAttributes: false }).parse(svg);
  assert.ok(!FORBIDDEN.test(svg), `${what}: a character XML 1.0 forbids`);
  for (const m of svg.matchAll(/&#(x[0-9a-fA-F]+|[0-9]+);/g)) {
    const code = m[1]!.startsWith('x') ? parseInt(m[1]!.slice(1), 16) : Number(m[1]);
    assert.ok(!FORBIDDEN.test(String.fromCodePoint(code)), `${what}: reference to a forbidden character ${m[0]}`);
  }
}

const hostileChar = fc.oneof(
  fc.integer({ min: 0, max: 0x9f }).map((c) => String.fromCharCode(c)),
  fc.constantFrom('\ud800', '\udfff', '\ufffe', '\uffff', '\u202e', '&', '<', '>', '"', "'", ']]>', '\ud83d\ude00'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);
const hostile = fc.array(hostileChar, { minLength: 1, maxLength: 40 }).map((cs) => cs.join(''));

test('the timeline of a definition with hostile names, refCodes and descriptions is well-formed XML', () => {
  fc.assert(
    fc.property(hostile, hostile, hostile, fc.boolean(), (name, refCode, targetName, standalone) => {
      const def = structuredClone(EXAMPLE);
      def['name'] = name;
      def.periods.forEach((p, i) => {
        p['refCode'] = `${refCode}${i}`;
        p['description'] = refCode;
      });
      def.targets.forEach((t) => (t['name'] = targetName));
      assertWellFormed(renderTimelineSvg(timelineOf(def, Date.UTC(2027, 1, 1)), { standalone }), 'timeline');
    }),
    budget(300, 40),
  );
});

test('the progress chart of a target with hostile names is well-formed XML', () => {
  fc.assert(
    fc.property(hostile, hostile, hostile, fc.boolean(), (name, refCode, streak, standalone) => {
      const periods = [0, 1, 2].map((i) => ({
        periodId: 100 + i,
        refCode: `${refCode}${i}`,
        start: Date.UTC(2027, i, 1),
        end: Date.UTC(2027, i + 1, 1) - 1,
        target: 10,
        achieved: i * 6,
        isAchieved: i * 6 >= 10,
        achievedAt: undefined,
        achievedOn: undefined,
        current: i === 1,
        userTargetId: undefined,
        milestones: [],
      }));
      const target: TargetProgress = {
        targetRuleId: 7,
        name,
        targetType: 'COUNT',
        targetEntity: 'EVENT',
        eventName: undefined,
        groupId: 1,
        groupName: name,
        trackingType: 'STREAKS',
        periods,
        current: periods[1],
        streaks: [{ id: 1, name: streak, status: 'INPROGRESS', achieved: false, currentCount: 1, total: 3, achievedAt: undefined }],
      };
      assertWellFormed(renderProgressSvg(progressChart(target, Date.UTC(2027, 1, 15)), { standalone, selectedPeriodId: 101 }), 'progress');
    }),
    budget(300, 40),
  );
});

test('an ESC sequence in a group name: the SVG draws U+FFFD where XML has no character, the rest as text', () => {
  const def = structuredClone(EXAMPLE);
  def['name'] = 'caps \x1b]0;title\x07 & <more>';
  const svg = renderTimelineSvg(timelineOf(def, Date.UTC(2027, 1, 1)), { standalone: true });
  assertWellFormed(svg, 'timeline');
  assert.ok(svg.includes('caps \uFFFD]0;title\uFFFD &amp; &lt;more&gt;'));
});
