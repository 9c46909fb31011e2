export * from './model';
export * from './parse';
export * from './dates';
export * from './edits';
