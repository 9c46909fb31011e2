/** The Customer Explorer's model, shared by the VS Code tree view and anything else that browses customers. */
export * from './input';
export * from './nodes';
export * from './paging';
export * from './problems';
export * from './model';
