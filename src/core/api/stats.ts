import type { RequestStats } from './transport';

export type { RequestStats } from './transport';

/** `after` minus `before`: what an operation sent on a client that lives longer than it. */
export function statsSince(before: RequestStats, after: RequestStats): RequestStats {
  return {
    requests: after.requests - before.requests,
    bytesReceived: after.bytesReceived - before.bytesReceived,
    bytesSent: after.bytesSent - before.bytesSent,
  };
}

/** "412 KB", "1.6 MB", "830 bytes": sizes of answers, in the units a person reads. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * One line for the end of a run: "plan: 1 request, 412 KB, 0.31 s" (the bytes are the answers
 * read; what was sent is added when there was a body: "apply: 41 requests, 96 KB, 18 KB sent, 2.40 s").
 */
export function formatRequestStats(label: string, stats: RequestStats, elapsedMs: number): string {
  const parts = [`${stats.requests} ${stats.requests === 1 ? 'request' : 'requests'}`, formatBytes(stats.bytesReceived)];
  if (stats.bytesSent > 0) parts.push(`${formatBytes(stats.bytesSent)} sent`);
  parts.push(`${(Math.max(0, elapsedMs) / 1000).toFixed(2)} s`);
  return `${label}: ${parts.join(', ')}`;
}
