import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics of the bot. One registry per bot instance (not the global one), so tests
 * that start several bots in one process do not share counters.
 */
export interface BotMetrics {
  readonly registry: Registry;
  readonly operations: Counter<'kind' | 'outcome'>;
  readonly stepSeconds: Histogram<'action'>;
  readonly xmlrpcSeconds: Histogram<'method' | 'outcome'>;
  readonly xmlrpcErrors: Counter<'method' | 'code'>;
  readonly slackErrors: Counter<'method' | 'error'>;
  /** HTTP-mode deliveries refused before Bolt (unsigned, stale, replayed, too large, malformed). */
  readonly slackRequestsRefused: Counter<'reason' | 'status'>;
  /** Promise rejections nothing handled: logged and survived (main.ts). */
  readonly unhandledRejections: Counter;
  /** 1 when the cluster's EXAoperation answered its last probe; read at each scrape (see bot.ts). */
  readonly clusterReachable: Gauge<'cluster'>;
  /** PostgreSQL store: 1 while this replica executes its clusters, 0 while it stands by (absent with the file store). */
  readonly executor: Gauge;
}

/** What the reachability gauge reads at each scrape. */
export type ReachabilitySource = () => Promise<readonly { readonly name: string; readonly reachable: boolean }[]>;

export function createMetrics(reachability: ReachabilitySource = async () => []): BotMetrics {

  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'exa_chatops_' });
  return {
    registry,
    operations: new Counter({
      name: 'exa_chatops_operations_total',
      help: 'Lifecycle operations finished, by kind and outcome',
      labelNames: ['kind', 'outcome'],
      registers: [registry],
    }),
    stepSeconds: new Histogram({
      name: 'exa_chatops_step_duration_seconds',
      help: 'Duration of lifecycle steps, by action',
      labelNames: ['action'],
      buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 1800],
      registers: [registry],
    }),
    xmlrpcSeconds: new Histogram({
      name: 'exa_chatops_xmlrpc_call_duration_seconds',
      help: 'EXAoperation XML-RPC call latency',
      labelNames: ['method', 'outcome'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    xmlrpcErrors: new Counter({
      name: 'exa_chatops_xmlrpc_errors_total',
      help: 'EXAoperation XML-RPC call failures, by method and error code',
      labelNames: ['method', 'code'],
      registers: [registry],
    }),
    slackErrors: new Counter({
      name: 'exa_chatops_slack_api_errors_total',
      help: 'Slack Web API call failures, by method and error',
      labelNames: ['method', 'error'],
      registers: [registry],
    }),
    slackRequestsRefused: new Counter({
      name: 'exa_chatops_slack_requests_refused_total',
      help: 'Slack HTTP deliveries refused before they reached the app, by reason and HTTP status',
      labelNames: ['reason', 'status'],
      registers: [registry],
    }),
    unhandledRejections: new Counter({
      name: 'exa_chatops_unhandled_rejections_total',
      help: 'Promise rejections no code handled; each is logged and the bot goes on',
      registers: [registry],
    }),
    clusterReachable: new Gauge({
      name: 'exa_chatops_cluster_reachable',
      help: "1 when the cluster's EXAoperation answered the last probe (cached 15 s), else 0",
      labelNames: ['cluster'],
      registers: [registry],
      async collect() {
        for (const c of await reachability()) this.set({ cluster: c.name }, c.reachable ? 1 : 0);
      },
    }),
    executor: new Gauge({
      name: 'exa_chatops_executor',
      help: 'With the PostgreSQL store: 1 while this replica executes its clusters, 0 while it stands by for another',
      registers: [],
    }),
  };
}
