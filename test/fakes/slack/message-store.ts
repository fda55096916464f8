// Messages and ephemerals, each with its full edit history: progress messages are edited many
// times, and tests need to assert the intermediate states as well as the final one.
import { snapshot, type JsonObject } from './json.js';
import type { FakeMessage, MessageSource, MessageVersion } from './types.js';

export interface StoredMessage {
  readonly kind: 'message' | 'ephemeral';
  readonly channel: string;
  readonly ts: string;
  readonly threadTs?: string;
  readonly user: string;
  readonly botId?: string;
  readonly recipient?: string;
  deleted: boolean;
  readonly history: MessageVersion[];
}

export interface NewMessage {
  readonly kind: 'message' | 'ephemeral';
  readonly channel: string;
  readonly ts: string;
  readonly user: string;
  readonly botId?: string;
  readonly recipient?: string;
  readonly threadTs?: string;
  readonly text: string;
  readonly blocks: readonly JsonObject[];
  readonly attachments: readonly JsonObject[];
  readonly via: MessageSource;
}

export interface MessageEdit {
  readonly text?: string;
  readonly blocks?: readonly JsonObject[];
  readonly attachments?: readonly JsonObject[];
  readonly via: MessageSource;
}

export class MessageStore {
  private readonly all: StoredMessage[] = [];

  constructor(private readonly now: () => number) {}

  add(input: NewMessage): StoredMessage {
    const message: StoredMessage = {
      kind: input.kind,
      channel: input.channel,
      ts: input.ts,
      user: input.user,
      ...(input.botId !== undefined ? { botId: input.botId } : {}),
      ...(input.recipient !== undefined ? { recipient: input.recipient } : {}),
      ...(input.threadTs !== undefined ? { threadTs: input.threadTs } : {}),
      deleted: false,
      history: [this.version(input.text, input.blocks, input.attachments, input.via)],
    };
    this.all.push(message);
    return message;
  }

  /** Fields left out keep their value; Slack's chat.update also retains blocks that are not sent. */
  edit(message: StoredMessage, edit: MessageEdit): void {
    const current = currentVersion(message);
    message.history.push(
      this.version(edit.text ?? current.text, edit.blocks ?? current.blocks, edit.attachments ?? current.attachments, edit.via),
    );
  }

  find(channel: string, ts: string): StoredMessage | undefined {
    return this.all.find((m) => m.kind === 'message' && m.channel === channel && m.ts === ts);
  }

  findEphemeral(channel: string, ts: string, recipient?: string): StoredMessage | undefined {
    return this.all.find(
      (m) => m.kind === 'ephemeral' && m.channel === channel && m.ts === ts && (recipient === undefined || m.recipient === recipient),
    );
  }

  list(filter: (m: StoredMessage) => boolean): StoredMessage[] {
    return this.all.filter(filter);
  }

  clear(): void {
    this.all.length = 0;
  }

  private version(text: string, blocks: readonly JsonObject[], attachments: readonly JsonObject[], via: MessageSource): MessageVersion {
    return { text, blocks: snapshot(blocks), attachments: snapshot(attachments), at: this.now(), via };
  }
}

export function currentVersion(message: StoredMessage): MessageVersion {
  const last = message.history[message.history.length - 1];
  if (!last) throw new Error('fake Slack: message without a version');
  return last;
}

/** The view a test gets: current fields flattened next to the history, deep-copied. */
export function toFakeMessage(message: StoredMessage): FakeMessage {
  const current = currentVersion(message);
  return snapshot({
    kind: message.kind,
    channel: message.channel,
    ts: message.ts,
    ...(message.threadTs !== undefined ? { threadTs: message.threadTs } : {}),
    user: message.user,
    ...(message.botId !== undefined ? { botId: message.botId } : {}),
    ...(message.recipient !== undefined ? { recipient: message.recipient } : {}),
    text: current.text,
    blocks: current.blocks,
    attachments: current.attachments,
    deleted: message.deleted,
    history: message.history,
  });
}

/** The message object Slack embeds in API answers and in block_actions payloads. */
export function toSlackMessage(message: StoredMessage, appId: string, teamId: string): JsonObject {
  const current = currentVersion(message);
  return snapshot({
    type: 'message',
    ...(message.botId !== undefined ? { subtype: 'bot_message', bot_id: message.botId, app_id: appId } : {}),
    user: message.user,
    text: current.text,
    blocks: current.blocks as JsonObject[],
    ...(current.attachments.length > 0 ? { attachments: current.attachments as JsonObject[] } : {}),
    ts: message.ts,
    ...(message.threadTs !== undefined ? { thread_ts: message.threadTs } : {}),
    team: teamId,
    ...(message.history.length > 1 ? { edited: { user: message.user, ts: message.ts } } : {}),
  });
}
