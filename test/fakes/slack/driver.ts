// What a user does in Slack, delivered to the bot: a slash command or a button click, over HTTP
// (signed form posts) or over the Socket Mode connection. Every delivery is timed against the 3 s
// ack deadline and recorded; a command's ack body becomes a reply, as in Slack.
import { postToBot } from './http-delivery.js';
import { randomHex } from './ids.js';
import { isRecord } from './json.js';
import { blockActionsPayload, slashCommandPayload } from './payloads.js';
import type { ResponseUrls } from './response-urls.js';
import { slackDeliveryHeaders } from './signing.js';
import type { SocketModeServer } from './socket-mode.js';
import type { FakeState } from './state.js';
import type { ClickButtonInput, DeliveryMode, EventInput, DeliveryOutcome, DeliveryRecord, DeliveryResult, FakeMessage, SlashCommandInput, TamperOptions } from './types.js';

export interface DriverDeps {
  readonly state: FakeState;
  readonly responseUrls: ResponseUrls;
  readonly socket: SocketModeServer;
  readonly requestUrl: () => string | undefined;
  readonly ackTimeoutMs: number;
  readonly httpGraceMs: number;
}

export interface Transport {
  readonly via: DeliveryMode;
  readonly status: number;
  readonly body: string;
  readonly ackPayload?: unknown;
  readonly envelopeId?: string;
  readonly elapsedMs: number;
  readonly outcome: DeliveryOutcome;
}

export async function slashCommand(deps: DriverDeps, input: SlashCommandInput): Promise<DeliveryResult> {
  const { state } = deps;
  const channel = state.workspace.requireChannel(input.channel);
  state.workspace.requireUser(input.user);
  const responseUrl = deps.responseUrls.mint(channel.id, input.user, undefined, 'command');
  const triggerId = state.triggers.mint(input.user);
  const payload = slashCommandPayload(state.workspace, input, { responseUrl: responseUrl.url, triggerId });
  const at = state.now();
  const result = await transport(deps, input, 'slash_commands', payload, new URLSearchParams(payload).toString());
  let reply: { message?: FakeMessage; error?: string } = {};
  // Slack shows the ack body only if it came in time; after a timeout the user sees an error instead.
  if (result.outcome === 'ok' && hasMessageContent(result.ackPayload)) reply = deps.responseUrls.replyFromAck(responseUrl.id, result.ackPayload);
  return record(deps, { kind: 'slash_command', payload, responseUrl: responseUrl.url, triggerId, at }, result, reply);
}

export async function clickButton(deps: DriverDeps, input: ClickButtonInput): Promise<DeliveryResult> {
  const { state } = deps;
  const user = state.workspace.requireUser(input.user);
  const channel = state.workspace.requireChannel(input.channel);
  const message = state.store.find(channel.id, input.messageTs) ?? state.store.findEphemeral(channel.id, input.messageTs, user.id);
  if (!message || message.deleted) {
    throw new Error(`fake Slack: no message ${input.messageTs} visible to ${user.id} in ${channel.id}`);
  }
  const target = { kind: message.kind, channel: channel.id, ts: message.ts };
  const responseUrl = deps.responseUrls.mint(channel.id, user.id, target, 'action');
  const triggerId = state.triggers.mint(user.id);
  const ids = { responseUrl: responseUrl.url, triggerId };
  const payload = blockActionsPayload(state.workspace, input, { user, channel, message }, ids, state.tsClock.next());
  const at = state.now();
  const form = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const result = await transport(deps, input, 'interactive', payload, form);
  return record(deps, { kind: 'block_actions', payload, responseUrl: responseUrl.url, triggerId, at }, result, {});
}

export interface DeliveryBase {
  readonly kind: DeliveryRecord['kind'];
  readonly payload: Record<string, unknown>;
  readonly responseUrl: string;
  readonly triggerId: string;
  readonly at: number;
}

