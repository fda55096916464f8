import { mkdirSync } from 'node:fs';
import { createScheduler } from './change-control/scheduler.js';
import { slackScheduleNotices } from './slack/schedule-notices.js';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AccessPolicy } from './access/access-policy.js';
import { GroupDirectory } from './access/group-directory.js';
import type { AppConfig } from './config/app-config.js';
import type { ClusterBackend } from './backend/cluster-backend.js';
import { createBackend } from './backend/create-backend.js';
import { runPreflights } from './backend/run-preflights.js';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { healthRoutes } from './health/health-routes.js';
import { serveRoutes } from './health/route-server.js';
import { ReadinessProbe } from './health/readiness.js';
import { createLogger } from './logging/create-logger.js';
import type { Logger } from './logging/logger.js';
import { createRedactor, type Redactor } from './logging/redact.js';
import { createMetrics, type BotMetrics } from './metrics/metrics.js';
import { lockDataDir } from './operations/data-dir-lock.js';
import { INTAKE_CHANNEL } from './store/pg/pg-intake.js';
import { PgStore } from './store/pg/pg-store.js';
import type { OperationService, ManagedCluster } from './operations/operation-service.js';
import { createCore, filesIn } from './operations/create-core.js';
import { channelMembership } from './slack/channel-membership.js';
import { createSlackApp } from './slack/create-slack-app.js';
import { createOutboundProxy } from './slack/outbound-proxy.js';
import { createSlackClients } from './slack/slack-clients.js';
import { createSlackSurfaces } from './slack/slack-surfaces.js';
import { postRecoveryReports } from './slack/features/restart-report.js';
import { SharedIntake } from './slack/request-intake.js';
import { responseUrlResponder } from './slack/response-url.js';
import type { SlackDeps } from './slack/slack-deps.js';
import { createNotifications } from './slack/features/notifications.js';
import { followOperations } from './follow-operations.js';
import { systemClock, type Clock } from './util/clock.js';

export interface Bot {
  /** The port of the health and metrics routes when HEALTH_PORT gives them a server of their own. */
  readonly healthPort: number | undefined;
  /** Starts Slack; resolves with the HTTP port (Slack endpoint in HTTP mode, health in Socket Mode). */
  start(): Promise<number>;
  /** SIGTERM: no new commands, running operations end at a safe point or are recorded interrupted. */
  stop(graceMs?: number): Promise<void>;
  readonly service: OperationService;
  readonly metrics: BotMetrics;
  readonly logger: Logger;
  readonly redact: Redactor;
  /** Resolves when the start-up checks of every cluster's backend (run after start) have been logged. */
  preflightDone(): Promise<void>;
  /**
   * PostgreSQL store: resolves, with why, when this replica lost an executor lock. It must then
   * stop at once (main.ts exits), and come back as a standby; never resolves with the file store.
   */
  executorLost(): Promise<string>;
}

export interface BotOverrides {
  readonly logger?: Logger;
  readonly clock?: Clock;
  readonly host?: string;
  /** Progress edits per message at most once per this many ms (Slack guidance: 1 s). */
  readonly editIntervalMs?: number;
  /**
   * Test hook: how long an approval request waits, in ms, overriding EXA_APPROVAL_TTL_MINUTES
   * (whose unit, minutes, is too coarse for a test that watches a request expire).
   */
  readonly approvalTtlMs?: number;
  /** How long a stop keeps the port open answering 503 before it closes. @default 2000 */
  readonly drainMs?: number;
  /**
   * PostgreSQL store: how long a request a standby received waits for the executor to take it.
   * @default 20000, longer than a takeover (target < 15 s), so a request sent during one still runs.
   */
  readonly intakeWaitMs?: number;
}

