export * from './diagnostics';
export * from './formats';
export * from './rules';
export { sarifLog, artifactUri, SARIF_SCHEMA_URI, type SarifInput, type SarifItem, type SarifRegion } from './sarif';
export { junitXml, xmlEscape, type JUnitCase, type JUnitSuite } from './junit';
export { mdEscape, mdTable } from './markdown';
export { renderValidation, reportRules, validationSummary, type ValidationRenderOptions } from './validation';
export { reportTitle, titleName, wrapLines } from './document';
