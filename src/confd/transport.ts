import https from 'node:https';
import { createRequire } from 'node:module';
import { CallBudget } from '../exaoperation/call-budget.js';
import { callSignal } from '../exaoperation/call-signal.js';
import { postXml, type HttpAnswer } from '../exaoperation/http-exchange.js';
import { checkPin, fetchPinnedCertificate } from '../exaoperation/tls-pin.js';
import type { CallOptions } from '../exaoperation/transport.js';
import type { TlsOptions } from '../exaoperation/transport-options.js';
import { decodeMethodResponse, XmlRpcFaultError } from '../exaoperation/xmlrpc-response.js';
import type { Logger } from '../logging/logger.js';
import { silentLogger } from '../logging/logger.js';
import { parseMasterAddress, resolveConfdEndpoint } from './endpoint.js';
import { ConfdError, type ConfdSite } from './errors.js';
import { mapConfdError } from './map-error.js';

export interface ConfdTransportOptions {
  /** Any node's ConfD, e.g. https://10.0.0.11:20003 (the master is looked up there). No credentials. */
  readonly url: string;
  readonly user: string;
  readonly password: string;
  readonly timeoutMs?: number;
  readonly tls?: TlsOptions;
  readonly maxSockets?: number;
  /** At most this many calls start in any second; unset: no budget. */
  readonly maxCallsPerSecond?: number;
}

export type ConfdCallObserver = (event: { readonly site: ConfdSite; readonly durationMs: number; readonly error: ConfdError | undefined }) => void;

export interface ConfdTransport {
  /** The configured node, safe to show. */
  readonly endpoint: string;
  /**
   * One XML-RPC call to the master; `job` names the call in errors (the job, or the method). A
   * `readOnly` call is sent again after any connection failure once the master was asked again;
   * one that changes something only when it surely never arrived (refused).
   */
  call(job: string, method: string, params: readonly unknown[], options?: CallOptions & { readonly readOnly?: boolean }): Promise<unknown>;
  /** The master's address as ConfD last named it (`GET /master`), looked up when none is known. */
  master(options?: CallOptions): Promise<string>;
  close(): void;
}

interface Target {
  readonly host: string;
  readonly port: number;
}

interface XmlRpcSerializer {
  serializeMethodCall(method: string, params: unknown[], encoding?: string): string;
}
const serializer = createRequire(import.meta.url)('xmlrpc/lib/serializer.js') as XmlRpcSerializer;

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * XML-RPC to ConfD's master: "clients can send RPC requests to any node … but if that node is not
 * a master node, HTTP_ERROR 302" (confd-api.md §1.1). So the master is asked of the configured node
 * (`GET /master`) and kept; a 302 means it moved: it is looked up again and the call sent once
 * more. A call refused outright by a master that went away is sent again too (it never arrived).
 * Basic auth as a header, never in a URL; TLS verified against a CA file or a pinned fingerprint.
 */