/** The composition root of the Slack bot: configuration in, running parts out. */
export function createBot(config: AppConfig, overrides: BotOverrides = {}): Bot {
  const redact = createRedactor(config.secrets);
  const logger = overrides.logger ?? createLogger({ level: config.logLevel, redact });
  const clock = overrides.clock ?? systemClock;
  const backends = new Map<string, ClusterBackend>();
  // The probe reads `backends` when asked, after the loop below has filled it.
  const probe = new ReadinessProbe(backends, config.dataDir);
  // The reachability gauge asks the readiness probe at each scrape.
  const metrics = createMetrics(() => probe.clusterStates());
  for (const warning of config.warnings) logger.warn(warning);

  const clusters = new Map<string, ManagedCluster>();
  for (const cluster of config.clusters) {
    const backend = createBackend(cluster, {
      logger,
      observe: ({ method, durationMs, error }) => {
        metrics.xmlrpcSeconds.observe({ method, outcome: error ? 'error' : 'ok' }, durationMs / 1000);
        if (error) metrics.xmlrpcErrors.inc({ method, code: error.code });
      },
    });
    backends.set(cluster.name, backend);
    clusters.set(cluster.name, { backend, profile: cluster.profile });
  }

  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  // Before anything reads or writes the journal: one bot per data directory.
  const dataLock = lockDataDir(config.dataDir);
  /** This replica, for the executor table, the journal and the threads of operations it takes over. */
  const holder = `${hostname()}/${process.pid}`;
  // The files in DATA_DIR, or PostgreSQL: then the data directory keeps only this replica's own
  // state (the replay window, the watcher's), and the journal and audit log are in the database.
  const pgStore =
    config.store.kind === 'postgres'
      ? new PgStore({ url: config.store.url, clusters: config.clusters.map((c) => c.name), holder, pollMs: config.store.pollMs, logger, clock })
      : undefined;
  const store = pgStore ?? filesIn(config.dataDir, clock);
  if (pgStore) {
    probe.executor = 'standby';
    // Only with PostgreSQL: an alert on sum(exa_chatops_executor) != 1 finds no executor, or two.
    metrics.registry.registerMetric(metrics.executor);
    metrics.executor.set(0);
  }
  /** Aborted by stop(): a start still waiting for the database or a lock gives up. */
  const starting = new AbortController();
  let lostExecutor: ((why: string) => void) | undefined;
  const executorLost = new Promise<string>((resolve) => {
    lostExecutor = resolve;
  });
  // A replica that lost its executor lock says nothing more in channels: the one that took over does.
  let superseded = false;
  pgStore?.onLost((cluster, why) => {
    logger.error(`this replica lost the executor lock of cluster ${cluster} (${why}): it stops acting on its clusters; another replica takes over`);
    superseded = true;
    // No scheduled run may fire here any more: the replica that takes over runs the schedules.
    void scheduler?.stop();
    metrics.executor.set(0);
    lostExecutor?.(`the executor lock of cluster ${cluster} was lost: ${why}`);
  });
  // Every way out to Slack goes through the outbound proxy when one is configured.
  const proxy = createOutboundProxy(config.slack.proxy);
  const clients = createSlackClients(config.slack, proxy);
  const { directory } = clients;
  const groups = new GroupDirectory(async (usergroup) => (await directory.usergroups.users.list({ usergroup })).users ?? [], clock);
  const access = new AccessPolicy(config.access, groups);
  const service = createCore({
    clusters,
    store,
    clock,
    logger,
    // Freeze windows from the configuration; holds from the control record, read back in start().
    freezes: config.changeControl.freezes,
    approval: {
      ...config.approval,
      ...(overrides.approvalTtlMs === undefined ? {} : { ttlMs: overrides.approvalTtlMs }),
      isApprover: async (user, cluster) => (await access.check(user, undefined, 'approver', cluster)).allowed,
      isListed: (user, principals) => access.isListed(user, principals),
    },
  });
  const slackError = (method: string, error: string): void => void metrics.slackErrors.inc({ method, error });
  const { poster, notices, messages, home, views, forms } = createSlackSurfaces({
    config,
    clients,
    service,
    access,
    logger,
    redact,
    clock,
    onError: slackError,
    superseded: () => superseded,
    editIntervalMs: overrides.editIntervalMs ?? 1000,
  });
  const watch = createNotifications({ config, backends, poster: notices, clock, logger });
  const scheduler = createScheduler(config.changeControl.schedules, {
    store,
    clock,
    logger,
    request: (input) => service.request(input),
    notices: slackScheduleNotices(poster, messages, (cluster, channel) => access.principals('approver', cluster, channel)),
  });
  if (scheduler) service.control.attachSchedules(scheduler);

  followOperations(service, { messages, home, watch, metrics });

  /** Waits for `work`, at most `ms`; the deadline timer is cleared either way, so stop() leaves none behind. */
  const within = async (work: Promise<unknown>, ms: number): Promise<void> => {
    const deadline = new AbortController();
    await Promise.race([work, clock.sleep(ms, deadline.signal).catch(() => undefined)]);
    deadline.abort();
  };

  const firstCluster = config.clusters[0]?.name ?? '';
  let accepting = true;
  const inFlight = new Set<Promise<unknown>>();
  const routes = healthRoutes(probe, metrics.registry);
  let healthServer: Server | undefined;
  const slackDeps: SlackDeps = {
    service,
    access,
    audit: store.audit,
    poster,
    messages,
    logger,
    redact,
    metrics,
    home,
    views,
    forms,
    ...(scheduler ? { scheduler } : {}),
    defaultClusterFor: (channel) => config.channelClusters.get(channel) ?? firstCluster,
    channelMembership: channelMembership(clients.membership, clock),
    accepting: () => accepting,
    track: (work) => {
      inFlight.add(work);
      void work.finally(() => inFlight.delete(work));
    },
  };
  // With PostgreSQL every replica takes Slack requests; only the executor acts on them.
  const intake =
    pgStore && config.store.kind === 'postgres'
      ? new SharedIntake({
          queue: pgStore.intake(),
          deps: slackDeps,
          respondTo: (url) => responseUrlResponder(url, redact, proxy?.fetch),
          listen: (wake, signal) => pgStore.listen(INTAKE_CHANNEL, wake, signal),
          redact,
          logger,
          clock,
          waitMs: overrides.intakeWaitMs ?? 20_000,
          pollMs: config.store.pollMs,
        })
      : undefined;
  const slackApp = createSlackApp(
    {
      slack: config.slack,
      port: config.port,
      ...(overrides.host ? { host: overrides.host } : {}),
      // With HEALTH_PORT, health and metrics listen on their own server, so only /slack/events is public.
      routes: config.health.port === undefined ? routes : [],
      logger,
      boltDebug: config.logLevel === 'debug',
      redact,
      replayFile: join(config.dataDir, 'slack-signatures.jsonl'),
      ...(pgStore ? { replayShared: pgStore.replayWindow() } : {}),
      ...(proxy ? { proxy } : {}),
      ...(intake ? { intake } : {}),
      onConnectionChange: (connected) => {
        probe.slackConnected = connected;
      },
    },
    slackDeps,
  );

  let preflight: Promise<void> = Promise.resolve();
  return {
    get healthPort() {
      return healthServer ? (healthServer.address() as AddressInfo).port : undefined;
    },
    service,
    metrics,
    logger,
    redact,
    preflightDone: () => preflight,
    executorLost: () => executorLost,
    async start() {
      let slackPort: number | undefined;
      const mode = config.slack.mode.kind === 'socket' ? 'Socket Mode' : 'HTTP mode';
      if (pgStore) {
        if (config.health.port !== undefined) {
          healthServer = await serveRoutes(routes, config.health.port, overrides.host ?? config.health.host);
          logger.info(`health and metrics on port ${(healthServer.address() as AddressInfo).port}`);
        }
        await pgStore.connect(starting.signal);
        // A standby takes Slack requests and forwards them to the executor through the database;
        // nothing of the operations (journal, clusters) is read or acted on before this replica
        // holds every cluster's lock.
        slackPort = await slackApp.start();
        logger.info(`exa-chatops standing by (${mode}), port ${slackPort}: Slack requests received here are run by the replica executing the clusters`);
        await pgStore.becomeExecutor(starting.signal, (cluster, holder) => logger.info(`standby: cluster ${cluster} is executed by ${holder}; this replica takes over when that one stops`));
        probe.executor = 'active';
        metrics.executor.set(1);
        logger.info('this replica executes every configured cluster (PostgreSQL store)');
      }
      // With PostgreSQL this replica may be taking over from one that died: what is safe to go on
      // with goes on (in its thread); the rest is reported as after a restart, in its channel.
      // The control record, read once: the holds, and what the schedules already dealt with.
      const controls = await store.controls.read();
      service.control.load(controls);
      const takeover = pgStore ? await service.takeOver(holder) : undefined;
      for (const taken of takeover?.resumed ?? []) if (taken.approvalMessage) messages.adoptApproval(taken.opId, taken.approvalMessage.channel, taken.approvalMessage.ts);
      await postRecoveryReports(takeover ? takeover.closed : await service.recover(), poster, logger);
      // Missed runs are reported now; from here the schedules run (on the executor only).
      await scheduler?.start(controls);
      slackPort ??= await slackApp.start();
      // From here this replica runs what it receives, and what the standbys forward.
      intake?.execute();
      if (config.health.port !== undefined && !healthServer) healthServer = await serveRoutes(routes, config.health.port, overrides.host ?? config.health.host);
      const port = healthServer && slackPort === 0 ? (healthServer.address() as AddressInfo).port : slackPort;
      watch?.start();
      preflight = runPreflights(backends, logger);
      logger.info(`exa-chatops started (${mode}), port ${port}, clusters: ${[...clusters.keys()].join(', ')}`);
      return port;
    },
    async stop(graceMs = 30_000) {
      starting.abort(new Error('the bot is stopping'));
      accepting = false;
      probe.accepting = false;
      // The port stays open, answering 503 on /readyz (and "restarting" to Slack), for at least
      // drainMs: a load balancer or a probe must see "not ready" before the port goes away, or
      // it sees refused connections instead (and a test asking in between would too).
      // Not unref'd: the stop must run to its end (journal closed, lock released) even when nothing
      // else keeps the process alive, e.g. after a start that failed before anything listened.
      const drained = new Promise<void>((resolve) => setTimeout(resolve, overrides.drainMs ?? 2000));
      // Forwarded requests are no longer claimed; a standby's still waiting are taken back and answered.
      await intake?.stop();
      await scheduler?.stop();
      await service.shutdown('the bot is stopping', graceMs);
      await within(Promise.allSettled([...inFlight]), 5000);
      await within(messages.drain(), 5000);
      if (watch) await within(watch.stop(), 5000);
      await within(home.stop(), 5000);
      await drained;
      await slackApp.stop();
      if (healthServer) {
        healthServer.closeAllConnections();
        await new Promise<void>((resolve) => healthServer?.close(() => resolve()));
      }
      await store.close();
      dataLock.release();
      for (const backend of backends.values()) backend.close();
      logger.info('exa-chatops stopped');
    },
  };
}
