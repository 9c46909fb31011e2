import { parseCommandArgs } from '../args';
import { CliError, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from '../io';
// The parser, analyser and generator only: this command needs nothing that loads jsonc-parser.
import { analyze } from '../../core/expression/analyze';
import { toExpressionJson } from '../../core/expression/json';
import { parseExpression } from '../../core/expression/parser';
import type { CliCommand } from './types';
import { COMMAND_USAGE } from './usage';

/** `milestones expr "<expression>" [--pretty]`: the expressionJson the API expects for a rule. */
export const exprCommand: CliCommand = {
  name: 'expr',
  usage: COMMAND_USAGE.expr.help,
  run: async (argv, io) => {
    const args = parseCommandArgs('expr', argv);
    if (args.positionals.length !== 1) {
      throw new CliError(
        `expects exactly one expression, got ${args.positionals.length}. Quote it as one argument, e.g. milestones expr "currentTxn.value>500".`,
        EXIT_USAGE,
      );
    }
    const expression = args.positionals[0] as string;
    const { ast, errors } = parseExpression(expression);
    if (!ast) {
      for (const error of errors) {
        io.err(`col ${error.start + 1}: ${error.message}`);
        io.err(`  ${expression}`);
        io.err(`  ${' '.repeat(error.start)}${'^'.repeat(Math.max(1, error.end - error.start))}`);
      }
      return EXIT_FINDINGS;
    }
    const analysis = analyze(ast);
    for (const issue of analysis.issues) io.err(`warning col ${issue.start + 1}: ${issue.message}`);
    const tree = toExpressionJson(ast, analysis);
    io.out(args.flags.has('pretty') ? JSON.stringify(tree, null, 2) : JSON.stringify(tree));
    return EXIT_OK;
  },
};
