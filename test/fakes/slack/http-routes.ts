// The fake's HTTP surface on one port: the Web API, response_url endpoints, and the WebSocket
// upgrade for Socket Mode. Nothing is logged: bodies and headers carry tokens.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { isRecord } from './json.js';
import { parseParams, readBody } from './request-body.js';
import type { ResponseUrls } from './response-urls.js';
import type { SocketModeServer } from './socket-mode.js';
import type { FakeState } from './state.js';
import { handleApiCall } from './web-api.js';

export function attachRoutes(server: Server, state: FakeState, responseUrls: ResponseUrls, socket: SocketModeServer): void {
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    route(req, res, state, responseUrls).catch((error: unknown) => {
      // Internal bugs of the fake surface as 500s plus a recorded call, never as console output.
      state.calls.push({
        method: `internal_error ${req.url ?? ''}`,
        params: { message: error instanceof Error ? error.message : String(error) },
        tokenKind: 'none',
        time: state.now(),
        status: 500,
        ok: false,
        error: 'fake_internal_error',
      });
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('fake_internal_error');
    });
  });
  server.on('upgrade', (req, duplex, head: Buffer) => socket.handleUpgrade(req, duplex, head));
}

async function route(req: IncomingMessage, res: ServerResponse, state: FakeState, responseUrls: ResponseUrls): Promise<void> {
  const { pathname } = new URL(req.url ?? '/', 'http://fake');
  if (req.method === 'POST' && pathname.startsWith('/api/')) {
    const method = pathname.slice('/api/'.length);
    const params = parseParams(await readBody(req), req.headers['content-type']);
    const answer = params
      ? await handleApiCall(state, method, params, req.headers.authorization)
      : { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ok: false, error: 'invalid_form_data' }) };
    res.writeHead(answer.status, answer.headers).end(answer.body);
    return;
  }
  if (req.method === 'POST' && pathname.startsWith('/response/')) {
    await respondUrl(req, res, state, responseUrls, pathname.slice('/response/'.length));
    return;
  }
  res.writeHead(404, { 'content-type': 'text/plain' }).end('not_found');
}

/** response_url posts are recorded as calls of method 'response_url' and accept injected faults. */
async function respondUrl(req: IncomingMessage, res: ServerResponse, state: FakeState, responseUrls: ResponseUrls, id: string): Promise<void> {
  const raw = await readBody(req);
  const time = state.now();
  let params: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(raw);
    params = isRecord(parsed) ? parsed : { body: parsed };
  } catch {
    params = { raw };
  }
  const fault = state.faults.take('response_url', params);
  if (fault?.delayMs) await sleep(fault.delayMs);
  const answer =
    fault?.status !== undefined
      ? { status: fault.status, body: `fake Slack injected HTTP ${fault.status}` }
      : fault?.error !== undefined
        ? { status: 404, body: fault.error }
        : responseUrls.handle(id, raw);
  let error: string | undefined;
  if (answer.status !== 200) {
    try {
      const parsed: unknown = JSON.parse(answer.body);
      error = isRecord(parsed) && typeof parsed['error'] === 'string' ? parsed['error'] : answer.body;
    } catch {
      error = answer.body;
    }
  }
  state.calls.push({ method: 'response_url', params, tokenKind: 'none', time, status: answer.status, ok: answer.status === 200, ...(error ? { error } : {}) });
  const json = answer.body.startsWith('{');
  res.writeHead(answer.status, { 'content-type': json ? 'application/json; charset=utf-8' : 'text/plain' }).end(answer.body);
}
