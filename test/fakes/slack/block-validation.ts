// Block Kit validation with Slack's limits (§6.2). Real Slack rejects an oversized or malformed
// block with `invalid_blocks` and an `errors` list of "<what> [json-pointer:<where>]"; the fake
// mirrors that so a rendering bug fails the e2e test with the exact offending path.
import { isRecord, type JsonObject } from './json.js';

export type BlocksResult =
  | { readonly ok: true; readonly blocks: JsonObject[] }
  | { readonly ok: false; readonly error: 'invalid_blocks' | 'invalid_blocks_format' | 'msg_blocks_too_long'; readonly errors: string[] };

export interface BlockLimits {
  /** 50 in messages, 100 in modals and Home tabs. */
  readonly maxBlocks: number;
  /** Cumulative text cap (undocumented `msg_blocks_too_long`); null = off. */
  readonly textLimit: number | null;
}

interface Ctx {
  readonly errors: string[];
  readonly blockIds: Set<string>;
  textTotal: number;
  markdownTotal: number;
  tables: number;
}

const TEXT_TYPES = new Set(['plain_text', 'mrkdwn']);
const STYLES = new Set(['primary', 'danger']);
const INPUT_ELEMENTS = new Set(['plain_text_input', 'static_select', 'multi_static_select', 'users_select', 'conversations_select', 'channels_select', 'checkboxes', 'radio_buttons', 'datepicker', 'timepicker', 'number_input']);
const PASSTHROUGH_BLOCKS = new Set(['divider', 'file', 'video', 'call', 'context_actions']);

export function validateBlocks(raw: unknown, limits: BlockLimits): BlocksResult {
  if (!Array.isArray(raw)) return { ok: false, error: 'invalid_blocks_format', errors: ['must provide an array [json-pointer:/blocks]'] };
  const ctx: Ctx = { errors: [], blockIds: new Set(), textTotal: 0, markdownTotal: 0, tables: 0 };
  if (raw.length > limits.maxBlocks) fail(ctx, '/blocks', `no more than ${limits.maxBlocks} items allowed`);
  raw.forEach((block, i) => checkBlock(ctx, block, `/blocks/${i}`));
  if (ctx.markdownTotal > 12_000) fail(ctx, '/blocks', 'markdown blocks must not exceed 12000 characters in total');
  if (ctx.tables > 1) fail(ctx, '/blocks', 'only_one_table_allowed');
  if (ctx.errors.length > 0) return { ok: false, error: 'invalid_blocks', errors: ctx.errors };
  if (limits.textLimit !== null && ctx.textTotal > limits.textLimit) {
    return { ok: false, error: 'msg_blocks_too_long', errors: [`block text totals ${ctx.textTotal} characters, over ${limits.textLimit}`] };
  }
  return { ok: true, blocks: raw as JsonObject[] };
}

function fail(ctx: Ctx, path: string, message: string): void {
  ctx.errors.push(`${message} [json-pointer:${path}]`);
}

function checkString(ctx: Ctx, value: unknown, path: string, max: number, required = true): void {
  if (value === undefined && !required) return;
  if (typeof value !== 'string') return fail(ctx, path, 'must be a string');
  if (value.length === 0) return fail(ctx, path, 'must be more than 0 characters');
  if (value.length > max) fail(ctx, path, `must be less than ${max + 1} characters`);
}

function checkText(ctx: Ctx, value: unknown, path: string, max: number, opts: { plainOnly?: boolean; required?: boolean } = {}): void {
  if (value === undefined && opts.required === false) return;
  if (!isRecord(value)) return fail(ctx, path, 'must provide an object');
  const type = value['type'];
  if (typeof type !== 'string' || !TEXT_TYPES.has(type)) return fail(ctx, `${path}/type`, 'must be plain_text or mrkdwn');
  if (opts.plainOnly && type !== 'plain_text') return fail(ctx, `${path}/type`, 'must be plain_text');
  checkString(ctx, value['text'], `${path}/text`, max);
  if (typeof value['text'] === 'string') ctx.textTotal += value['text'].length;
}