export function createConfdTransport(options: ConfdTransportOptions, deps: { readonly logger?: Logger; readonly observe?: ConfdCallObserver } = {}): ConfdTransport {
  const endpoint = resolveConfdEndpoint(options);
  const logger = deps.logger ?? silentLogger;
  const defaultTimeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const authorization = `Basic ${Buffer.from(`${options.user}:${options.password}`, 'utf8').toString('base64')}`;
  const budget = options.maxCallsPerSecond === undefined ? undefined : new CallBudget(options.maxCallsPerSecond);
  if (endpoint.insecure) {
    logger.warn(
      `TLS certificate verification for ConfD at ${endpoint.origin} is turned OFF by configuration. Anyone on the network path can read the ConfD password. Configure a CA file or a pin instead.`,
    );
  }

  // One keep-alive agent per node; with a pin, its TLS options exist once the pinned certificate was seen there.
  const agents = new Map<string, Promise<{ agent: https.Agent; tls: object }>>();
  const connect = (target: Target, timeoutMs: number): Promise<{ agent: https.Agent; tls: object }> => {
    const key = `${target.host}:${target.port}`;
    let ready = agents.get(key);
    if (!ready) {
      const make = (tls: object) => ({ tls, agent: new https.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 64, ...tls }) });
      const pin = endpoint.pin;
      ready = pin
        ? fetchPinnedCertificate(target.host, target.port, pin, timeoutMs).then((ca) => make({ rejectUnauthorized: true, ca, checkServerIdentity: checkPin(pin) }))
        : Promise.resolve(make({ rejectUnauthorized: !endpoint.insecure, ...(endpoint.ca === undefined ? {} : { ca: endpoint.ca }) }));
      agents.set(key, ready);
      ready.catch(() => agents.delete(key)); // the next call tries again
    }
    return ready;
  };

  const configured: Target = { host: endpoint.host, port: endpoint.port };
  let master: Target | undefined;
  let lookup: Promise<Target> | undefined;

  /** Asks the configured node who the master is; one lookup at a time, shared by every caller. */
  const findMaster = (callOptions: CallOptions): Promise<Target> =>
    (lookup ??= (async () => {
      try {
        const answer = await exchange(configured, 'GET /master', callOptions, (agentOptions) => getText(agentOptions));
        const found = answer.statusCode === 200 ? parseMasterAddress(answer.body, endpoint.port) : undefined;
        const site = siteOf(configured, 'GET /master');
        if (answer.statusCode !== 200) throw mapConfdError(Object.assign(new Error(`HTTP ${answer.statusCode}`), { res: { statusCode: answer.statusCode } }), failure(site, callOptions, false));
        if (!found) {
          throw new ConfdError('CONFD_MALFORMED_RESPONSE', `ConfD at ${endpoint.origin} answered GET /master with something that is not an address. Check that the URL points to ConfD.`, site, {
            detail: answer.body.slice(0, 200),
          });
        }
        master = found;
        return found;
      } finally {
        lookup = undefined;
      }
    })());

  function siteOf(target: Target, job: string): ConfdSite {
    return { endpoint: `https://${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`, job };
  }

  function failure(site: ConfdSite, callOptions: CallOptions, timedOut: boolean) {
    return { site, timeoutMs: callOptions.timeoutMs ?? defaultTimeout, timedOut, aborted: callOptions.signal?.aborted === true, user: options.user };
  }

  /** One HTTP exchange with a node under the call's deadline and signal; failures mapped. */
  async function exchange(target: Target, job: string, callOptions: CallOptions, send: (request: https.RequestOptions) => Promise<HttpAnswer>): Promise<HttpAnswer> {
    const site = siteOf(target, job);
    const timeoutMs = callOptions.timeoutMs ?? defaultTimeout;
    const linked = callSignal(callOptions.signal, timeoutMs);
    try {
      linked.signal.throwIfAborted();
      const { agent, tls } = await connect(target, timeoutMs);
      linked.signal.throwIfAborted();
      return await send({
        host: target.host,
        port: target.port,
        headers: { Authorization: authorization, 'User-Agent': 'exa-chatops' },
        agent,
        signal: linked.signal,
        ...tls,
      });
    } catch (error) {
      throw mapConfdError(error, failure(site, callOptions, linked.timedOut()));
    } finally {
      linked.release();
    }
  }

  async function post(target: Target, job: string, body: string, callOptions: CallOptions): Promise<unknown> {
    const answer = await exchange(target, job, callOptions, (request) => postXml(true, { ...request, path: endpoint.path }, body));
    try {
      return decodeAnswer(answer);
    } catch (error) {
      throw mapConfdError(error, failure(siteOf(target, job), callOptions, false));
    }
  }

  async function call(job: string, method: string, params: readonly unknown[], callOptions: CallOptions & { readonly readOnly?: boolean } = {}): Promise<unknown> {
    if (budget) {
      try {
        await budget.acquire(callOptions.signal);
      } catch (error) {
        throw mapConfdError(error, { ...failure(siteOf(master ?? configured, job), callOptions, false), aborted: true });
      }
    }
    const body = serializer.serializeMethodCall(method, [...params]);
    const started = performance.now();
    let target = master ?? (await findMaster(callOptions));
    try {
      let value: unknown;
      try {
        value = await post(target, job, body, callOptions);
      } catch (error) {
        // A reset may come after the master acted on the call: only a read is sent again then.
        const neverArrived = /ECONNREFUSED|EHOSTUNREACH/.test(error instanceof ConfdError ? (error.detail ?? '') : '');
        const moved = error instanceof ConfdError && (error.code === 'CONFD_NOT_MASTER' || (error.code === 'CONFD_UNREACHABLE' && (neverArrived || callOptions.readOnly === true)));
        if (!moved) throw error;
        const before = target;
        target = await findMaster(callOptions);
        // Refused by a master that is still the master: ConfD is down there, not moved. (A read
        // is tried once more all the same: a kept-alive connection may have been closed under it.)
        if (error.code === 'CONFD_UNREACHABLE' && callOptions.readOnly !== true && target.host === before.host && target.port === before.port) throw error;
        value = await post(target, job, body, callOptions);
      }
      deps.observe?.({ site: siteOf(target, job), durationMs: performance.now() - started, error: undefined });
      return value;
    } catch (error) {
      const mapped = error instanceof ConfdError ? error : mapConfdError(error, failure(siteOf(target, job), callOptions, false));
      deps.observe?.({ site: mapped.site, durationMs: performance.now() - started, error: mapped });
      throw mapped;
    }
  }

  return {
    endpoint: endpoint.origin,
    call,
    master: async (callOptions = {}) => {
      const found = await findMaster(callOptions);
      return found.host;
    },
    close: () => {
      for (const ready of agents.values()) void ready.then(({ agent }) => agent.destroy(), () => undefined);
    },
  };
}

/** A 302 is the master moving (the caller looks it up again); a fault in any answer is the better report. */
function decodeAnswer(answer: HttpAnswer): unknown {
  if (answer.statusCode === 200) return decodeMethodResponse(answer.body);
  let error: Error = new Error(`HTTP ${answer.statusCode}`);
  if (answer.statusCode !== 302 && answer.statusCode !== 401) {
    try {
      decodeMethodResponse(answer.body);
    } catch (decoded) {
      if (decoded instanceof XmlRpcFaultError) error = decoded;
    }
  }
  throw Object.assign(error, { res: { statusCode: answer.statusCode } });
}

/** GET of a short text answer (`/master`), its body capped: it is an address. */
function getText(request: https.RequestOptions): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = https.request({ ...request, method: 'GET', path: '/master' }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
        if (body.length > 4096) req.destroy(Object.assign(new Error('the /master answer is too long'), { code: 'ECONNRESET' }));
      });
      response.on('end', () => resolve({ statusCode: response.statusCode ?? 0, body }));
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
