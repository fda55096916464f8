// response_url endpoints (`POST /response/<id>`): minted per delivered payload, usable 5 times
// within 30 minutes (§1.3). After that Slack answers 404, which Bolt's respond() turns into a
// RespondError, so a bot that leans on response_url for progress updates fails in tests too.
import { randomHex } from './ids.js';
import { applyReply, type ReplyContext, type ReplyTarget } from './replies.js';
import type { FakeState } from './state.js';
import type { FakeMessage } from './types.js';
import { toFakeMessage } from './message-store.js';

export const RESPONSE_URL_MAX_USES = 5;
export const RESPONSE_URL_LIFETIME_MS = 30 * 60 * 1000;

interface Entry {
  readonly createdAt: number;
  uses: number;
  readonly context: ReplyContext;
}

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

export class ResponseUrls {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly state: FakeState,
    private readonly baseUrl: string,
  ) {}

  mint(channel: string, user: string, target: ReplyTarget | undefined, kind: 'command' | 'action'): { id: string; url: string } {
    const id = randomHex(16);
    const context: ReplyContext = { channel, user, followLastReply: kind === 'command', ...(target ? { target } : {}) };
    this.entries.set(id, { createdAt: this.state.now(), uses: 0, context });
    return { id, url: `${this.baseUrl}/response/${id}` };
  }

  /** A command's ack body becomes a reply without spending one of the URL's five uses. */
  replyFromAck(id: string, body: unknown): { message?: FakeMessage; error?: string } {
    const entry = this.entries.get(id);
    if (!entry) return { error: 'unknown_response_url' };
    const result = applyReply(this.state, entry.context, body, 'command_ack');
    if (!result.ok) return { error: result.error };
    return result.message ? { message: toFakeMessage(result.message) } : {};
  }

  handle(id: string, rawBody: string): HttpAnswer {
    const entry = this.entries.get(id);
    if (!entry) return { status: 404, body: 'invalid_url' };
    if (this.state.now() - entry.createdAt > RESPONSE_URL_LIFETIME_MS) return { status: 404, body: 'expired_url' };
    if (entry.uses >= RESPONSE_URL_MAX_USES) return { status: 404, body: 'used_url' };
    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch {
      return { status: 400, body: JSON.stringify({ ok: false, error: 'invalid_payload' }) };
    }
    entry.uses += 1;
    const result = applyReply(this.state, entry.context, body, 'response_url');
    if (!result.ok) {
      return { status: result.status, body: JSON.stringify({ ok: false, error: result.error, ...(result.errors ? { errors: result.errors } : {}) }) };
    }
    return { status: 200, body: JSON.stringify({ ok: true }) };
  }

  clear(): void {
    this.entries.clear();
  }
}