export function record(deps: DriverDeps, base: DeliveryBase, t: Transport, reply: { message?: FakeMessage; error?: string }): DeliveryResult {
  const entry: DeliveryRecord = {
    ...base,
    via: t.via,
    status: t.status,
    elapsedMs: t.elapsedMs,
    outcome: t.outcome,
    ...(t.envelopeId !== undefined ? { envelopeId: t.envelopeId } : {}),
    ...(t.ackPayload !== undefined ? { ackPayload: t.ackPayload } : {}),
  };
  deps.state.deliveries.push(entry);
  return {
    ...structuredClone(entry),
    body: t.body,
    ...(reply.message ? { reply: reply.message } : {}),
    ...(reply.error ? { replyError: reply.error } : {}),
  };
}

export async function transport(
  deps: DriverDeps,
  input: TamperOptions & { via?: DeliveryMode },
  type: 'slash_commands' | 'interactive' | 'events_api',
  payload: Record<string, unknown>,
  form: string,
): Promise<Transport> {
  const via = input.via ?? (deps.socket.isConnected() ? 'socket' : 'http');
  if (via === 'socket') {
    const ack = await deps.socket.deliver(type, payload, deps.ackTimeoutMs, (envelopeId, lateMs) => markLate(deps, envelopeId, lateMs));
    return {
      via,
      status: ack.acked ? 200 : 0,
      body: ack.acked ? JSON.stringify(ack.payload ?? null) : '',
      ...(ack.acked ? { ackPayload: ack.payload } : {}),
      envelopeId: ack.envelopeId,
      elapsedMs: ack.elapsedMs,
      outcome: ack.acked ? 'ok' : 'operation_timeout',
    };
  }
  const url = deps.requestUrl();
  if (!url) throw new Error('fake Slack: no delivery target; call setRequestUrl() for HTTP mode or start a Socket Mode app');
  const headers = slackDeliveryHeaders(deps.state.workspace.signingSecret, form, input);
  // The Events API posts JSON (§1.1), commands and interactions a form.
  if (type === 'events_api') headers['content-type'] = 'application/json';
  const answer = await postToBot(url, headers, form, deps.ackTimeoutMs + deps.httpGraceMs);
  const outcome: DeliveryOutcome =
    answer.elapsedMs > deps.ackTimeoutMs ? 'operation_timeout' : answer.status === 200 ? 'ok' : 'dispatch_failed';
  const ackPayload = parseAckBody(answer.body, answer.contentType);
  return { via, status: answer.status, body: answer.body, elapsedMs: answer.elapsedMs, outcome, ...(ackPayload !== undefined ? { ackPayload } : {}) };
}

/** HTTP acks: a JSON body is a message; a plain-text body is the reply text (§1.2). */
function parseAckBody(body: string, contentType: string): unknown {
  if (body === '') return undefined;
  if (contentType.includes('json')) {
    try {
      return JSON.parse(body) as unknown;
    } catch {
      return undefined;
    }
  }
  return { text: body };
}

function hasMessageContent(payload: unknown): boolean {
  return isRecord(payload) && (payload['text'] !== undefined || payload['blocks'] !== undefined || payload['attachments'] !== undefined);
}

function markLate(deps: DriverDeps, envelopeId: string, lateAckMs: number): void {
  const list = deps.state.deliveries;
  const index = list.findIndex((d) => d.envelopeId === envelopeId);
  const entry = list[index];
  if (entry) list[index] = { ...entry, lateAckMs };
}

/**
 * An Events API delivery (`event_callback`): JSON over HTTP, an `events_api` envelope in Socket
 * Mode. Slack acks it with an empty body; what the bot does shows in its API calls.
 */
export async function deliverEvent(deps: DriverDeps, input: EventInput): Promise<DeliveryResult> {
  const { state } = deps;
  const ws = state.workspace;
  const eventId = `Ev${randomHex(5).toUpperCase()}`;
  const payload: Record<string, unknown> = {
    token: ws.verificationToken,
    team_id: input.teamId ?? ws.teamId,
    api_app_id: ws.appId,
    event: input.event,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(state.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: ws.teamId, user_id: ws.botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
  const at = state.now();
  const result = await transport(deps, input, 'events_api', payload, JSON.stringify(payload));
  return record(deps, { kind: 'event', payload, responseUrl: '', triggerId: eventId, at }, result, {});
}
