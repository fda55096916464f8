// What a signed Slack delivery must look like before Bolt sees it. Bolt parses the body and then
// reads fields of it without checks: a signed `payload=null` throws inside its receiver, outside
// any listener, and takes the process down. This check refuses every shape Bolt is not built for.
import { parse as parseQuery } from 'node:querystring';

export type PayloadVerdict =
  | { readonly ok: true; readonly kind: 'command' | 'interaction' | 'event' | 'ssl-check' }
  | { readonly ok: false; readonly reason: string; readonly user?: string; readonly channel?: string };

const FORM = 'application/x-www-form-urlencoded';
const ID = /^[A-Z0-9]{2,}$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function idAt(value: unknown, key: string): string | undefined {
  if (!isObject(value)) return undefined;
  const id = value[key];
  return typeof id === 'string' && ID.test(id) ? id : undefined;
}

/** Checks the body as Slack sends it: a form (slash command, or `payload=<json>`), or JSON (events). */
export function checkPayload(contentType: string | undefined, raw: string): PayloadVerdict {
  if (contentType === FORM) return checkForm(raw);
  if (contentType?.split(';')[0]?.trim() === 'application/json') return checkJson(raw);
  return { ok: false, reason: `unexpected content type ${JSON.stringify(contentType ?? '')}` };
}

function checkForm(raw: string): PayloadVerdict {
  const form = parseQuery(raw);
  const repeated = Object.entries(form).filter(([, v]) => Array.isArray(v)).map(([k]) => k);
  if (repeated.length > 0) return { ok: false, reason: `field(s) given more than once: ${repeated.join(', ')}` };
  const field = (name: string): string | undefined => (typeof form[name] === 'string' ? (form[name] as string) : undefined);
  if (field('ssl_check') === '1') return { ok: true, kind: 'ssl-check' };
  const payload = field('payload');
  if (payload !== undefined) return checkInteraction(payload);
  if (field('command') !== undefined) {
    const user = field('user_id');
    const channel = field('channel_id');
    const missing = ['user_id', 'team_id', 'channel_id'].filter((k) => !ID.test(field(k) ?? ''));
    if (field('text') === undefined) missing.push('text');
    if (missing.length > 0) {
      return { ok: false, reason: `slash command without ${missing.join(', ')}`, ...(user ? { user } : {}), ...(channel ? { channel } : {}) };
    }
    return { ok: true, kind: 'command' };
  }
  return { ok: false, reason: 'neither a slash command nor an interaction payload' };
}

function checkInteraction(payload: string): PayloadVerdict {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return { ok: false, reason: 'interaction payload is not JSON' };
  }
  if (!isObject(value)) return { ok: false, reason: `interaction payload is ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}, not an object` };
  if (typeof value['type'] !== 'string') return { ok: false, reason: 'interaction payload without a type' };
  const user = idAt(value['user'], 'id');
  const channel = idAt(value['channel'], 'id');
  const missing = [user ? undefined : 'user.id', idAt(value['team'], 'id') ? undefined : 'team.id'].filter((m) => m !== undefined);
  // A click in a modal or on the Home tab comes with the view it happened in instead of a channel.
  const view = isObject(value['view']) && typeof value['view']['id'] === 'string' ? value['view'] : undefined;
  if (value['type'] === 'block_actions') {
    if (!channel && !view) missing.push('channel.id or view.id');
    if (!Array.isArray(value['actions']) || !value['actions'].every(isObject)) missing.push('actions');
  }
  if (value['type'] === 'view_submission' || value['type'] === 'view_closed') {
    if (!view) missing.push('view.id');
    else if (typeof view['callback_id'] !== 'string') missing.push('view.callback_id');
  }
  if (missing.length > 0) {
    return { ok: false, reason: `interaction payload without ${missing.join(', ')}`, ...(user ? { user } : {}), ...(channel ? { channel } : {}) };
  }
  return { ok: true, kind: 'interaction' };
}

function checkJson(raw: string): PayloadVerdict {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, reason: 'body is not JSON' };
  }
  if (!isObject(value) || typeof value['type'] !== 'string') return { ok: false, reason: 'event body is not an object with a type' };
  return { ok: true, kind: 'event' };
}
