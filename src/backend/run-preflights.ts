import type { Logger } from '../logging/logger.js';
import type { ClusterBackend } from './cluster-backend.js';

/**
 * What each backend checks at start (ConfD: every job exists, the user may read databases and
 * nodes), run in the background by the caller: a cluster that is down must not keep the bot from
 * taking /exa startup. One message per cluster lists every problem.
 */
export async function runPreflights(backends: ReadonlyMap<string, ClusterBackend>, logger: Logger): Promise<void> {
  await Promise.all(
    [...backends].map(async ([name, backend]) => {
      if (!backend.preflight) return;
      try {
        const report = await backend.preflight({ timeoutMs: 10_000 });
        if (report.problems.length > 0) logger.error(`Cluster ${name} (${backend.capabilities.service}) cannot be used as configured:\n- ${report.problems.join('\n- ')}`);
        for (const warning of report.warnings) logger.warn(`Cluster ${name} (${backend.capabilities.service}): ${warning}`);
      } catch (error) {
        logger.warn(`Cluster ${name} (${backend.capabilities.service}) could not be checked at start: ${error instanceof Error ? error.message : String(error)}`);
      }
    }),
  );
}
