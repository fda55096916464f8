import { accessSync, constants } from 'node:fs';
import type { ClusterBackend } from '../backend/cluster-backend.js';

export interface ClusterReadiness {
  readonly name: string;
  readonly reachable: boolean;
  readonly error?: string;
}

export interface Readiness {
  /** Can take Slack requests: accepting, Slack connected, the journal writable. Not "every cluster is up". */
  readonly ready: boolean;
  /** False once the bot is stopping (SIGTERM): a load balancer should send nothing new. */
  readonly accepting: boolean;
  readonly slack: { readonly connected: boolean };
  readonly journal: { readonly writable: boolean };
  /**
   * With the PostgreSQL store: whether this replica executes its clusters ('active') or waits for
   * another replica's locks ('standby'). A standby is ready all the same: it takes Slack requests
   * and hands them to the executor through the database (request-intake.ts).
   */
  readonly executor?: 'active' | 'standby';
  /** For the operator's eye and the metrics; a cluster that is down (after a shut-down, say) leaves the bot ready. */
  readonly clusters: readonly ClusterReadiness[];
}

/**
 * Readiness is about the bot, not the clusters: an unreachable EXAoperation is exactly when
 * operators need `/exa startup` to reach the bot, so it must not take the bot out of a load
 * balancer. Cluster probes are cached briefly so a probe every second is no XML-RPC load.
 */
export class ReadinessProbe {
  private cached: { at: number; clusters: ClusterReadiness[] } | undefined;
  private refreshing: Promise<ClusterReadiness[]> | undefined;
  slackConnected = false;
  accepting = true;
  /** Undefined with the file store (one process, always the executor). */
  executor: 'active' | 'standby' | undefined;

  constructor(
    private readonly clusters: ReadonlyMap<string, ClusterBackend>,
    private readonly dataDir: string,
    private readonly cacheMs = 15_000,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The last probe's answer at once, refreshed in the background when older than the cache (one
   * refresh at a time): an EXAoperation that does not answer must not make /readyz itself slow
   * (Kubernetes' probe timeout is 1 s). Only the very first call waits, and at most 1 s.
   */
  async clusterStates(): Promise<readonly ClusterReadiness[]> {
    if (!this.cached || this.now() - this.cached.at > this.cacheMs) this.refreshing ??= this.probe();
    if (this.cached) return this.cached.clusters;
    const first = this.refreshing ?? this.probe();
    const waited = await Promise.race([first, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 1000).unref())]);
    return waited ?? [...this.clusters.keys()].map((name) => ({ name, reachable: false, error: 'not probed yet' }));
  }

  private async probe(): Promise<ClusterReadiness[]> {
    try {
      const clusters = await Promise.all(
        [...this.clusters].map(async ([name, backend]): Promise<ClusterReadiness> => {
          try {
            await backend.probe({ timeoutMs: 3000 });
            return { name, reachable: true };
          } catch (error) {
            return { name, reachable: false, error: (error as { code?: string }).code ?? 'error' };
          }
        }),
      );
      this.cached = { at: this.now(), clusters };
      return clusters;
    } finally {
      this.refreshing = undefined;
    }
  }

  async check(): Promise<Readiness> {
    const clusters = await this.clusterStates();
    const writable = this.journalWritable();
    return {
      ready: this.accepting && this.slackConnected && writable,
      accepting: this.accepting,
      slack: { connected: this.slackConnected },
      journal: { writable },
      ...(this.executor === undefined ? {} : { executor: this.executor }),
      clusters,
    };
  }

  private journalWritable(): boolean {
    try {
      accessSync(this.dataDir, constants.W_OK);
      return true;
    } catch {
      return false;
    }
  }
}
