// chat.* methods. Handlers return the success body (without `ok`) or throw ApiError; the
// dispatcher in web-api.ts adds auth, scopes, faults, rate limits and recording around them.
import { ApiError } from './api-error.js';
import { parseContent, requireSomething } from './content.js';
import { asString, type JsonObject } from './json.js';
import { currentVersion, toSlackMessage, type StoredMessage } from './message-store.js';
import { messageLimits, type FakeState } from './state.js';

type Params = Readonly<Record<string, unknown>>;

export function postMessage(state: FakeState, params: Params): JsonObject {
  const { workspace, store } = state;
  const channel = workspace.postableChannel(params['channel']);
  const content = parseContent(params, messageLimits(state));
  requireSomething(content);
  const threadTs = asString(params['thread_ts']);
  const message = store.add({
    kind: 'message',
    channel: channel.id,
    ts: state.tsClock.next(),
    user: workspace.botUserId,
    botId: workspace.botId,
    ...(threadTs ? { threadTs } : {}),
    text: content.text ?? '',
    blocks: content.blocks ?? [],
    attachments: content.attachments ?? [],
    via: 'chat.postMessage',
  });
  return { channel: channel.id, ts: message.ts, message: slackMessage(state, message) };
}

export function update(state: FakeState, params: Params): JsonObject {
  const { channel, message } = ownMessage(state, params, 'ts', 'cant_update_message');
  const content = parseContent(params, messageLimits(state));
  if (content.text === undefined && content.blocks === undefined && content.attachments === undefined) {
    throw new ApiError('no_text');
  }
  state.store.edit(message, { ...content, via: 'chat.update' });
  return { channel, ts: message.ts, text: currentVersion(message).text, message: slackMessage(state, message) };
}

export function postEphemeral(state: FakeState, params: Params): JsonObject {
  const { workspace } = state;
  const channel = workspace.postableChannel(params['channel']);
  const userId = asString(params['user']) ?? '';
  const user = workspace.users.get(userId);
  if (!user || user.deleted) throw new ApiError('user_not_found');
  if (!channel.members.has(userId)) throw new ApiError('user_not_in_channel');
  const content = parseContent(params, messageLimits(state));
  requireSomething(content);
  const threadTs = asString(params['thread_ts']);
  const message = state.store.add({
    kind: 'ephemeral',
    channel: channel.id,
    ts: state.tsClock.next(),
    user: workspace.botUserId,
    botId: workspace.botId,
    recipient: userId,
    ...(threadTs ? { threadTs } : {}),
    text: content.text ?? '',
    blocks: content.blocks ?? [],
    attachments: content.attachments ?? [],
    via: 'chat.postEphemeral',
  });
  return { message_ts: message.ts };
}

export function deleteMessage(state: FakeState, params: Params): JsonObject {
  const { channel, message } = ownMessage(state, params, 'ts', 'cant_delete_message');
  message.deleted = true;
  return { channel, ts: message.ts };
}

export function getPermalink(state: FakeState, params: Params): JsonObject {
  const channel = state.workspace.visibleChannel(params['channel']);
  const ts = asString(params['message_ts']) ?? '';
  const message = state.store.find(channel.id, ts);
  if (!message || message.deleted) throw new ApiError('message_not_found');
  const permalink = `https://${state.workspace.teamDomain}.slack.com/archives/${channel.id}/p${ts.replace('.', '')}`;
  return { channel: channel.id, permalink };
}

/** The bot may only edit or delete its own, still existing channel messages (never ephemerals). */
function ownMessage(state: FakeState, params: Params, tsField: string, notOwnError: string): { channel: string; message: StoredMessage } {
  const channel = state.workspace.visibleChannel(params['channel']);
  if (channel.isArchived) throw new ApiError('is_archived');
  const message = state.store.find(channel.id, asString(params[tsField]) ?? '');
  if (!message || message.deleted) throw new ApiError('message_not_found');
  if (message.user !== state.workspace.botUserId) throw new ApiError(notOwnError);
  return { channel: channel.id, message };
}

function slackMessage(state: FakeState, message: StoredMessage): JsonObject {
  return toSlackMessage(message, state.workspace.appId, state.workspace.teamId);
}
