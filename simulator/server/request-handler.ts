// One HTTP request through the pipeline: read and parse → record → authenticate → route → injected
// faults → model. Each step that can end the request answers the way EXAoperation would.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { ApiObject } from '../api/api-object.js';
import { describeTarget, dispatch, locateCall, settled, type CallTarget, type DispatchResult } from '../api/dispatch.js';
import type { Pending } from '../api/pending.js';
import { notFoundFault, zopeFault, type ZopeFault } from '../api/zope-fault.js';
import { isAuthorized, type Credentials } from './basic-auth.js';
import type { CallHandle, CallLog } from './call-log.js';
import { clusterPathSegments } from './cluster-path.js';
import type { FaultRules, TerminalFault } from './fault-rules.js';
import { sendBadRequest, sendMethodNotAllowed, sendNotFound, sendServiceUnavailable, sendUnauthorized, sendXml } from './http-replies.js';
import { MALFORMED_RESPONSE, parseMethodCall, serializeFault, serializeResult, type MethodCall } from './xml-codec.js';

const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface RequestHandlerDeps {
  readonly clusterName: string;
  readonly credentials: Credentials;
  readonly root: ApiObject;
  readonly now: () => number;
  readonly rules: FaultRules;
  readonly calls: CallLog;
  /** Aborted when the listener closes, so injected delays end with the connection. */
  readonly lifetime: () => AbortSignal;
  /** After the model ran a call: the license server may now be going down. */
  readonly afterDispatch: () => void;
  /** downAfterCalls reached zero with this call. */
  readonly goDown: () => void;
  /** EXAoperation is coming up: its web server answers, EXAoperation does not yet. */
  readonly comingUp: () => boolean;
  /** An injected restart: EXAoperation goes away for `seconds` simulated seconds. */
  readonly restart: (seconds: number) => void;
}

/** A blocking call looks again at least this often, whatever the model's next event. */
const MAX_PENDING_POLL_MS = 1000;

export function createRequestHandler(deps: RequestHandlerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(deps, req, res).catch(() => {
      // Only I/O can fail here (the client went away); there is nobody left to answer.
      if (!res.destroyed) res.destroy();
    });
  };
}

async function handle(deps: RequestHandlerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  const call = body === undefined ? undefined : await parseMethodCall(body).catch(() => undefined);
  const pathname = new URL(req.url ?? '/', 'http://simulator').pathname;
  const segments = clusterPathSegments(pathname, deps.clusterName);
  const target = call === undefined ? undefined : locateCall(segments ?? [], call.methodName);
  const isCall = req.method === 'POST' && call !== undefined && target !== undefined;
  const record = isCall ? recordCall(deps, segments, pathname, target, call) : undefined;
  const last = record !== undefined && deps.rules.countCall();
  try {
    if (deps.comingUp()) {
      record?.settle('http-503');
      sendServiceUnavailable(res);
    } else if (!isAuthorized(req.headers.authorization, deps.credentials)) {
      record?.settle('http-401');
      sendUnauthorized(res);
    } else if (req.method !== 'POST') {
      sendMethodNotAllowed(res);
    } else if (segments === undefined) {
      record?.settle('http-404');
      sendNotFound(res);
    } else if (body === undefined) {
      sendBadRequest(res, `request body larger than ${MAX_BODY_BYTES} bytes`);
    } else if (call === undefined || target === undefined || record === undefined) {
      sendBadRequest(res, 'not an XML-RPC methodCall');
    } else {
      await answer(deps, res, call, target, record);
    }
  } finally {
    if (last) afterResponse(res, deps.goDown);
  }
}

/** Runs `then` once the answer has left (at once for a call that is never answered). */
function afterResponse(res: ServerResponse, then: () => void): void {
  if (!res.writableEnded || res.writableFinished) {
    then();
    return;
  }
  let done = false;
  const once = (): void => {
    if (done) return;
    done = true;
    then();
  };
  res.once('finish', once);
  res.once('close', once);
}

