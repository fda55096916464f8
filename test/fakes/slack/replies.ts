// Replies that Slack applies on the app's behalf: bodies POSTed to a response_url and the message a
// slash command's acknowledgement may carry. Both share the rules (§1.3): ephemeral by default,
// `in_channel` posts to the channel, `replace_original` / `delete_original` act on the original.
import { ApiError } from './api-error.js';
import { parseContent, requireSomething } from './content.js';
import { asBoolean, asString, isRecord } from './json.js';
import type { StoredMessage } from './message-store.js';
import { messageLimits, type FakeState } from './state.js';

export interface ReplyTarget {
  readonly kind: 'message' | 'ephemeral';
  readonly channel: string;
  readonly ts: string;
}

/** Where a reply lands: the channel and user of the payload, and the message it came from (if any). */
export interface ReplyContext {
  readonly channel: string;
  readonly user: string;
  /** For a button click: the clicked message. For a command: the last reply posted for it. */
  target?: ReplyTarget;
  /** Commands: each reply becomes the target of a later replace_original; clicks keep their message. */
  readonly followLastReply: boolean;
}

export type ReplyResult =
  | { readonly ok: true; readonly message?: StoredMessage }
  | { readonly ok: false; readonly status: number; readonly error: string; readonly errors?: readonly string[] };

export function applyReply(state: FakeState, context: ReplyContext, body: unknown, via: 'response_url' | 'command_ack'): ReplyResult {
  if (!isRecord(body)) return { ok: false, status: 400, error: 'invalid_payload' };
  try {
    if (asBoolean(body['delete_original'])) {
      const original = findTarget(state, context);
      original.deleted = true;
      return { ok: true, message: original };
    }
    const content = parseContent(body, messageLimits(state));
    requireSomething(content);
    if (asBoolean(body['replace_original'])) {
      const original = findTarget(state, context);
      state.store.edit(original, { ...content, via });
      return { ok: true, message: original };
    }
    const inChannel = body['response_type'] === 'in_channel';
    const threadTs = asString(body['thread_ts']);
    const message = state.store.add({
      kind: inChannel ? 'message' : 'ephemeral',
      channel: context.channel,
      ts: state.tsClock.next(),
      user: state.workspace.botUserId,
      botId: state.workspace.botId,
      ...(inChannel ? {} : { recipient: context.user }),
      ...(threadTs ? { threadTs } : {}),
      text: content.text ?? '',
      blocks: content.blocks ?? [],
      attachments: content.attachments ?? [],
      via,
    });
    if (context.followLastReply) context.target = { kind: message.kind, channel: message.channel, ts: message.ts };
    return { ok: true, message };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const errors = error.extra['errors'];
    return {
      ok: false,
      status: error.code === 'message_not_found' ? 404 : 400,
      error: error.code,
      ...(Array.isArray(errors) ? { errors: errors.map(String) } : {}),
    };
  }
}

function findTarget(state: FakeState, context: ReplyContext): StoredMessage {
  const target = context.target;
  const message = !target
    ? undefined
    : target.kind === 'message'
      ? state.store.find(target.channel, target.ts)
      : state.store.findEphemeral(target.channel, target.ts, context.user);
  if (!message || message.deleted) throw new ApiError('message_not_found');
  return message;
}
