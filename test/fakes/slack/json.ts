// Narrowing helpers for the untyped JSON that arrives from the bot under test. The fake must never
// trust shapes it receives: a malformed body is exactly the kind of bug the e2e tests exist to find.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Web API booleans arrive as real booleans (JSON) or as "true"/"1" strings (form bodies). */
export function asBoolean(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1;
}

/**
 * Form bodies carry objects as JSON strings (`blocks=[...]`); JSON bodies carry them as is.
 * Returns `{ ok: false }` when a string is present but is not JSON, so callers can answer
 * `invalid_blocks_format` like Slack does instead of silently dropping the field.
 */
export function parseJsonField(value: unknown): { ok: true; value: unknown } | { ok: false } {
  if (typeof value !== 'string') return { ok: true, value };
  try {
    return { ok: true, value: JSON.parse(value) as unknown };
  } catch {
    return { ok: false };
  }
}

/** Tests get copies so that mutating an assertion fixture can never change the fake's state. */
export function snapshot<T>(value: T): T {
  return structuredClone(value);
}
