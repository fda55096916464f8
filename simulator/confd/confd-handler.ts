// One HTTP request to a ConfD listener: control routes → quorum → GET /master, /is_master →
// Basic auth → master redirect (302) → XML-RPC on /, /RPC2, /rpc2 → injected faults → jobs.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { Pending } from '../api/pending.js';
import type { RpcValue } from '../api/rpc-value.js';
import type { ClusterModel } from '../model/cluster-model.js';
import { isAuthorized, type Credentials } from '../server/basic-auth.js';
import type { CallLog } from '../server/call-log.js';
import type { FaultRules } from '../server/fault-rules.js';
import { MALFORMED_RESPONSE, parseMethodCall, serializeFault, serializeResult } from '../server/xml-codec.js';
import { sendXml } from '../server/http-replies.js';
import type { ConfdUser, ResolvedReadings } from './confd-options.js';
import { CONTROL_PREFIX, handleControl } from './control-routes.js';
import type { HostPower } from './host-power.js';
import { JobFailure } from './job-result.js';
import type { JobStore } from './job-store.js';
import { callMethod, jobParams, RpcFault } from './rpc-methods.js';

const RPC_PATHS = new Set(['/', '/RPC2', '/rpc2']);
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const MAX_POLL_MS = 1000;

export interface ConfdHandlerDeps {
  readonly model: ClusterModel;
  readonly readings: ResolvedReadings;
  readonly users: readonly ConfdUser[];
  readonly controlCredentials: Credentials;
  readonly hosts: HostPower;
  readonly store: JobStore;
  readonly rules: FaultRules;
  readonly calls: CallLog;
  readonly now: () => number;
  readonly lifetime: () => AbortSignal;
  readonly hasQuorum: () => boolean;
  /** This listener's node is the master (always true for the one cluster listener). */
  readonly isMaster: () => boolean;
  /** What GET /master answers, and the master's name. */
  readonly master: () => { readonly address: string; readonly name: string; readonly origin: string } | undefined;
  /** The model may have changed (a job, a power action): re-evaluate which listeners answer. */
  readonly changed: () => void;
  readonly goDown: () => void;
  readonly restart: (seconds: number) => void;
}

