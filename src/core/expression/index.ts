/** The rule language: parse, analyse against the catalog, generate and read expressionJson, print, edit support. */
export type { ExprNode, BinaryOp, UnaryOp, Span, Identifier } from './ast';
export { parseExpression, type ParseError, type ParseResult } from './parser';
export { analyze, type Analysis, type NodeType, type NameIssue } from './analyze';
export {
  toExpressionJson,
  generateExpressionJson,
  fromExpressionJson,
  normalizeTree,
  InvalidTreeError,
  type ExpressionTree,
  type GenerateResult,
} from './json';
export { printExpression } from './print';
export { completionsAt, hoverAt, type ExpressionCompletion, type ExpressionHover } from './editor';
export { explainAst, explainExpression, explainHoverAt, partAt, type Explanation, type ExplainedPart } from './explain';
export { expressionFindings, type ExpressionCheckInput } from './validate';
export { regenerateExpressionJsonEdits, setExpressionJsonEdits, type RegenerateResult } from './regenerate';
export { PROFILES, TYPE_METHODS, findProfile, type ProfileInfo, type AttributeInfo, type MethodInfo, type ValueType } from './catalog';
export { decodeJsonString, escapeJsonStringContent, type DecodedJsonString } from './jsonString';
