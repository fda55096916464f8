import type { ExaOperationClient } from '../exaoperation/client.js';

export interface ClusterReadiness {
  readonly name: string;
  readonly reachable: boolean;
  readonly error?: string;
}

export interface Readiness {
  readonly ready: boolean;
  /** False once the bot is stopping (SIGTERM): a load balancer should send nothing new. */
  readonly accepting: boolean;
  readonly slack: { readonly connected: boolean };
  readonly clusters: readonly ClusterReadiness[];
}

/**
 * Readiness: Slack connected, and each EXAoperation answering a cheap call. Probes are cached
 * briefly so a load balancer polling every second does not turn into XML-RPC load.
 */
export class ReadinessProbe {
  private cached: { at: number; clusters: ClusterReadiness[] } | undefined;
  slackConnected = false;
  accepting = true;

  constructor(
    private readonly clusters: ReadonlyMap<string, ExaOperationClient>,
    private readonly cacheMs = 15_000,
    private readonly now: () => number = Date.now,
  ) {}

  async check(): Promise<Readiness> {
    if (!this.cached || this.now() - this.cached.at > this.cacheMs) {
      const clusters = await Promise.all(
        [...this.clusters].map(async ([name, client]): Promise<ClusterReadiness> => {
          try {
            await client.getNodeList({ timeoutMs: 3000 });
            return { name, reachable: true };
          } catch (error) {
            return { name, reachable: false, error: (error as { code?: string }).code ?? 'error' };
          }
        }),
      );
      this.cached = { at: this.now(), clusters };
    }
    const clusters = this.cached.clusters;
    return {
      ready: this.accepting && this.slackConnected && clusters.every((c) => c.reachable),
      accepting: this.accepting,
      slack: { connected: this.slackConnected },
      clusters,
    };
  }
}
