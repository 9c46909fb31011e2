/** Ids the Target Groups view shares with package.json (view, commands, context keys, document scheme). */
export const VIEW_ID = 'milestones.targetGroups';

export const COMMANDS = {
  refresh: 'milestones.targetGroups.refresh',
  loadMore: 'milestones.targetGroups.loadMore',
  search: 'milestones.targetGroups.search',
  filter: 'milestones.targetGroups.filter',
  clearFilter: 'milestones.targetGroups.clearFilter',
  pull: 'milestones.targetGroups.pull',
  openJson: 'milestones.targetGroups.openJson',
  compare: 'milestones.targetGroups.compare',
  openLocalFile: 'milestones.targetGroups.openLocalFile',
  signIn: 'milestones.targetGroups.signIn',
  /** Not contributed (no palette entry): the rows under a node, for tests and automation. */
  getChildren: 'milestones.targetGroups.getChildren',
} as const;

/** Context keys for menus. */
export const CONTEXT = {
  filtered: 'milestones.targetGroups.filtered',
} as const;

/** Scheme of the read-only JSON documents opened from the view. */
export const JSON_SCHEME = 'milestones-target-groups';
