export * from './types';
export * from './errors';
export * from './connection';
export * from './redact';
export {
  CapillaryClient,
  basicAuthorization,
  basicAuthorizationFromHash,
  formatDuration,
  type ApiResult,
  type ClientOptions,
  type LogLevel,
} from './client';
export { Transport, type RequestSpec, type TransportResponse } from './transport';
export { formatBytes, formatRequestStats, statsSince, type RequestStats } from './stats';
export { clampParallel, DEFAULT_PARALLEL, MAX_PARALLEL, mapLimit, RequestPool } from './pool';
