import type { RequestStats } from '../core/api/stats';
import type { StudioContext } from './context';
import { loadRequestStats } from './lazy';

/**
 * A remote command's requests in the Output channel, as `--verbose` prints them in the CLI:
 * `[pull] pull: 2 requests, 14 KB, 0.31 s`. Call it before the command talks to the platform and
 * the returned function once it is done (also after a failure or a cancel). The count is the
 * connection's client's since the start: a view loading at the same time adds its requests.
 */
export function logRequestStats(
  ctx: Pick<StudioContext, 'log'>,
  label: string,
  client: { requestStats(): RequestStats },
  tag: string = label,
): () => Promise<void> {
  const before = client.requestStats();
  const started = Date.now();
  return async () => {
    const { formatRequestStats, statsSince } = await loadRequestStats();
    ctx.log.info(`[${tag}] ${formatRequestStats(label, statsSince(before, client.requestStats()), Date.now() - started)}`);
  };
}
