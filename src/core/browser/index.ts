/** The Target Groups browser's model: the org's groups, their periods and targets, and the workspace files linked to them. */
export * from './filter';
export * from './links';
export * from './nodes';
export * from './model';
