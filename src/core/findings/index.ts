// Findings: what validation, expressions, reports and every adapter share (no folder cycle).
export * from './finding';
export * from './codes';
