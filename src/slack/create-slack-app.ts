import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, LogLevel, SocketModeReceiver } from '@slack/bolt';
import type { SlackConfig } from '../config/app-config.js';
import type { Route } from '../health/health-routes.js';
import { listen, serveRoutes } from '../health/route-server.js';
import type { Logger } from '../logging/logger.js';
import { redactDeep, type Redactor } from '../logging/redact.js';
import { boltLogger } from './bolt-logger.js';
import { registerCommand } from './features/command.js';
import { registerDecisions } from './features/decisions.js';
import { registerSchedules } from './features/schedules.js';
import type { FeatureContext } from './features/feature-context.js';
import { registerHome } from './features/home.js';
import { registerRequestForm } from './features/request-form.js';
import { ReplayGuard, type SharedReplayWindow } from './replay-guard.js';
import { guardDelivery, type Refusal } from './request-guard.js';
import { directIntake, type RequestIntake } from './request-intake.js';
import type { OutboundProxy } from './outbound-proxy.js';
import { slackUnreachable } from './slack-unreachable.js';
import { auditRefusal, type SlackDeps } from './slack-deps.js';

/** A flood of refused deliveries is counted in /metrics; the log gets one line per reason per this. */
const REFUSAL_LOG_INTERVAL_MS = 10_000;

export interface SlackApp {
  readonly app: App;
  /** Starts receiving; resolves with the port serving /slack/events (HTTP) or the health routes. */
  start(): Promise<number>;
  stop(): Promise<void>;
}

export interface SlackAppOptions {
  readonly slack: SlackConfig;
  readonly port: number;
  readonly host?: string;
  readonly routes: readonly Route[];
  readonly logger: Logger;
  /** LOG_LEVEL=debug: Bolt's and Socket Mode's debug lines too (otherwise they are not even formatted). */
  readonly boltDebug?: boolean;
  /** Applied to every reply sent through response_url (the poster redacts the rest). */
  readonly redact: Redactor;
  readonly onConnectionChange?: (connected: boolean) => void;
  /** Where the replay guard keeps the signatures of the last window, so a restart does not forget them. */
  readonly replayFile?: string;
  /** PostgreSQL store: the replay window every replica shares (loaded at start). */
  readonly replayShared?: SharedReplayWindow;
  /** The outbound proxy to Slack, for the Web API and the Socket Mode WebSocket. */
  readonly proxy?: OutboundProxy;
  /** Where acked requests go; by default this process runs them (with PostgreSQL: request-intake.ts). */
  readonly intake?: RequestIntake;
}

/**
 * The Bolt app in either mode. The listeners live in features/, one file per feature; they only
 * ack and hand the payload to the intake, which runs the plain functions (command-listener.ts,
 * action-listener.ts, request-forms.ts, home.ts); no business logic lives in Bolt callbacks.
 */
