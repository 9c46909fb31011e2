/** Ids the Customer Explorer shares with package.json (view, commands, context keys, state). */
export const VIEW_ID = 'milestones.customers';

export const COMMANDS = {
  addCustomer: 'milestones.explorer.addCustomer',
  removeCustomer: 'milestones.explorer.removeCustomer',
  filterTargets: 'milestones.explorer.filterTargets',
  clearFilter: 'milestones.explorer.clearFilter',
  refresh: 'milestones.explorer.refresh',
  loadMore: 'milestones.explorer.loadMore',
  openJson: 'milestones.explorer.openJson',
  copyId: 'milestones.explorer.copyId',
  signIn: 'milestones.explorer.signIn',
  showProgress: 'milestones.explorer.showProgress',
  /** Not contributed (no palette entry): the rows under a node, for tests and automation. */
  getChildren: 'milestones.explorer.getChildren',
  /** Not contributed: shows a node (by key) in the view, optionally expanded; for UI tests and demos. */
  reveal: 'milestones.explorer.reveal',
} as const;

/** Context keys for `viewsWelcome`. */
export const CONTEXT = {
  connected: 'milestones.explorer.connected',
  hasCustomers: 'milestones.explorer.hasCustomers',
} as const;

/** workspaceState key of the customer list (ids and filters), kept per workspace. */
export const CUSTOMERS_STATE_KEY = 'milestones.explorer.customers';

/** Scheme of the read-only JSON documents opened from the tree. */
export const JSON_SCHEME = 'milestones-explorer';
