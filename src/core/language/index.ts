/**
 * What an editor needs, in plain text offsets, shared by the extension's providers and the
 * language server (src/lsp): validation with a version cache (large texts on a worker), findings
 * to ranges, fixes to text edits, completion and hover (the expression language, with the rule in
 * words; the JSON Schemas), document symbols.
 */
export { ValidationCache, validationFailedMessage, type ValidationState, type ValidationPorts } from './cache';
export { OffThreadValidator, OFF_THREAD_BYTES, summarize, summarizeWithLines, type ValidationSummary } from './offThread';
export { TextPositions, offsetAt, meets, type Position, type Range, type OffsetRange } from './positions';
export { fixesAt, type OfferedFix } from './fixes';
export { fixTextEdits } from './edits';
export {
  expressionAt,
  expressionCompletions,
  expressionHover,
  type ExpressionAtOffset,
  type ExpressionCompletionItem,
  type HoverResult,
} from './expressions';
export { schemaCompletions, schemaHover, schemasAt, type SchemaNode, type SchemaCompletionItem } from './schema';
export { documentSymbols, type DocumentSymbolEntry } from './symbols';