export function createSlackApp(options: SlackAppOptions, deps: SlackDeps): SlackApp {
  const { slack } = options;
  // A fresh object per App: Socket Mode writes a retry policy into it (see the Slack notes).
  const clientOptions = {
    ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}),
    ...(options.proxy ? { fetch: options.proxy.fetch } : {}),
    retryConfig: { retries: 3 },
  };
  const logger = boltLogger(options.logger);
  const logLevel = options.boltDebug === true ? LogLevel.DEBUG : LogLevel.INFO;
  // Our own receiver in Socket Mode, so we can follow its connection state for readiness.
  const receiver =
    slack.mode.kind === 'socket'
      ? new SocketModeReceiver({
          appToken: slack.mode.appToken,
          logger,
          logLevel,
          installerOptions: { clientOptions },
          ...(options.proxy ? { dispatcher: options.proxy.dispatcher as never } : {}),
        })
      : undefined;
  const mode = slack.mode;
  // HTTP mode: our own receiver, behind the request guard (request-guard.ts) on a server of ours.
  const replay = mode.kind === 'http' ? new ReplayGuard(Date.now, options.replayFile, options.replayShared) : undefined;
  const http =
    mode.kind === 'http'
      ? new HTTPReceiver({
          signingSecret: mode.signingSecret,
          // The request guard in front has verified the signature on the very bytes Bolt gets
          // (req.rawBody) and refused everything else; a second HMAC per delivery is CPU on the
          // path of every ack. Nothing reaches this receiver's endpoint except through the guard.
          signatureVerification: false,
          endpoints: '/slack/events',
          logger,
          logLevel,
          customRoutes: options.routes.map((r) => ({ path: r.path, method: r.method, handler: r.handler })),
        })
      : undefined;
  // deferInitialization: Bolt's constructor would call auth.test at once and, if Slack cannot be
  // reached or the token is wrong, crash the process with an unhandled rejection. init() in
  // start() fails where main.ts reports it.
  const app = new App({
    token: slack.botToken,
    receiver: receiver ?? (http as HTTPReceiver),
    clientOptions,
    logger,
    logLevel,
    deferInitialization: true,
    // Bolt's conversation store keeps state per conversation for listeners that ask for it; none
    // does, and its lookup would run on every delivery.
    convoStore: false,
  });
  const intake = options.intake ?? directIntake(deps);
  const safe =
    (respond: (message: never) => Promise<unknown>) =>
    (message: Record<string, unknown>): Promise<unknown> =>
      respond(redactDeep(message, options.redact) as never);

  // Bolt checks signatures but, with a single workspace, not which workspace sent the request.
  let teamId = slack.teamId;
  const foreignTeam = (team: string | undefined): boolean => teamId !== undefined && team !== teamId;

  /** A signed request from a workspace this bot does not serve: a security event, on the record. */
  const foreignDenial = (team: string | undefined, user: string, channel: string | undefined, what: string): void => {
    auditRefusal(deps, {
      action: 'denied',
      actor: `${team ?? 'unknown-team'}/${user}`,
      cluster: deps.defaultClusterFor(channel ?? ''),
      ...(channel ? { channel } : {}),
      detail: deps.redact(`${what}: from another workspace (${team ?? 'no team id'})`),
    });
  };

  const ctx: FeatureContext = {
    deps,
    intake,
    logger: options.logger,
    foreignTeam,
    foreignDenial,
    safe,
    run: (work) => deps.track(afterPendingAcks(work)),
  };
  // One feature per file, each registering its listeners (the Bolt starter's shape).
  registerCommand(app, ctx);
  registerDecisions(app, ctx);
  registerSchedules(app, ctx);
  registerRequestForm(app, ctx);
  registerHome(app, ctx);

  app.error(async (error) => {
    options.logger.error('Slack listener error', { error: error.message, code: error.code });
  });

  let sideServer: Server | undefined;
  return {
    app,
    async start() {
      try {
        await app.init();
        if (teamId === undefined) {
          const auth = await app.client.auth.test();
          teamId = typeof auth.team_id === 'string' ? auth.team_id : undefined;
        }
      } catch (error) {
        throw slackUnreachable(error, slack.apiUrl, options.proxy) ?? error;
      }
      if (http) {
        // Bolt's request listener behind the request guard, on a server of ours.
        const bolt = (req: IncomingMessage, res: ServerResponse): void => {
          // As Bolt's own server does: what its listener does not route is thrown back; a 404.
          // (It throws synchronously, hence the async wrapper.)
          (async () => (http as HTTPReceiver).requestListener(req, res))().catch(() => {
            if (res.headersSent) return void res.end();
            res.writeHead(404, { 'content-type': 'text/plain' });
            res.end('not found\n');
          });
        };
        const guardOptions = {
          signingSecret: mode.kind === 'http' ? mode.signingSecret : '',
          maxBodyBytes: slack.maxBodyBytes,
          replay: replay as ReplayGuard,
          onRefused: refusalLogger(options.logger, deps),
          onMalformed: (verdict: { reason: string; user?: string; channel?: string }) => {
            auditRefusal(deps, {
              action: 'refused',
              actor: verdict.user ?? 'unknown',
              cluster: deps.defaultClusterFor(verdict.channel ?? ''),
              ...(verdict.channel ? { channel: verdict.channel } : {}),
              detail: deps.redact(`malformed Slack request: ${verdict.reason}`),
            });
          },
        };
        const guarded = (req: IncomingMessage, res: ServerResponse): void => {
          // Bolt routes on the path as URL parsing resolves it (/slack/./events, %2e, \, an absolute
          // URL all become /slack/events): a path that is not already in that form is refused, so no
          // spelling of the endpoint can reach Bolt around the guard.
          const raw = req.url ?? '/';
          const path = resolvedPath(raw);
          if (path === undefined || path !== raw.split('?')[0]) {
            res.writeHead(404, { 'content-type': 'text/plain', connection: 'close' });
            res.end('not found\n');
            return;
          }
          if (req.method !== 'POST' || path !== '/slack/events') return bolt(req, res);
          guardDelivery(req, res, guardOptions).then(
            (pass) => (pass ? bolt(req, res) : undefined),
            (error: unknown) => {
              options.logger.error('the request guard failed', { error: String(error) });
              if (!res.headersSent) res.writeHead(500, { connection: 'close' }).end();
            },
          );
        };
        await replay?.loadShared();
        sideServer = await listen(createServer(guarded), options.port, options.host ?? '0.0.0.0');
        options.onConnectionChange?.(true);
        return (sideServer.address() as AddressInfo).port;
      }
      receiver?.client.on('connected', () => options.onConnectionChange?.(true));
      // 'disconnected' only follows a stop of our own; when Slack drops or recycles the
      // connection the client emits 'close' and reconnects after a back-off (5 s or more), and
      // in that gap nothing reaches the bot, so it is not ready.
      receiver?.client.on('close', () => options.onConnectionChange?.(false));
      receiver?.client.on('disconnected', () => options.onConnectionChange?.(false));
      await app.start();
      options.onConnectionChange?.(true);
      // With HEALTH_PORT the routes have a server of their own (bot.ts); none is needed here.
      if (options.routes.length === 0) return 0;
      sideServer = await serveRoutes(options.routes, options.port, options.host ?? '0.0.0.0');
      return (sideServer.address() as AddressInfo).port;
    },
    async stop() {
      // In HTTP mode Bolt's receiver never started its own server: only ours is closed.
      if (!http) await app.stop().catch(() => undefined);
      replay?.close();
      if (sideServer) {
        sideServer.closeAllConnections();
        await new Promise<void>((resolve) => sideServer?.close(() => resolve()));
      }
    },
  };
}

