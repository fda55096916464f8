// Modals (§ surfaces/modals): views.open (with a fresh trigger_id), views.update (by view_id, with
// the hash that guards against overwriting a newer view), and what the user has entered so far.
// The fake keeps each modal as the user sees it, so a test can read it, fill it in and submit it.
import { ApiError } from './api-error.js';
import { validateBlocks } from './block-validation.js';
import { randomHex } from './ids.js';
import { isRecord, parseJsonField, type JsonObject } from './json.js';
import { modalLimits, type FakeState } from './state.js';
import type { OpenedView, ViewValues } from './types.js';

type Params = Readonly<Record<string, unknown>>;

/** The fake's own, mutable record of a modal; tests get OpenedView snapshots. */
export interface ModalRecord {
  readonly id: string;
  readonly triggerId: string;
  readonly user: string;
  view: JsonObject;
  hash: string;
  values: Record<string, Record<string, string>>;
  open: boolean;
  errors?: Record<string, string>;
  updates: number;
  readonly at: number;
}

export function viewsOpen(state: FakeState, params: Params): JsonObject {
  const user = state.triggers.userOf(params['trigger_id']);
  const triggerError = state.triggers.consume(params['trigger_id']);
  if (triggerError) throw new ApiError(triggerError);
  const view = checkModal(state, params['view']);
  const record: ModalRecord = {
    id: `V${randomHex(5).toUpperCase()}`,
    triggerId: String(params['trigger_id']),
    user: user ?? '',
    view,
    hash: newHash(),
    values: initialValues(view),
    open: true,
    updates: 0,
    at: state.now(),
  };
  state.views.push(record);
  return { view: viewPayload(state, record) };
}

export function viewsUpdate(state: FakeState, params: Params): JsonObject {
  const record = state.views.find((v) => v.id === params['view_id']);
  if (!record) throw new ApiError('not_found');
  if (!record.open) throw new ApiError('not_found');
  if (params['hash'] !== undefined && params['hash'] !== record.hash) throw new ApiError('hash_conflict');
  replaceView(record, checkModal(state, params['view']));
  return { view: viewPayload(state, record) };
}

/**
 * A new view for an open modal. As in Slack, what the user entered stays where the block and
 * action ids stay the same, whatever the new view's initial option or value (a select keeps it
 * only while the option is still offered); a block with a new id starts from its initial value.
 */
export function replaceView(record: ModalRecord, view: JsonObject): void {
  const kept = initialValues(view);
  for (const [blockId, actions] of Object.entries(record.values)) {
    for (const [actionId, value] of Object.entries(actions)) {
      const element = findElement(view, blockId, actionId);
      if (!element || (element['type'] === 'static_select' && !optionOf(element, value))) continue;
      (kept[blockId] ??= {})[actionId] = value;
    }
  }
  record.view = view;
  record.values = kept;
  record.hash = newHash();
  record.updates += 1;
  delete record.errors;
}

/** Slack's checks of a modal view (§6.2): type, title, submit and close, ids, metadata, blocks. */
export function checkModal(state: FakeState, raw: unknown): JsonObject {
  const decoded = parseJsonField(raw);
  if (!decoded.ok || !isRecord(decoded.value)) throw new ApiError('invalid_arguments');
  const view = decoded.value as JsonObject;
  const errors: string[] = [];
  if (view['type'] !== 'modal') errors.push('must be a modal view [json-pointer:/view/type]');
  for (const [key, required] of [['title', true], ['submit', false], ['close', false]] as const) {
    const field = view[key];
    if (field === undefined && !required) continue;
    const text = isRecord(field) && field['type'] === 'plain_text' ? field['text'] : undefined;
    if (typeof text !== 'string' || text.length === 0 || text.length > 24) errors.push(`${key} must be plain_text of 1-24 characters [json-pointer:/view/${key}]`);
  }
  const blocks = Array.isArray(view['blocks']) ? view['blocks'] : [];
  if (blocks.some((b) => isRecord(b) && b['type'] === 'input') && view['submit'] === undefined) errors.push('a modal with inputs needs submit [json-pointer:/view/submit]');
  if (typeof view['private_metadata'] === 'string' && view['private_metadata'].length > 3000) errors.push('must be less than 3001 characters [json-pointer:/view/private_metadata]');
  if (typeof view['callback_id'] === 'string' && view['callback_id'].length > 255) errors.push('must be less than 256 characters [json-pointer:/view/callback_id]');
  if (errors.length > 0) throw new ApiError('invalid_arguments', { errors });
  const checked = validateBlocks(view['blocks'] ?? [], modalLimits(state));
  if (!checked.ok) throw new ApiError(checked.error, { errors: checked.errors });
  if (JSON.stringify(view).length > 250_000) throw new ApiError('view_too_large');
  return view;
}

