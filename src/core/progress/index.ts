/** A customer's progress and the data and SVG behind each picture (progress chart, period timeline). */
export * from './format';
export * from './model';
export * from './chart';
export * from './timeline';
export * from './svg';
