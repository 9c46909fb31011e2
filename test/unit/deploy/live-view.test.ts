import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyEdits } from 'jsonc-parser';
import type { CapillaryClient } from '../../../src/core/api/client';
import type { TargetGroup } from '../../../src/core/api/types';
import { DEFINITION_SCHEMA_REF, definitionFromRemote, executeDeploy, planDeploy, writeBackEdits } from '../../../src/core/deploy';
import { liveViewForDiff } from '../../../src/core/deploy/liveView';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';
import { basicClient, definitionText } from '../helpers/sandbox';

const NOW = new Date('2026-06-01T00:00:00Z');
const EXAMPLES = join(__dirname, '..', '..', '..', 'examples');

/** The local text without its comment-only lines (the live view cannot reproduce comments). */
function withoutComments(text: string): string {
  return text
    .split(/(?<=\n)/)
    .filter((line) => !/^\s*(\/\/.*|\/\*.*\*\/\s*)\r?\n?$/.test(line))
    .join('');
}

/** The lines that differ between two texts of the same line count (fails when the counts differ). */
function changedLines(a: string, b: string): { left: string; right: string }[] {
  const left = a.split('\n');
  const right = b.split('\n');
  assert.equal(left.length, right.length, `same line count expected:\n${a}\n---\n${b}`);
  return left.flatMap((l, i) => (l === right[i] ? [] : [{ left: l, right: right[i] as string }]));
}

interface Deployed {
  name: string;
  /** The local file after the create wrote the ids back. */
  text: string;
  live: TargetGroup;
}

