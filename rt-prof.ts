import { readFileSync } from 'node:fs';
import { runRuleTestText } from './src/core/ruletests/run';
const def = JSON.parse(readFileSync('examples/capping-regular-points.milestone.json', 'utf8'));
const n = 20000;
const cases = Array.from({ length: n }, (_, i) => ({ name: `case ${i}`, transaction: { date: '2027-01-05T09:30:00Z', value: 1200 + i, points: 120, promotionalPoints: 40 }, expect: { 'regular-points-earned': { counted: true, contribution: 120 } } }));
const text = JSON.stringify({ definition: './x.milestone.json', timezone: '+00:00', cases }, null, 2);
runRuleTestText(text, def, { testFile: 't', definitionFile: 'd' });
