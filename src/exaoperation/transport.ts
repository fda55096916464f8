import http from 'node:http';
import https from 'node:https';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import xmlrpc from 'xmlrpc';
import type { Logger } from '../logging/logger.js';
import { silentLogger } from '../logging/logger.js';
import { contextObjectName, contextPath, type ExaContext } from './endpoints.js';
import type { CallSite } from './errors.js';
import type { ExaOperationError } from './errors.js';
import { mapCallError } from './map-error.js';
import { checkPin, fetchPinnedCertificate } from './tls-pin.js';
import { CallBudget } from './call-budget.js';
import { callSignal } from './call-signal.js';
import { DEFAULT_MAX_SOCKETS, DEFAULT_TIMEOUT_MS, resolveEndpoint, type TransportOptions } from './transport-options.js';

type ClientOptions = Parameters<typeof xmlrpc.createClient>[0];

export interface CallOptions {
  /** Cancels the call; the socket is destroyed and the call fails with EXA_ABORTED. */
  readonly signal?: AbortSignal;
  /** Overrides the transport's default deadline for this call. */
  readonly timeoutMs?: number;
}

/** Observes every call, e.g. for latency metrics. Never sees parameters or credentials. */
export type CallObserver = (event: {
  readonly site: CallSite;
  readonly durationMs: number;
  readonly error: ExaOperationError | undefined;
}) => void;

export interface Transport {
  /** origin + cluster path, safe to show to users. */
  readonly endpoint: string;
  call(context: ExaContext, method: string, params: readonly unknown[], options?: CallOptions): Promise<unknown>;
  /** Closes idle keep-alive connections. */
  close(): void;
}

interface Connection {
  readonly agent: http.Agent;
  readonly tls: object;
}

export interface TransportDependencies {
  readonly logger?: Logger;
  readonly observe?: CallObserver;
}

// npm xmlrpc does not export its deserializer from the package root; we need it to re-read
// answers that use the `<ex:nil/>` extension, which the library does not know.
const requireCjs = createRequire(import.meta.url);
interface DeserializerInstance {
  deserializeMethodResponse(stream: NodeJS.ReadableStream, callback: (error: unknown, value: unknown) => void): void;
}
const Deserializer = requireCjs('xmlrpc/lib/deserializer.js') as new (encoding?: string) => DeserializerInstance;

/**
 * XML-RPC over HTTP(S) with npm `xmlrpc`. The library has no timeout or cancellation, but it
 * forwards its options to http.request, so every call gets an AbortSignal combining the caller's
 * signal with its own deadline, and a keep-alive agent so bursts of calls reuse connections.
 */
