// Answering a request through its response_url without Bolt: the executor answers what a standby
// received (request-intake.ts), so it has the URL but not Bolt's respond() for that delivery.
import { redactDeep, type Redactor } from '../logging/redact.js';
import type { Respond } from './slack-deps.js';

/**
 * A respond() for `url`, as Bolt's posts it: the message as JSON. Redacted like every reply. A
 * refusal (Slack answers 404 once the URL is used up or expired) rejects; the URL itself is never
 * in the error, since whoever holds it can post into the channel.
 */
export function responseUrlResponder(url: string, redact: Redactor, fetchImpl: typeof fetch = fetch): Respond {
  return async (message) => {
    const response = await fetchImpl(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(redactDeep(message, redact)),
      signal: AbortSignal.timeout(10_000),
    });
    // Drained so the connection can be reused.
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) throw new Error(`Slack refused the answer through the request's response_url (HTTP ${response.status})`);
  };
}
