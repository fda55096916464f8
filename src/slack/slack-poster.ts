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

export function createSlackPoster(client: WebClient, redact: Redactor): SlackPoster {
  // Our renderer builds plain objects within Block Kit's limits; the SDK's block union is too
  // wide to construct ergonomically, so the cast happens once, here.
  const clean = (message: RenderedMessage): { text: string; blocks: KnownBlock[] } => {
    const safe = redactDeep(message, redact);
    return { text: safe.text, blocks: safe.blocks as unknown as KnownBlock[] };
  };
  return {
    async post(channel, message, threadTs) {
      const { text, blocks } = clean(message);
      const result = await client.chat.postMessage({ channel, text, blocks, ...(threadTs ? { thread_ts: threadTs } : {}) });
      return String(result.ts ?? '');
    },
    async update(channel, ts, message) {
      const { text, blocks } = clean(message);
      await client.chat.update({ channel, ts, text, blocks });
    },
    async ephemeral(channel, user, message) {
      const { text, blocks } = clean(message);
      await client.chat.postEphemeral({ channel, user, text, blocks });
    },
  };
}
