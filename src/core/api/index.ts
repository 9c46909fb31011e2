export * from './types';
export * from './errors';
export * from './connection';
export * from './redact';
export { CapillaryClient, basicAuthorization, type ApiResult, type ClientOptions, type LogLevel } from './client';
