// What the CLI's connection code needs, without loading the record store (and node:crypto) for every remote command.
export { CONFIG_FILE } from './constants';
export { ConfigError, parseEnvironmentsConfig, secretVariables, type NamedEnvironment } from './config';
export { defaultEnvironmentName } from './identity';