/**
 * Runs `work` after the I/O already waiting: deliveries that have arrived are read and acked
 * before the work of an acked one begins (setImmediate runs after the poll phase), so a burst of
 * commands is acked first and worked off after, and no ack waits behind another's status read.
 */
function afterPendingAcks<T>(work: () => Promise<T>): Promise<T> {
  return new Promise<void>((resolve) => setImmediate(resolve)).then(work);
}

/** The path of a request URL as WHATWG URL parsing (and so Bolt) resolves it; undefined when it does not parse. */
function resolvedPath(url: string): string | undefined {
  try {
    return new URL(url, 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}

/** Counts every refused delivery; logs one line per reason per interval, with how many it stands for. */
function refusalLogger(logger: Logger, deps: SlackDeps): (refusal: Refusal, status: number, reason: string) => void {
  const last = new Map<Refusal, { at: number; suppressed: number }>();
  return (refusal, status, reason) => {
    deps.metrics?.slackRequestsRefused.inc({ reason: refusal, status: String(status) });
    const now = Date.now();
    const seen = last.get(refusal);
    if (seen && now - seen.at < REFUSAL_LOG_INTERVAL_MS) {
      seen.suppressed += 1;
      return;
    }
    const more = seen && seen.suppressed > 0 ? ` (and ${seen.suppressed} more refused for this reason since the last line)` : '';
    last.set(refusal, { at: now, suppressed: 0 });
    logger.warn(`refused a Slack request: ${reason}${more}`);
  };
}
