// Reading and decoding request bodies the way Slack does: the SDK sends form bodies with objects as
// JSON strings, other clients send JSON; both must end up as the same params object.
import type { IncomingMessage } from 'node:http';
import { isRecord } from './json.js';

const MAX_BODY_BYTES = 5 * 1024 * 1024;
/** Fields that carry JSON inside form bodies; decoded up front so recorded calls are readable. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'metadata', 'view', 'unfurls']);

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Returns undefined for a body that cannot be decoded (Slack answers `invalid_form_data`). */
export function parseParams(raw: string, contentType: string | undefined): Record<string, unknown> | undefined {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json') {
    try {
      const parsed: unknown = raw === '' ? {} : JSON.parse(raw);
      return isRecord(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  if (type !== '' && type !== 'application/x-www-form-urlencoded') return undefined;
  const params: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    params[key] = JSON_FIELDS.has(key) ? tryJson(value) : value;
  }
  return params;
}

function tryJson(value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    // Kept as a string: the method then answers invalid_blocks_format, as Slack would.
    return value;
  }
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}