/** The view object Slack puts in API answers and in view payloads, with the user's input as state. */
export function viewPayload(state: FakeState, record: Pick<ModalRecord, 'id' | 'view' | 'hash' | 'values'>): JsonObject {
  const ws = state.workspace;
  return {
    ...record.view,
    id: record.id,
    team_id: ws.teamId,
    private_metadata: typeof record.view['private_metadata'] === 'string' ? record.view['private_metadata'] : '',
    callback_id: typeof record.view['callback_id'] === 'string' ? record.view['callback_id'] : '',
    hash: record.hash,
    state: { values: stateValues(record.view, record.values) },
    app_id: ws.appId,
    bot_id: ws.botId,
    root_view_id: record.id,
    previous_view_id: null,
  };
}

/** The element of the block with `blockId` whose action_id is `actionId` (input, section or actions). */
export function findElement(view: JsonObject, blockId: string, actionId: string): JsonObject | undefined {
  const block = (Array.isArray(view['blocks']) ? view['blocks'] : []).find((b) => isRecord(b) && b['block_id'] === blockId);
  if (!isRecord(block)) return undefined;
  const elements = [block['element'], block['accessory'], ...(Array.isArray(block['elements']) ? block['elements'] : [])];
  const found = elements.find((e) => isRecord(e) && e['action_id'] === actionId);
  return isRecord(found) ? (found as JsonObject) : undefined;
}

/** `{ block: { action: { type, selected_option | value } } }` as Slack sends view.state.values. */
function stateValues(view: JsonObject, values: ViewValues): JsonObject {
  const out: JsonObject = {};
  for (const block of Array.isArray(view['blocks']) ? view['blocks'] : []) {
    if (!isRecord(block) || typeof block['block_id'] !== 'string') continue;
    const element = block['type'] === 'input' ? block['element'] : undefined;
    if (!isRecord(element) || typeof element['action_id'] !== 'string') continue;
    const blockId = block['block_id'];
    const actionId = element['action_id'];
    const value = values[blockId]?.[actionId];
    const type = String(element['type']);
    const entry: JsonObject =
      type === 'static_select'
        ? { type, selected_option: value === undefined ? null : (optionOf(element, value) ?? null) }
        : { type, value: value ?? null };
    out[blockId] = { [actionId]: entry };
  }
  return out;
}

export function optionOf(element: JsonObject, value: string): JsonObject | undefined {
  const options = Array.isArray(element['options']) ? element['options'] : [];
  const found = options.find((o) => isRecord(o) && o['value'] === value);
  return isRecord(found) ? (found as JsonObject) : undefined;
}

/** Initial options and values count as entered, as in the Slack client. */
function initialValues(view: JsonObject): Record<string, Record<string, string>> {
  const values: Record<string, Record<string, string>> = {};
  for (const block of Array.isArray(view['blocks']) ? view['blocks'] : []) {
    if (!isRecord(block) || block['type'] !== 'input' || typeof block['block_id'] !== 'string') continue;
    const element = block['element'];
    if (!isRecord(element) || typeof element['action_id'] !== 'string') continue;
    const initial = isRecord(element['initial_option']) ? element['initial_option']['value'] : element['initial_value'];
    if (typeof initial === 'string') values[block['block_id']] = { [element['action_id']]: initial };
  }
  return values;
}

export function snapshotView(record: ModalRecord): OpenedView {
  return structuredClone({ ...record, values: record.values as ViewValues });
}

function newHash(): string {
  return `${Math.floor(Date.now() / 1000)}.${randomHex(4)}`;
}
