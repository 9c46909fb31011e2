/** The folder (at the record root) that holds the deployment records and deploy locks. */
export const STATE_DIR = '.milestones';
/** The workspace config of named environments (no secrets), at the record root. */
export const CONFIG_FILE = 'milestones.config.json';
