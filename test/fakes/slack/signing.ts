// Slack's request signing (§3): v0=hex(HMAC-SHA256(secret, "v0:<ts>:<raw body>")). The fake signs
// exactly the bytes it sends, and can forge on purpose to test the bot's verification.
import { createHmac } from 'node:crypto';
import type { TamperOptions } from './types.js';

export function signSlackRequest(signingSecret: string, timestampSec: number, rawBody: string): string {
  const digest = createHmac('sha256', signingSecret).update(`v0:${timestampSec}:${rawBody}`).digest('hex');
  return `v0=${digest}`;
}

/** The headers Slack sends with an HTTP delivery; exact content type, because Bolt compares it by equality. */
export function slackDeliveryHeaders(signingSecret: string, rawBody: string, tamper: TamperOptions): Record<string, string> {
  const timestampSec = tamper.timestampSec ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    'x-slack-request-timestamp': String(timestampSec),
  };
  const signature = tamper.signature ?? 'valid';
  if (signature === 'valid') headers['x-slack-signature'] = signSlackRequest(signingSecret, timestampSec, rawBody);
  // Same shape as a real signature, made with the wrong key, so only the HMAC check can catch it.
  if (signature === 'wrong') headers['x-slack-signature'] = signSlackRequest(`${signingSecret}-wrong`, timestampSec, rawBody);
  return headers;
}