describe('live view of a deployed group, on the local file shape', () => {
  let sandbox: SandboxHandle;
  let client: CapillaryClient;
  const deployed: Deployed[] = [];

  async function create(name: string, text: string): Promise<Deployed> {
    const plan = await planDeploy(text, { baseUrl: client.baseUrl, client, now: NOW });
    assert.deepEqual(
      plan.blocking.map((f) => f.code),
      [],
      name,
    );
    const { response } = await executeDeploy(plan, client);
    const withIds = applyEdits(text, writeBackEdits(text, response));
    return { name, text: withIds, live: (await client.getTargetGroup(response.id)).data };
  }

  before(async () => {
    sandbox = await startSandbox();
    client = basicClient(sandbox);
    const files = readdirSync(EXAMPLES)
      .filter((f) => /\.milestone\.jsonc?$/.test(f))
      .sort();
    assert.ok(files.length >= 5, 'the examples are there');
    for (const file of files) deployed.push(await create(file, readFileSync(join(EXAMPLES, file), 'utf8')));
    deployed.push(await create('inline periods', definitionText('live view inline')));
  });
  after(async () => {
    await sandbox.stop();
  });

  const find = (name: string): Deployed => {
    const d = deployed.find((x) => x.name === name);
    assert.ok(d, name);
    return d;
  };

  test('an unchanged deployed file gives the local text, apart from comments', () => {
    for (const { name, text, live } of deployed) {
      // The response has server-only fields and its own spellings: date-only period dates, ...
      assert.ok(live.attribution !== undefined && live.targetCycleStartDate !== undefined, name);
      assert.equal(liveViewForDiff(text, live), withoutComments(text), name);
    }
  });

  test('server-only fields are left out', () => {
    const { text, live } = find('non-continuous-streaks.milestone.jsonc');
    const view = liveViewForDiff(text, live);
    for (const key of [
      'attribution',
      'targetCycleStartDate',
      'targetCycleEndDate',
      'emfRuleSetId',
      'targetPeriodDefaultValuesMap',
      'targetGroupId',
      'orgId',
      'createdOn',
      'eventName',
    ]) {
      assert.ok(!view.includes(`"${key}"`), key);
    }
  });

  test('a changed description is exactly one differing line', () => {
    for (const { name, text, live } of deployed) {
      const description = (JSON.parse(withoutComments(text).replace(/\/\*.*\*\//g, '')) as { description: string }).description;
      const edited = text.replace(JSON.stringify(description), JSON.stringify('Edited locally'));
      const diff = changedLines(liveViewForDiff(edited, live), withoutComments(edited));
      assert.equal(diff.length, 1, name);
      assert.ok(diff[0]?.left.includes(JSON.stringify(description)) && diff[0].right.includes('Edited locally'), name);
    }
  });

  test('a changed non-editable field still shows: a period end date, a target type', () => {
    const { text, live } = find('non-continuous-streaks.milestone.jsonc');
    const endDate = text.replace('"endDate": "2027-03-14T23:59:59.999Z"', '"endDate": "2027-03-15T23:59:59.999Z"');
    const a = changedLines(liveViewForDiff(endDate, live), withoutComments(endDate));
    assert.deepEqual(
      a.map((d) => [d.left.trim(), d.right.trim()]),
      [['"endDate": "2027-03-14"', '"endDate": "2027-03-15T23:59:59.999Z"']],
    );
    const targetType = text.replace('"targetType": "COUNT"', '"targetType": "SALES"');
    const b = changedLines(liveViewForDiff(targetType, live), withoutComments(targetType));
    assert.deepEqual(
      b.map((d) => [d.left.trim(), d.right.trim()]),
      [['"targetType": "COUNT",', '"targetType": "SALES",']],
    );
  });

  test('a change on the platform side shows too', () => {
    const { text, live } = find('non-continuous-streaks.milestone.jsonc');
    const changed = structuredClone(live);
    const period = changed.periods?.[1];
    const target = changed.targets?.[0];
    assert.ok(period && target);
    period.endDate = '2027-03-13';
    target.expression = 'currentTxn.value > 10';
    const diff = changedLines(liveViewForDiff(text, changed), withoutComments(text));
    assert.deepEqual(
      diff.map((d) => d.left.trim()),
      ['"endDate": "2027-03-13"', '"expression": "currentTxn.value > 10",'],
    );
  });

  test('items are matched by id whatever the order; unknown and live-only items show', () => {
    const { text, live } = find('inline periods');
    const ids = (live.periods ?? []).map((p) => p.id);
    // Swap the two periods in the local file: each still meets its own live period.
    const lines = text.split('\n');
    const first = lines.findIndex((l) => l.includes('"refCode": "Cycle_1"'));
    const swapped = [...lines];
    swapped[first] = (lines[first + 1] as string).replace(/ \}$/, ' },');
    swapped[first + 1] = (lines[first] as string).replace(/ \},$/, ' }');
    const swappedText = swapped.join('\n');
    assert.equal(liveViewForDiff(swappedText, live), withoutComments(swappedText));

    // A live period the file does not list is added at the end of the list, in the file's layout.
    const extra = structuredClone(live);
    extra.periods?.push({
      id: 999001,
      refCode: 'Cycle_3',
      description: 'p3',
      active: true,
      periodStatus: 'NOT_STARTED',
      startDate: '2027-03-01',
      endDate: '2027-03-31',
      targetGroupId: live.id,
    });
    const view = liveViewForDiff(text, extra);
    assert.match(
      view,
      /\{ "id": 999001, "active": true, "description": "p3", "refCode": "Cycle_3", "periodStatus": "NOT_STARTED", "startDate": "2027-03-01", "endDate": "2027-03-31" \}\n {2}\]/,
    );
    assert.ok(!view.includes('targetGroupId'));

    // A local period whose id the platform does not have is absent on the live side.
    const unknown = text.replace(`"id": ${ids[1]}`, '"id": 12345678');
    const unknownView = liveViewForDiff(unknown, live);
    assert.ok(!unknownView.includes('12345678'));
    assert.ok(unknownView.includes(`"id": ${ids[1]}`), 'the live period is still shown, at the end');
  });

  test('a local key the platform does not return is absent on the live side', () => {
    const { text, live } = find('capping-regular-points.milestone.json');
    const extra = text.replace('"active": true,', '"active": true,\n  "notOnThePlatform": 1,');
    const view = liveViewForDiff(extra, live);
    assert.ok(!view.includes('notOnThePlatform'));
    assert.equal(view, withoutComments(text));
  });

  test('the file indentation and line ends are kept: four spaces, tabs, CRLF', () => {
    const { text, live } = find('streaks-weekly-visits.milestone.json');
    const reindent = (unit: string, eol: string): string =>
      text
        .split('\n')
        .map((l) => {
          const m = /^( *)(.*)$/.exec(l) as RegExpExecArray;
          return unit.repeat((m[1] as string).length / 2) + m[2];
        })
        .join(eol);
    for (const [unit, eol] of [
      ['    ', '\n'],
      ['\t', '\n'],
      ['  ', '\r\n'],
    ] as const) {
      const local = reindent(unit, eol);
      assert.equal(liveViewForDiff(local, live), local, JSON.stringify([unit, eol]));
    }
    const minified = JSON.stringify(JSON.parse(text));
    assert.equal(liveViewForDiff(minified, live), minified);
  });

  test('text that is not a definition object falls back to the pulled definition', () => {
    const { live } = find('capping-regular-points.milestone.json');
    assert.equal(liveViewForDiff('{ "name": ', live), definitionFromRemote(live));
    assert.equal(liveViewForDiff('[]', live), definitionFromRemote(live));
    assert.equal(liveViewForDiff('{ "name": "x", }', live), '{ "name": "monthly-points-cap-2027" }', 'a trailing comma is allowed');
  });
});