function text(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(status, { 'Content-Type': 'text/plain;charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

function authenticate(header: string | undefined, users: readonly ConfdUser[]): ConfdUser | undefined {
  return users.find((u) => isAuthorized(header, { user: u.name, password: u.password }));
}

export function createConfdHandler(deps: ConfdHandlerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(deps, req, res).catch(() => {
      if (!res.destroyed) res.destroy();
    });
  };
}

async function handle(deps: ConfdHandlerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://simulator');
  if (url.pathname.startsWith(CONTROL_PREFIX)) {
    handleControl(req, res, deps.controlCredentials, deps.hosts);
    return;
  }
  const body = await readBody(req);
  if (!deps.hasQuorum()) {
    text(res, 503, 'ConfD has no quorum: more than half of the nodes must be online.\n', { 'Retry-After': '10' });
    return;
  }
  if (req.method === 'GET' && url.pathname === '/master') {
    const master = deps.master();
    text(res, 200, url.searchParams.get('info_type') === 'name' ? (master?.name ?? '') : (master?.address ?? ''));
    return;
  }
  if (req.method === 'GET' && url.pathname === '/is_master') {
    text(res, 200, deps.isMaster() ? 'True' : 'False');
    return;
  }
  if (!RPC_PATHS.has(url.pathname)) {
    text(res, 404, `Not Found: ${url.pathname}\n`);
    return;
  }
  const call = body === undefined ? undefined : await parseMethodCall(body).catch(() => undefined);
  const isJob = call !== undefined && (call.methodName === 'job_exec' || call.methodName === 'job_start');
  const jobName = isJob ? String(call.params[0]) : undefined;
  const object = isJob ? call.methodName : 'confd';
  const method = jobName ?? call?.methodName ?? '';
  const record = call === undefined ? undefined : deps.calls.record(deps.now(), object, method, isJob ? call.params.slice(1) : call.params);
  const user = authenticate(req.headers.authorization, deps.users);
  if (user === undefined) {
    record?.settle('http-401');
    text(res, 401, 'Unauthorized\n', { 'WWW-Authenticate': 'Basic realm="ConfD"' });
    return;
  }
  if (req.method !== 'POST') {
    text(res, 405, 'XML-RPC requests use POST.\n', { Allow: 'POST' });
    return;
  }
  const master = deps.master();
  if (!deps.isMaster() && master !== undefined) {
    record?.settle('http-302');
    text(res, 302, `Redirected to the master ${master.name}\n`, { Location: `${master.origin}${url.pathname}` });
    return;
  }
  if (call === undefined || record === undefined) {
    text(res, 400, 'Bad Request: not an XML-RPC methodCall\n');
    return;
  }
  const last = deps.rules.countCall();
  // Rules match the job name with its database or node as "first argument": 'db_stop(DB1)'.
  const paramsForRule = (() => {
    try {
      const p = isJob ? jobParams(call.params[1]) : {};
      return isJob ? [p.db_name ?? p.nid] : call.params;
    } catch {
      return [];
    }
  })();
  const plan = deps.rules.plan(object, method, paramsForRule);
  try {
    if (plan.delayMs > 0) {
      try {
        await delay(plan.delayMs, undefined, { signal: deps.lifetime() });
      } catch {
        record.settle('dropped');
        return;
      }
    }
    const fault = plan.fault;
    if (fault !== undefined && fault.kind !== 'malformed' && fault.kind !== 'fail') {
      record.settle(fault.kind === 'unauthorized' ? 'http-401' : fault.kind === 'hang' ? 'hang' : 'dropped', { injected: true });
      if (fault.kind === 'unauthorized') text(res, 401, 'Unauthorized\n', { 'WWW-Authenticate': 'Basic realm="ConfD"' });
      else if (fault.kind === 'refuse' || fault.kind === 'restart') {
        res.destroy();
        if (fault.kind === 'refuse') deps.goDown();
        else deps.restart(fault.seconds);
      }
      return;
    }
    const injectedFailure = fault?.kind === 'fail' ? new JobFailure(fault.exception, fault.message ?? `injected failure of job ${method}`) : undefined;
    if (injectedFailure !== undefined && !isJob) {
      record.settle('fault', { faultString: injectedFailure.message, injected: true });
      sendXml(res, serializeFault({ faultCode: 1, faultString: `${fault?.kind === 'fail' ? fault.exception : ''}: ${injectedFailure.message}` }));
      return;
    }
    let answer: { value: RpcValue } | { error: Error } | undefined;
    try {
      const value = callMethod({ store: deps.store, user, readings: deps.readings, method: call.methodName, params: call.params, ...(injectedFailure === undefined ? {} : { injected: injectedFailure }) });
      deps.changed();
      answer = value instanceof Pending ? await awaitPending(value, deps, res) : { value };
    } catch (error) {
      answer = { error: error as Error };
    }
    deps.changed();
    if (answer === undefined) {
      record.settle('dropped');
      if (!res.destroyed) res.destroy();
      return;
    }
    if (fault?.kind === 'malformed') {
      record.settle('malformed', { injected: true });
      sendXml(res, MALFORMED_RESPONSE);
    } else if ('value' in answer) {
      const v = answer.value;
      const failed = typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as Record<string, RpcValue>).result_code === 'number' && (v as Record<string, RpcValue>).result_code !== 0;
      const s = v as Record<string, RpcValue>;
      if (failed) record.settle('job-failed', { faultString: `${String(s.result_name)}: ${String(s.result_desc)}`, injected: injectedFailure !== undefined });
      else record.settle('ok');
      sendXml(res, serializeResult(v));
    } else {
      const f = answer.error instanceof RpcFault ? answer.error : new RpcFault(1, `${answer.error.name}: ${answer.error.message}`);
      record.settle('fault', { faultString: f.faultString, injected: injectedFailure !== undefined });
      sendXml(res, serializeFault(f));
    }
  } finally {
    if (last) deps.goDown();
  }
}

async function awaitPending(pending: Pending, deps: ConfdHandlerDeps, res: ServerResponse): Promise<{ value: RpcValue } | { error: Error } | undefined> {
  const stop = new AbortController();
  const lifetime = deps.lifetime();
  const abort = (): void => stop.abort();
  lifetime.addEventListener('abort', abort, { once: true });
  res.once('close', abort);
  try {
    for (;;) {
      const answer = pending.settle();
      if (answer !== undefined) return answer;
      if (stop.signal.aborted) return undefined;
      const next = pending.checkAgainAt();
      const wait = next === undefined ? MAX_POLL_MS : Math.min(MAX_POLL_MS, Math.max(1, next - deps.now() + 1));
      try {
        await delay(wait, undefined, { signal: stop.signal });
      } catch {
        return undefined;
      }
    }
  } finally {
    lifetime.removeEventListener('abort', abort);
    res.off('close', abort);
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size <= MAX_BODY_BYTES) chunks.push(buffer);
  }
  return size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks);
}
