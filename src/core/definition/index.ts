export * from './model';
export * from './parse';
export * from './dates';
export * from './edits';
export * from './files';
/** The shared guard, re-exported for readers of definitions (its home is core/util/records). */
export { isRecord } from '../util/records';
