/** Rule tests: the test-file model, the runner (cases and sequences against a definition), starter files, reports, simulation. */
export * from './model';
export * from './target';
export * from './run';
export * from './starter';
export * from './format';
export * from './junit';
export * from './simulate';
export * from './simulateDraft';
export * from './eventDataCache';