function checkArray(ctx: Ctx, value: unknown, path: string, min: number, max: number): unknown[] {
  if (!Array.isArray(value)) {
    fail(ctx, path, 'must provide an array');
    return [];
  }
  if (value.length < min) fail(ctx, path, `must provide at least ${min} items`);
  if (value.length > max) fail(ctx, path, `no more than ${max} items allowed`);
  return value;
}

function checkConfirm(ctx: Ctx, value: unknown, path: string): void {
  if (value === undefined) return;
  if (!isRecord(value)) return fail(ctx, path, 'must provide an object');
  checkText(ctx, value['title'], `${path}/title`, 100, { plainOnly: true });
  checkText(ctx, value['text'], `${path}/text`, 300);
  checkText(ctx, value['confirm'], `${path}/confirm`, 30, { plainOnly: true });
  checkText(ctx, value['deny'], `${path}/deny`, 30, { plainOnly: true });
  if (value['style'] !== undefined && !STYLES.has(String(value['style']))) fail(ctx, `${path}/style`, 'must be primary or danger');
}

function checkElement(ctx: Ctx, el: unknown, path: string, actionIds: Set<string>): void {
  if (!isRecord(el)) return fail(ctx, path, 'must provide an object');
  const type = el['type'];
  if (typeof type !== 'string') return fail(ctx, `${path}/type`, 'must provide a type');
  if (type === 'image') {
    checkString(ctx, el['alt_text'], `${path}/alt_text`, 2000);
    return;
  }
  if (el['action_id'] !== undefined) {
    checkString(ctx, el['action_id'], `${path}/action_id`, 255);
    const id = String(el['action_id']);
    if (actionIds.has(id)) fail(ctx, `${path}/action_id`, `duplicate action_id "${id}" in block`);
    actionIds.add(id);
  }
  checkConfirm(ctx, el['confirm'], `${path}/confirm`);
  if (type === 'button') {
    checkText(ctx, el['text'], `${path}/text`, 75, { plainOnly: true });
    checkString(ctx, el['value'], `${path}/value`, 2000, false);
    checkString(ctx, el['url'], `${path}/url`, 3000, false);
    checkString(ctx, el['accessibility_label'], `${path}/accessibility_label`, 75, false);
    if (el['style'] !== undefined && !STYLES.has(String(el['style']))) fail(ctx, `${path}/style`, 'must be primary or danger');
  } else {
    checkText(ctx, el['placeholder'], `${path}/placeholder`, 150, { plainOnly: true, required: false });
  }
  if (type === 'static_select') checkSelect(ctx, el, path);
  if (type === 'plain_text_input') {
    const max = el['max_length'];
    if (max !== undefined && (typeof max !== 'number' || max < 1 || max > 3000)) fail(ctx, `${path}/max_length`, 'must be between 1 and 3000');
    checkString(ctx, el['initial_value'], `${path}/initial_value`, typeof max === 'number' ? max : 3000, false);
  }
}

/** A static select: 1–100 options of plain text (75) and value (150); an initial option must be one of them. */
function checkSelect(ctx: Ctx, el: Record<string, unknown>, path: string): void {
  const options = checkArray(ctx, el['options'], `${path}/options`, 1, 100);
  const values = new Set<string>();
  options.forEach((option, i) => {
    if (!isRecord(option)) return fail(ctx, `${path}/options/${i}`, 'must provide an object');
    checkText(ctx, option['text'], `${path}/options/${i}/text`, 75, { plainOnly: true });
    checkString(ctx, option['value'], `${path}/options/${i}/value`, 150);
    values.add(String(option['value']));
  });
  const initial = el['initial_option'];
  if (initial === undefined) return;
  if (!isRecord(initial) || !values.has(String(initial['value']))) fail(ctx, `${path}/initial_option`, 'must match one of the provided options');
}

