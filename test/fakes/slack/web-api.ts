// The Web API dispatcher (`POST /api/<method>`): token, faults, scopes and rate limits, then the
// method handler. Like Slack, platform errors are HTTP 200 `{ok:false}`; only throttling (429) and
// injected server faults use other statuses, because that is what @slack/web-api retries on.
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError } from './api-error.js';
import * as chat from './chat-methods.js';
import * as info from './info-methods.js';
import * as modals from './modals.js';
import { snapshot, type JsonObject } from './json.js';
import { bearerToken } from './request-body.js';
import type { FakeState } from './state.js';
import type { ApiCallRecord } from './types.js';

type Params = Readonly<Record<string, unknown>>;
type TokenKind = ApiCallRecord['tokenKind'];

interface MethodSpec {
  readonly token: 'bot' | 'app' | 'any';
  /** apps.connections.open: the app token must come in the Authorization header (§4.1). */
  readonly headerTokenOnly?: boolean;
  readonly scopes?: (state: FakeState, params: Params) => readonly string[];
  readonly handle: (state: FakeState, params: Params, tokenKind: TokenKind) => JsonObject;
}

const needs = (...scopes: string[]) => () => scopes;

const METHODS: Readonly<Record<string, MethodSpec>> = {
  'auth.test': { token: 'any', handle: info.authTest },
  'apps.connections.open': { token: 'app', headerTokenOnly: true, handle: info.connectionsOpen },
  'chat.postMessage': { token: 'bot', scopes: needs('chat:write'), handle: chat.postMessage },
  'chat.update': { token: 'bot', scopes: needs('chat:write'), handle: chat.update },
  'chat.postEphemeral': { token: 'bot', scopes: needs('chat:write'), handle: chat.postEphemeral },
  'chat.delete': { token: 'bot', scopes: needs('chat:write'), handle: chat.deleteMessage },
  'chat.getPermalink': { token: 'bot', handle: chat.getPermalink },
  'users.info': { token: 'bot', scopes: needs('users:read'), handle: info.usersInfo },
  'conversations.info': { token: 'bot', scopes: conversationScopes, handle: info.conversationsInfo },
  'usergroups.users.list': { token: 'bot', scopes: needs('usergroups:read'), handle: info.usergroupUsers },
  'views.open': { token: 'bot', handle: modals.viewsOpen },
  'views.update': { token: 'bot', handle: modals.viewsUpdate },
  'views.publish': { token: 'bot', handle: info.viewsPublish },
};

/** Which read scope conversations.info needs depends on the kind of channel asked about. */
function conversationScopes(state: FakeState, params: Params): readonly string[] {
  const channel = state.workspace.channels.get(String(params['channel'] ?? ''));
  if (!channel) return [];
  return [channel.isIm ? 'im:read' : channel.isPrivate ? 'groups:read' : 'channels:read'];
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export async function handleApiCall(
  state: FakeState,
  method: string,
  rawParams: Record<string, unknown>,
  authorization: string | undefined,
): Promise<ApiResponse> {
  const { token: bodyToken, ...params } = rawParams;
  const headerToken = bearerToken(authorization);
  const tokenKind = state.workspace.tokenKind(headerToken ?? (typeof bodyToken === 'string' ? bodyToken : undefined));
  const time = state.now();
  const answer = await dispatch(state, method, params, tokenKind, headerToken !== undefined);
  const body = typeof answer.body === 'string' ? undefined : answer.body;
  state.calls.push({
    method,
    params: snapshot(params),
    tokenKind,
    time,
    status: answer.status,
    ok: body?.['ok'] === true,
    ...(body && typeof body['error'] === 'string' ? { error: body['error'] } : {}),
    ...(answer.status >= 500 ? { error: `http_${answer.status}` } : {}),
  });
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', ...answer.headers };
  if (tokenKind === 'bot') headers['x-oauth-scopes'] = [...state.workspace.botScopes].join(',');
  return { status: answer.status, headers, body: typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body) };
}

interface Answer {
  readonly status: number;
  readonly body: JsonObject | string;
  readonly headers?: Record<string, string>;
}

const platformError = (error: string, extra: JsonObject = {}): Answer => ({ status: 200, body: { ok: false, error, ...extra } });
const rateLimited = (seconds: number): Answer => ({
  status: 429,
  headers: { 'retry-after': String(seconds) },
  body: { ok: false, error: 'ratelimited' },
});

async function dispatch(state: FakeState, method: string, params: Params, tokenKind: TokenKind, tokenInHeader: boolean): Promise<Answer> {
  const fault = state.faults.take(method, params);
  if (fault?.delayMs) await sleep(fault.delayMs);
  if (fault?.rateLimitedSeconds !== undefined) return rateLimited(fault.rateLimitedSeconds);
  if (fault?.status !== undefined) {
    return { status: fault.status, headers: { 'content-type': 'text/plain' }, body: `fake Slack injected HTTP ${fault.status}` };
  }
  if (fault?.error !== undefined) return platformError(fault.error);

  const spec = METHODS[method];
  if (!spec) return platformError('unknown_method');
  if (tokenKind === 'none' || (spec.headerTokenOnly && !tokenInHeader)) return platformError('not_authed');
  if (tokenKind === 'unknown') return platformError('invalid_auth');
  if (spec.token !== 'any' && spec.token !== tokenKind) return platformError('not_allowed_token_type');
  if (tokenKind === 'bot' && spec.scopes) {
    const missing = spec.scopes(state, params).filter((s) => !state.workspace.botScopes.has(s));
    if (missing.length > 0) {
      return platformError('missing_scope', { needed: missing.join(','), provided: [...state.workspace.botScopes].join(',') });
    }
  }
  const channel = typeof params['channel'] === 'string' ? params['channel'] : undefined;
  const retryAfter = state.rateLimiter.check(method, channel, state.now());
  if (retryAfter !== undefined) return rateLimited(retryAfter);

  try {
    return { status: 200, body: { ok: true, ...spec.handle(state, params, tokenKind) } };
  } catch (error) {
    if (error instanceof ApiError) return platformError(error.code, error.extra);
    throw error;
  }
}
