export * from './types';
export * from './errors';
export * from './connection';
export * from './redact';
export { CapillaryClient, basicAuthorization, basicAuthorizationFromHash, type ApiResult, type ClientOptions, type LogLevel } from './client';