function checkBlock(ctx: Ctx, block: unknown, path: string): void {
  if (!isRecord(block)) return fail(ctx, path, 'must provide an object');
  const type = block['type'];
  if (typeof type !== 'string') return fail(ctx, `${path}/type`, 'must provide a type');
  if (block['block_id'] !== undefined) {
    checkString(ctx, block['block_id'], `${path}/block_id`, 255);
    const id = String(block['block_id']);
    if (ctx.blockIds.has(id)) fail(ctx, `${path}/block_id`, `duplicate block_id "${id}"`);
    ctx.blockIds.add(id);
  }
  const actionIds = new Set<string>();
  switch (type) {
    case 'section': {
      if (block['text'] === undefined && block['fields'] === undefined) fail(ctx, path, 'must provide text or fields');
      checkText(ctx, block['text'], `${path}/text`, 3000, { required: false });
      if (block['fields'] !== undefined) {
        checkArray(ctx, block['fields'], `${path}/fields`, 1, 10).forEach((f, i) => checkText(ctx, f, `${path}/fields/${i}`, 2000));
      }
      if (block['accessory'] !== undefined) checkElement(ctx, block['accessory'], `${path}/accessory`, actionIds);
      return;
    }
    case 'header':
      return checkText(ctx, block['text'], `${path}/text`, 150, { plainOnly: true });
    case 'actions':
      checkArray(ctx, block['elements'], `${path}/elements`, 1, 25).forEach((el, i) => checkElement(ctx, el, `${path}/elements/${i}`, actionIds));
      return;
    case 'context':
      checkArray(ctx, block['elements'], `${path}/elements`, 1, 10).forEach((el, i) => {
        if (isRecord(el) && el['type'] === 'image') checkElement(ctx, el, `${path}/elements/${i}`, actionIds);
        else checkText(ctx, el, `${path}/elements/${i}`, 3000);
      });
      return;
    case 'image':
      checkString(ctx, block['alt_text'], `${path}/alt_text`, 2000);
      checkText(ctx, block['title'], `${path}/title`, 2000, { plainOnly: true, required: false });
      return;
    case 'markdown':
      checkString(ctx, block['text'], `${path}/text`, 12_000);
      if (typeof block['text'] === 'string') ctx.markdownTotal += block['text'].length;
      return;
    case 'rich_text':
      checkArray(ctx, block['elements'], `${path}/elements`, 1, Number.MAX_SAFE_INTEGER);
      return;
    case 'table':
    case 'data_table':
      return checkTable(ctx, block, path);
    case 'input': {
      checkText(ctx, block['label'], `${path}/label`, 2000, { plainOnly: true });
      checkText(ctx, block['hint'], `${path}/hint`, 2000, { plainOnly: true, required: false });
      for (const flag of ['optional', 'dispatch_action']) {
        if (block[flag] !== undefined && typeof block[flag] !== 'boolean') fail(ctx, `${path}/${flag}`, 'must be a boolean');
      }
      const element = block['element'];
      if (isRecord(element) && !INPUT_ELEMENTS.has(String(element['type']))) fail(ctx, `${path}/element/type`, `"${String(element['type'])}" cannot be used in an input block`);
      return checkElement(ctx, element, `${path}/element`, actionIds);
    }
    default:
      if (!PASSTHROUGH_BLOCKS.has(type)) fail(ctx, `${path}/type`, `unsupported block type "${type}"`);
  }
}

function checkTable(ctx: Ctx, block: Record<string, unknown>, path: string): void {
  ctx.tables += 1;
  const rows = checkArray(ctx, block['rows'], `${path}/rows`, 1, block['type'] === 'data_table' ? 101 : 100);
  rows.forEach((row, i) => checkArray(ctx, row, `${path}/rows/${i}`, 1, 20));
  if (block['column_settings'] !== undefined) checkArray(ctx, block['column_settings'], `${path}/column_settings`, 0, 20);
}

/** All buttons of a message, in display order, so drivers and tests can find what a user could click. */
export function listButtons(blocks: readonly JsonObject[]): Array<{ blockId: string; actionId: string; element: JsonObject }> {
  const found: Array<{ blockId: string; actionId: string; element: JsonObject }> = [];
  blocks.forEach((block, index) => {
    // Slack fills in missing ids; ours are deterministic so tests can still address the button.
    const blockId = typeof block['block_id'] === 'string' ? block['block_id'] : `fake-block-${index}`;
    const elements = block['type'] === 'actions' && Array.isArray(block['elements']) ? block['elements'] : [block['accessory']];
    for (const el of elements) {
      if (isRecord(el) && el['type'] === 'button' && typeof el['action_id'] === 'string') {
        found.push({ blockId, actionId: el['action_id'], element: el as JsonObject });
      }
    }
  });
  return found;
}
