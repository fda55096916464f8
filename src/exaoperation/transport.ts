import http from 'node:http';
import https from 'node:https';
import { createRequire } from 'node:module';
import type { Logger } from '../logging/logger.js';
import { silentLogger } from '../logging/logger.js';
import { contextObjectName, contextPath, type ExaContext } from './endpoints.js';
import type { CallSite } from './errors.js';
import type { ExaOperationError } from './errors.js';
import { mapCallError } from './map-error.js';
import { checkPin, fetchPinnedCertificate } from './tls-pin.js';
import { CallBudget } from './call-budget.js';
import { callSignal } from './call-signal.js';
import { postXml, type HttpAnswer } from './http-exchange.js';
import { decodeMethodResponse, XmlRpcFaultError } from './xmlrpc-response.js';
import { DEFAULT_MAX_SOCKETS, DEFAULT_TIMEOUT_MS, resolveEndpoint, type TransportOptions } from './transport-options.js';

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

// npm xmlrpc encodes the calls; its client and its stream deserializer are not used: the answers
// are read whole and decoded by xmlrpc-response.ts (a tenth of the CPU, see bench/xml-codec.ts).
interface XmlRpcSerializer {
  serializeMethodCall(method: string, params: unknown[], encoding?: string): string;
}
const serializer = createRequire(import.meta.url)('xmlrpc/lib/serializer.js') as XmlRpcSerializer;

/**
 * XML-RPC over HTTP(S): calls encoded by npm `xmlrpc`, posted with node:http over a keep-alive
 * agent (bursts of calls reuse connections), each with an AbortSignal combining the caller's
 * signal with its own deadline, and answers decoded by xmlrpc-response.ts.
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
      const answer = await postXml(
        endpoint.secure,
        {
          host: endpoint.host,
          port: endpoint.port,
          path,
          headers: { Authorization: authorization, 'User-Agent': 'exa-chatops' },
          agent,
          signal,
          ...tls,
        },
        serializer.serializeMethodCall(method, [...params]),
      );
      const value = decodeAnswer(answer);
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
 * A 200 answer is decoded (a fault or a malformed body throws). Any other status is an HTTP
 * failure carrying that status, unless its body is a fault, which is then the better report; a
 * non-200 answer is never taken as a value, whatever its body says.
 */
function decodeAnswer(answer: HttpAnswer): unknown {
  if (answer.statusCode === 200) return decodeMethodResponse(answer.body);
  let error: Error = new Error(answer.statusCode === 404 ? 'Not Found' : `HTTP ${answer.statusCode}`);
  if (answer.statusCode !== 404) {
    try {
      decodeMethodResponse(answer.body);
    } catch (decoded) {
      if (decoded instanceof XmlRpcFaultError) error = decoded;
    }
  }
  throw Object.assign(error, { res: { statusCode: answer.statusCode } });
}