describe('live view: values the platform spells differently', () => {
  const live = (
    over: Partial<TargetGroup> = {},
    target: Record<string, unknown> = {},
    period: Record<string, unknown> = {},
  ): TargetGroup => ({
    id: 2514,
    name: 'g',
    fromDate: '2027-03-01',
    timeZoneName: 'GMT',
    periods: [{ id: 1, refCode: 7, startDate: '2027-03-01', endDate: '2027-03-31', ...period }],
    targets: [
      {
        id: 9,
        expression: 'true',
        expressionJson: '{"arity":"literal","value":"true","type":"boolean:primitive"}',
        defaultValues: [{ id: 3, periodId: 1, defaultValue: 5 }],
        ...target,
      },
    ],
    ...over,
  });
  const local = (fields: { group?: string; target?: string; period?: string }): string =>
    `{
  "$schema": "./schemas/target-group.schema.json",
  "id": "2514",
  "name": "g",${fields.group ?? ''}
  "periods": [
    {
      "id": 1,
      "refCode": "7",
      "startDate": "2027-03-01T00:00:00.000Z",
      "endDate": "2027-03-31"${fields.period ?? ''}
    }
  ],
  "targets": [
    {
      "id": 9,
      "expression": true,
      "expressionJson": "{ \\"type\\": \\"boolean:primitive\\", \\"arity\\": \\"literal\\", \\"value\\": \\"true\\" }",
      "defaultValues": [{ "defaultValue": "5" }]${fields.target ?? ''}
    }
  ]
}
`;

  test('numeric strings, boolean strings, ids, dates and expressionJson in the local spelling when equal', () => {
    const text = local({});
    assert.equal(liveViewForDiff(text, live()), text);
  });

  test('unequal values keep the live spelling', () => {
    const group = live(
      { id: 2515 },
      {
        expression: 'false',
        defaultValues: [{ id: 3, defaultValue: 6 }],
        expressionJson: '{"arity":"literal","value":"false","type":"boolean:primitive"}',
      },
      { refCode: 8, startDate: '2027-03-02' },
    );
    const lines = changedLines(liveViewForDiff(local({}), group), local({})).map((d) => d.left.trim());
    assert.deepEqual(lines, [
      '"id": 2515,',
      '"refCode": 8,',
      '"startDate": "2027-03-02",',
      '"expression": "false",',
      '"expressionJson": "{\\"arity\\":\\"literal\\",\\"value\\":\\"false\\",\\"type\\":\\"boolean:primitive\\"}",',
      '"defaultValues": [{ "defaultValue": 6 }]',
    ]);
  });

  test('near misses are differences: padded numbers, 1 and true, a scalar where the platform has a list', () => {
    const group = live({}, { defaultValues: [{ id: 3, periodId: 1, defaultValue: true }] }, { refCode: 7, description: ['a'] });
    const text = local({ period: ',\n      "description": "a"' })
      .replace('"refCode": "7"', '"refCode": " 7"')
      .replace('"defaultValue": "5"', '"defaultValue": 1');
    const lines = changedLines(liveViewForDiff(text, group).replace('[\n        "a"\n      ]', '["a"]'), text).map((d) => d.left.trim());
    assert.deepEqual(lines, ['"refCode": 7,', '"description": ["a"]', '"defaultValues": [{ "defaultValue": true }]']);
  });

  test('a repeated local id meets the live item once', () => {
    const text = local({}).replace(
      '"defaultValues": [{ "defaultValue": "5" }]',
      '"defaultValues": [{ "id": 3, "defaultValue": "5" }, { "id": 3, "defaultValue": "5" }]',
    );
    assert.match(liveViewForDiff(text, live()), /"defaultValues": \[\{ "id": 3, "defaultValue": "5" \}\]/);
  });

  test('dates: the same day or second in the group time zone, else the live text', () => {
    const view = (localDate: string, liveDate: string, zone?: string): string => {
      const group = live(zone === undefined ? {} : { timeZoneName: zone }, {}, { endDate: liveDate });
      const text = local({}).replace('"endDate": "2027-03-31"', `"endDate": ${JSON.stringify(localDate)}`);
      const line = liveViewForDiff(text, group)
        .split('\n')
        .find((l) => l.includes('"endDate"')) as string;
      return (JSON.parse(`{${line}}`) as { endDate: string }).endDate;
    };
    // date-only vs date-time, no offset: the written day.
    assert.equal(view('2027-03-31T23:59:59', '2027-03-31'), '2027-03-31T23:59:59');
    assert.equal(view('2027-03-31', '2027-03-31T23:59:59.000Z'), '2027-03-31');
    assert.equal(view('2027-03-31T23:59:59.999Z', '2027-03-31'), '2027-03-31T23:59:59.999Z');
    assert.equal(view('2027-03-30T23:59:59.999Z', '2027-03-31'), '2027-03-31');
    // An offset moves the instant to another day in GMT, not in Asia/Kolkata.
    assert.equal(view('2027-03-31T00:30:00+05:30', '2027-03-31'), '2027-03-31');
    assert.equal(view('2027-03-31T00:30:00+05:30', '2027-03-31', 'Asia/Kolkata'), '2027-03-31T00:30:00+05:30');
    assert.equal(view('2027-03-31T00:30:00+05:30', '2027-03-31', 'Mars/Olympus_Mons'), '2027-03-31', 'an unknown zone: keep the live text');
    assert.equal(view('2027-03-31T10:00:00', '2027-03-31', 'Mars/Olympus_Mons'), '2027-03-31T10:00:00', 'no offset needs no zone');
    // Both date-times: the same second (the platform keeps no milliseconds).
    assert.equal(view('2027-03-31T23:59:59.999Z', '2027-03-31T23:59:59.000Z'), '2027-03-31T23:59:59.999Z');
    assert.equal(view('2027-03-31T23:59:59+00:00', '2027-04-01T05:29:59+05:30'), '2027-03-31T23:59:59+00:00');
    assert.equal(view('2027-03-31T23:59:59Z', '2027-03-31T23:59:58Z'), '2027-03-31T23:59:58Z');
    assert.equal(view('2027-03-31T10:00:00', '2027-03-31T10:00:00Z'), '2027-03-31T10:00:00', 'no offset: GMT');
    assert.equal(view('2027-03-31T10:00:00', '2027-03-31T10:00:00Z', 'Asia/Kolkata'), '2027-03-31T10:00:00Z');
    assert.equal(view('2027-03-31T15:30:00', '2027-03-31T10:00:00Z', 'Asia/Kolkata'), '2027-03-31T15:30:00');
    assert.equal(view('not a date', 'not a date either'), 'not a date either');
  });
});

describe('pulled definition $schema', () => {
  const group: TargetGroup = { id: 1, name: 'g' };
  test('no $schema unless a relative path is given; never the schema $id', () => {
    assert.equal((JSON.parse(definitionFromRemote(group)) as Record<string, unknown>)['$schema'], undefined);
    assert.equal((JSON.parse(definitionFromRemote(group, DEFINITION_SCHEMA_REF)) as Record<string, unknown>)['$schema'], undefined);
    const text = definitionFromRemote(group, '../schemas/target-group.schema.json');
    assert.equal((JSON.parse(text) as Record<string, unknown>)['$schema'], '../schemas/target-group.schema.json');
    assert.ok(text.indexOf('$schema') < text.indexOf('"id"'));
  });
});
