import type { Finding, TextRange } from '../validation/finding';

/**
 * The document as the validation pipeline hands it to the expression checks.
 * `value` is the parsed definition (JSON.parse result, comments stripped);
 * `locate(pointer)` returns the range of the value at a JSON pointer in the original text
 * (for a string: including its quotes), or undefined when the pointer does not exist.
 */
export interface ExpressionCheckInput {
  text: string;
  value: unknown;
  locate(pointer: string): TextRange | undefined;
}

/**
 * MS3xx findings for every target's `expression` / `expressionJson`.
 * Contract only in this commit; the expression work fills it in.
 */
export function expressionFindings(_input: ExpressionCheckInput): Finding[] {
  return [];
}
