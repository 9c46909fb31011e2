/** Validation of definition files: syntax, schema, semantic rules and expressions → findings with codes from the registry. */
export type { Finding, TextRange, Fix, FixChange, TextEditOp, Severity } from '../findings/finding';
export { fixEdits } from '../definition/edits';
export { lineColumn, lineIndex, type LineIndex } from '../util/lineStarts';
export {
  FINDING_CODES,
  FINDING_CODE_TABLE,
  codeSeverity,
  findingCodeMarkdown,
  isFindingCode,
  type FindingCode,
  type FindingCodeInfo,
  type FindingCodeRow,
  type FindingSource,
} from '../findings/codes';
export { targetGroupSchema, targetGroupValidator } from './schema';
export { validateDefinition, MAX_DEFINITION_LENGTH, EXPRESSION_CHECK_FAILED, type ValidationResult } from './validate';
