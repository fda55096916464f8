// Message content shared by chat.*, response_url and command acks: one place decides what counts
// as text, how blocks are validated and where text is cut, so all paths behave like one Slack.
import { ApiError } from './api-error.js';
import { validateBlocks } from './block-validation.js';
import { isRecord, parseJsonField, type JsonObject } from './json.js';

/** Slack truncates longer `text` (changelog 2018-04); it does not reject it. */
export const MAX_TEXT_LENGTH = 40_000;
const MAX_ATTACHMENTS = 100;

export interface Content {
  readonly text?: string;
  readonly blocks?: JsonObject[];
  readonly attachments?: JsonObject[];
}

export interface ContentLimits {
  readonly maxBlocks: number;
  readonly textLimit: number | null;
}

/**
 * Decodes and validates text, blocks and attachments. Absent fields stay undefined so chat.update
 * can keep what it is not given. Throws ApiError (invalid_blocks with an `errors` list, …).
 */
export function parseContent(params: Readonly<Record<string, unknown>>, limits: ContentLimits): Content {
  const content: { text?: string; blocks?: JsonObject[]; attachments?: JsonObject[] } = {};
  const text = params['text'];
  if (text !== undefined && text !== null) {
    const asText = typeof text === 'string' ? text : String(text);
    content.text = asText.length > MAX_TEXT_LENGTH ? asText.slice(0, MAX_TEXT_LENGTH) : asText;
  }
  if (params['blocks'] !== undefined && params['blocks'] !== null) content.blocks = parseBlocks(params['blocks'], limits, '');
  if (params['attachments'] !== undefined && params['attachments'] !== null) {
    content.attachments = parseAttachments(params['attachments'], limits);
  }
  return content;
}

/** `no_text`: Slack needs something to show (text, blocks or attachments). */
export function requireSomething(content: Content): void {
  const hasText = content.text !== undefined && content.text.trim() !== '';
  const hasBlocks = (content.blocks?.length ?? 0) > 0;
  const hasAttachments = (content.attachments?.length ?? 0) > 0;
  if (!hasText && !hasBlocks && !hasAttachments) throw new ApiError('no_text');
}

function parseBlocks(raw: unknown, limits: ContentLimits, prefix: string): JsonObject[] {
  const decoded = parseJsonField(raw);
  if (!decoded.ok) throw new ApiError('invalid_blocks_format');
  const result = validateBlocks(decoded.value, limits);
  if (result.ok) return result.blocks;
  const errors = result.errors.map((e) => e.replace('[json-pointer:/blocks', `[json-pointer:${prefix}/blocks`));
  throw new ApiError(result.error, { errors, response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) } });
}

function parseAttachments(raw: unknown, limits: ContentLimits): JsonObject[] {
  const decoded = parseJsonField(raw);
  if (!decoded.ok || !Array.isArray(decoded.value)) throw new ApiError('invalid_attachments');
  if (decoded.value.length > MAX_ATTACHMENTS) throw new ApiError('too_many_attachments');
  decoded.value.forEach((attachment: unknown, i) => {
    if (!isRecord(attachment)) throw new ApiError('invalid_attachments');
    if (attachment['blocks'] !== undefined) parseBlocks(attachment['blocks'], limits, `/attachments/${i}`);
  });
  return decoded.value as JsonObject[];
}
