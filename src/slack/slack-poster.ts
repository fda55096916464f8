import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { Redactor } from '../logging/redact.js';
import { redactDeep } from '../logging/redact.js';
import type { RenderedMessage } from './render-blocks.js';

/** The few Web API calls the bot makes, as a port; everything that leaves goes through redaction. */
export interface SlackPoster {
  post(channel: string, message: RenderedMessage, threadTs?: string): Promise<string>;
  update(channel: string, ts: string, message: RenderedMessage): Promise<void>;
  ephemeral(channel: string, user: string, message: RenderedMessage): Promise<void>;
}

/** Told of every failed call, for the Slack API error metric. */
export type SlackErrorObserver = (method: string, error: string) => void;

export function createSlackPoster(client: WebClient, redact: Redactor, onError: SlackErrorObserver = () => undefined): SlackPoster {
  // Our renderer builds plain objects within Block Kit's limits; the SDK's block union is too
  // wide to construct ergonomically, so the cast happens once, here.
  const clean = (message: RenderedMessage): { text: string; blocks: KnownBlock[] } => {
    const safe = redactDeep(message, redact);
    return { text: safe.text, blocks: safe.blocks as unknown as KnownBlock[] };
  };
  const observed = async <T>(method: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      onError(method, errorCode(error));
      throw error;
    }
  };
  return {
    async post(channel, message, threadTs) {
      const { text, blocks } = clean(message);
      const result = await observed('chat.postMessage', () => client.chat.postMessage({ channel, text, blocks, ...(threadTs ? { thread_ts: threadTs } : {}) }));
      return String(result.ts ?? '');
    },
    async update(channel, ts, message) {
      const { text, blocks } = clean(message);
      await observed('chat.update', () => client.chat.update({ channel, ts, text, blocks }));
    },
    async ephemeral(channel, user, message) {
      const { text, blocks } = clean(message);
      await observed('chat.postEphemeral', () => client.chat.postEphemeral({ channel, user, text, blocks }));
    },
  };
}

/** Slack's own error code (not_in_channel, ratelimited, …) or the SDK's, never a message text. */
function errorCode(error: unknown): string {
  const e = error as { data?: { error?: unknown }; code?: unknown; statusCode?: unknown };
  if (typeof e.data?.error === 'string') return e.data.error;
  if (typeof e.statusCode === 'number') return `http_${e.statusCode}`;
  return typeof e.code === 'string' ? e.code : 'error';
}

/**
 * A poster that goes quiet once `quiet()` says so: a replica that lost its executor lock must not
 * edit a progress message after the replica that took over has corrected it (PostgreSQL store).
 * What it would have said is the new executor's to say, from the journal; nothing fails loudly.
 */
export function quietWhen(poster: SlackPoster, quiet: () => boolean): SlackPoster {
  return {
    post: (channel, message, threadTs) => (quiet() ? Promise.resolve('') : poster.post(channel, message, threadTs)),
    update: (channel, ts, message) => (quiet() ? Promise.resolve() : poster.update(channel, ts, message)),
    ephemeral: (channel, user, message) => poster.ephemeral(channel, user, message),
  };
}