function recordCall(
  deps: RequestHandlerDeps,
  segments: string[] | undefined,
  pathname: string,
  target: CallTarget,
  call: MethodCall,
): CallHandle {
  // A call to a foreign cluster path is still logged, under its raw URL path.
  const object = segments === undefined ? pathname : target.object;
  return deps.calls.record(deps.now(), object, target.method, call.params);
}

async function answer(deps: RequestHandlerDeps, res: ServerResponse, call: MethodCall, target: CallTarget, handle: CallHandle): Promise<void> {
  const plan = deps.rules.plan(target.object, target.method, call.params);
  if (plan.delayMs > 0) {
    try {
      await delay(plan.delayMs, undefined, { signal: deps.lifetime() });
    } catch {
      handle.settle('dropped');
      return;
    }
  }
  if (plan.fault !== undefined && plan.fault.kind !== 'malformed') {
    injectFault(deps.root, res, plan.fault, target, handle, deps);
    return;
  }
  const outcome = dispatch(deps.root, target, call.params);
  deps.afterDispatch();
  const result = outcome.kind === 'pending' ? await awaitPending(outcome.pending, deps, res) : outcome;
  if (result === undefined) {
    // The listener closed or the client gave up while the call was blocking.
    handle.settle('dropped');
    if (!res.destroyed) res.destroy();
    return;
  }
  if (plan.fault?.kind === 'malformed') {
    // The model did act; only the answer is broken, as with a proxy mangling the response.
    handle.settle('malformed', { injected: true });
    sendXml(res, MALFORMED_RESPONSE);
  } else if (result.kind === 'ok') {
    handle.settle('ok');
    sendXml(res, serializeResult(result.value));
  } else {
    handle.settle('fault', { faultString: result.faultString });
    sendXml(res, serializeFault(result));
  }
}

/**
 * Waits in real time until a blocking call settles, looking again when the model's next event is
 * due. Undefined when the listener closes or the client's connection goes first.
 */
async function awaitPending(pending: Pending, deps: RequestHandlerDeps, res: ServerResponse): Promise<DispatchResult | undefined> {
  const stop = new AbortController();
  const lifetime = deps.lifetime();
  const abort = (): void => stop.abort();
  lifetime.addEventListener('abort', abort, { once: true });
  res.once('close', abort);
  try {
    for (;;) {
      const answer = pending.settle();
      if (answer !== undefined) return settled(answer);
      if (stop.signal.aborted || lifetime.aborted) return undefined;
      const next = pending.checkAgainAt();
      const wait = next === undefined ? MAX_PENDING_POLL_MS : Math.min(MAX_PENDING_POLL_MS, Math.max(1, next - deps.now() + 1));
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

function injectFault(
  root: ApiObject,
  res: ServerResponse,
  fault: Exclude<TerminalFault, { kind: 'malformed' }>,
  target: CallTarget,
  handle: CallHandle,
  deps: RequestHandlerDeps,
): void {
  switch (fault.kind) {
    case 'unauthorized':
      handle.settle('http-401', { injected: true });
      sendUnauthorized(res);
      return;
    case 'refuse':
      // As if the host went away: this call's connection dies, and no new one is accepted.
      handle.settle('dropped', { injected: true });
      res.destroy();
      deps.goDown();
      return;
    case 'restart':
      handle.settle('dropped', { injected: true });
      res.destroy();
      deps.restart(fault.seconds);
      return;
    case 'hang':
      // Never answer; the socket stays open until the client gives up or the server closes.
      handle.settle('hang', { injected: true });
      return;
    case 'fail': {
      const f: ZopeFault =
        fault.message === undefined && fault.exception === 'NotFound'
          ? notFoundFault(describeTarget(root, target), target.method)
          : zopeFault(fault.exception, fault.message ?? `injected failure of ${target.object}.${target.method}`);
      handle.settle('fault', { faultString: f.faultString, injected: true });
      sendXml(res, serializeFault(f));
      return;
    }
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
