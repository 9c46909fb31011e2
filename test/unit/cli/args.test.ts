import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseCommandArgs } from '../../../src/cli/args';
import { CliError } from '../../../src/cli/io';
import { COMMANDS, CONNECTION_OPTIONS, commandHelp, optionsOf, synopsis, type CommandName } from '../../../src/cli/commands/usage';

const names = Object.keys(COMMANDS) as CommandName[];

test('every command parses exactly the options of its row in the table, and its help lists each of them', () => {
  for (const name of names) {
    const help = commandHelp(name).join('\n');
    for (const [option, spec] of Object.entries(optionsOf(name))) {
      assert.ok(synopsis(name).includes(`--${option}`), `${name} synopsis lists --${option}`);
      assert.ok(help.includes(`--${option}`), `${name} --help lists --${option}`);
      const argv = spec.type === 'string' ? [`--${option}`, 'v'] : [`--${option}`];
      assert.equal(parseCommandArgs(name, argv).flags.get(option), spec.type === 'string' ? 'v' : true);
    }
    assert.throws(
      () => parseCommandArgs(name, ['--no-such-option']),
      (e: unknown) => e instanceof CliError && e.exitCode === 2 && /Unknown option --no-such-option/.test(e.message),
    );
  }
});

test('the remote commands take the connection group (pull --env, targets/progress/events/event too)', () => {
  for (const name of ['pull', 'targets', 'progress', 'events', 'event', 'deploy', 'plan', 'apply', 'link', 'simulate'] as const) {
    for (const option of Object.keys(CONNECTION_OPTIONS)) assert.ok(option in optionsOf(name), `${name} --${option}`);
  }
  assert.equal(parseCommandArgs('pull', ['12', '--env', 'uat']).flags.get('env'), 'uat');
});

test('values, positionals and the errors of the old parser', () => {
  const a = parseCommandArgs('events', ['1', '2', '--limit=5', '--page', '-1', '--', '--all']);
  assert.deepEqual(a.positionals, ['1', '2', '--all']);
  assert.equal(a.flags.get('limit'), '5');
  assert.equal(a.flags.get('page'), '-1', 'a value that starts with a dash is still the value');
  assert.deepEqual(parseCommandArgs('expr', ['-1 < x', '--pretty']).positionals, ['-1 < x'], 'one dash is a positional');
  assert.equal(parseCommandArgs('pull', ['1', '--out=']).flags.get('out'), '');
  assert.throws(() => parseCommandArgs('pull', ['1', '--out']), /--out needs a value/);
  assert.throws(() => parseCommandArgs('deploy', ['f', '--yes=no']), /--yes takes no value/);
});

test('hostile argument lists: parsed or a usage error, never another throw; positionals keep their order', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...names),
      fc.array(fc.oneof(fc.string(), fc.constantFrom('--', '--env', '--yes', '--out=', '-', '-x', '--json')), { maxLength: 8 }),
      (name, argv) => {
        try {
          const parsed = parseCommandArgs(name, argv);
          let i = 0;
          for (const p of parsed.positionals) {
            i = argv.indexOf(p, i);
            assert.ok(i >= 0, `${p} comes from the arguments`);
          }
        } catch (e) {
          assert.ok(e instanceof CliError && e.exitCode === 2, String(e));
        }
      },
    ),
    { numRuns: 300 },
  );
});