export function createTransport(options: TransportOptions, deps: TransportDependencies = {}): Transport {
  const endpoint = resolveEndpoint(options);
  const logger = deps.logger ?? silentLogger;
  const defaultTimeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const connection = (tls: object): Connection => {
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? DEFAULT_MAX_SOCKETS, ...tls };
    return { tls, agent: endpoint.secure ? new https.Agent(agentOptions) : new http.Agent(agentOptions) };
  };
  let ready: Promise<Connection> | undefined;
  let current: Connection | undefined;
  /** The agent and TLS options; with a pin, they exist only once the pinned certificate was seen. */
  const connect = (timeoutMs: number): Promise<Connection> => {
    if (!endpoint.secure) ready ??= Promise.resolve(connection({}));
    else if (!endpoint.pin) {
      ready ??= Promise.resolve(connection({ rejectUnauthorized: !endpoint.insecure, ...(endpoint.ca === undefined ? {} : { ca: endpoint.ca }) }));
    } else {
      const pin = endpoint.pin;
      ready ??= fetchPinnedCertificate(endpoint.host, endpoint.port, pin, timeoutMs).then(
        (ca) => connection({ rejectUnauthorized: true, ca, checkServerIdentity: checkPin(pin) }),
        (error: unknown) => {
          ready = undefined; // the next call tries again
          throw error;
        },
      );
    }
    return ready.then((c) => (current = c));
  };
  // Built once; sent as a header, never as part of a URL.
  const authorization = `Basic ${Buffer.from(`${options.user}:${options.password}`, 'utf8').toString('base64')}`;

  if (endpoint.secure && endpoint.insecure) {
    logger.warn(
      `TLS certificate verification for EXAoperation at ${endpoint.display} is turned OFF by configuration. ` +
        'Anyone on the network path can read the EXAoperation password. Configure a CA file instead.',
    );
  }
  if (!endpoint.secure) {
    logger.warn(`EXAoperation at ${endpoint.display} is reached over plain HTTP: the password crosses the network unencrypted.`);
  }

  const budget = options.maxCallsPerSecond === undefined ? undefined : new CallBudget(options.maxCallsPerSecond);

  async function call(
    context: ExaContext,
    method: string,
    params: readonly unknown[],
    callOptions: CallOptions = {},
  ): Promise<unknown> {
    const path = contextPath(endpoint.clusterPath, context);
    const site: CallSite = { endpoint: `${endpoint.origin}${path}`, object: contextObjectName(context), method };
    const timeoutMs = callOptions.timeoutMs ?? defaultTimeout;
    if (budget) {
      // Waiting for a slot is not part of the call's deadline; a cancel still ends the wait.
      try {
        await budget.acquire(callOptions.signal);
      } catch (error) {
        throw mapCallError(error, { site, timeoutMs, timedOut: false, aborted: true, user: options.user });
      }
    }
    const linked = callSignal(callOptions.signal, timeoutMs);
    const signal = linked.signal;
    const started = performance.now();
    const failure = (error: unknown): ExaOperationError =>
      mapCallError(error, {
        site,
        timeoutMs,
        timedOut: linked.timedOut(),
        aborted: callOptions.signal?.aborted === true,
        user: options.user,
      });
    try {
      if (signal.aborted) throw signal.reason;
      const { agent, tls } = await connect(timeoutMs);
      if (signal.aborted) throw signal.reason;
      const requestOptions = {
        host: endpoint.host,
        port: endpoint.port,
        path,
        headers: { Authorization: authorization, 'User-Agent': 'exa-chatops' },
        agent,
        signal,
        ...tls,
      };
      const client = endpoint.secure
        ? xmlrpc.createSecureClient(requestOptions as ClientOptions)
        : xmlrpc.createClient(requestOptions as ClientOptions);
      const value = await new Promise<unknown>((resolve, reject) => {
        // The library may report one failure twice (response and request both error); a
        // promise settles once, which is what we want.
        client.methodCall(method, [...params], (error: unknown, result: unknown) => {
          if (error) reject(error);
          else resolve(result);
        });
      }).catch((error: unknown) => retryWithExtensionNil(error));
      deps.observe?.({ site, durationMs: performance.now() - started, error: undefined });
      return value;
    } catch (error) {
      const mapped = failure(error);
      deps.observe?.({ site, durationMs: performance.now() - started, error: mapped });
      throw mapped;
    } finally {
      linked.release();
    }
  }

  return {
    endpoint: endpoint.display,
    call,
    close: () => current?.agent.destroy(),
  };
}

/**
 * Some XML-RPC servers write None as `<ex:nil/>` (Apache's extension namespace). npm xmlrpc only
 * knows `<nil/>`, so when that is the only problem we read the same body again with it rewritten.
 * The library hands us the body received up to the parse error; nil answers are tiny and arrive
 * in one chunk, and a truncated body simply fails again and is reported as malformed.
 */
async function retryWithExtensionNil(error: unknown): Promise<unknown> {
  const body = (error as { body?: unknown } | null)?.body;
  const message = (error as { message?: unknown } | null)?.message;
  if (typeof body !== 'string' || typeof message !== 'string' || !/Unknown XML-RPC tag '\w+:NIL'/i.test(message)) {
    throw error;
  }
  const rewritten = body.replace(/<(\w+):nil\s*\/>/gi, '<nil/>').replace(/<(\w+):nil>\s*<\/\1:nil>/gi, '<nil/>');
  return new Promise((resolve, reject) => {
    new Deserializer('utf8').deserializeMethodResponse(Readable.from([rewritten]), (parseError, value) => {
      if (parseError) reject(error instanceof Error ? error : new Error(String(parseError)));
      else resolve(value);
    });
  });
}
