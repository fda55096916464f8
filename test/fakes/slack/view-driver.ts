// What a user does in a modal or on their Home tab: pick an option, type, submit, click. Payloads
// are built as Slack sends them (block_actions with a view container, view_submission), delivered
// over HTTP or Socket Mode like every other delivery, and the app's answer to a submission
// (response_action errors, update, clear) is applied to the modal as the Slack client would.
import { record, transport, type DriverDeps } from './driver.js';
import { isRecord, type JsonObject } from './json.js';
import { checkModal, findElement, optionOf, replaceView, viewPayload, type ModalRecord } from './modals.js';
import { listButtons } from './block-validation.js';
import type { DeliveryMode, DeliveryResult, HomeClickInput, TamperOptions, ViewSelectInput, ViewSubmitInput, ViewTypeInput } from './types.js';

function openModal(deps: DriverDeps, viewId: string, user: string): ModalRecord {
  const modal = deps.state.views.find((v) => v.id === viewId);
  if (!modal || !modal.open) throw new Error(`fake Slack: no open modal ${viewId}`);
  if (modal.user !== user) throw new Error(`fake Slack: modal ${viewId} belongs to ${modal.user}, not ${user}`);
  return modal;
}

function userObject(deps: DriverDeps, id: string, teamId: string): JsonObject {
  const user = deps.state.workspace.requireUser(id);
  return { id: user.id, username: user.name, name: user.name, team_id: teamId };
}

export async function selectInView(deps: DriverDeps, input: ViewSelectInput): Promise<DeliveryResult | undefined> {
  const { state } = deps;
  const modal = openModal(deps, input.viewId, input.user);
  const element = findElement(modal.view, input.blockId, input.actionId);
  if (!element || element['type'] !== 'static_select') throw new Error(`fake Slack: modal ${modal.id} has no select ${input.blockId}/${input.actionId}`);
  const option = optionOf(element, input.value);
  if (!option) throw new Error(`fake Slack: the select ${input.blockId}/${input.actionId} has no option '${input.value}'`);
  (modal.values[input.blockId] ??= {})[input.actionId] = input.value;
  const block = (modal.view['blocks'] as JsonObject[]).find((b) => b['block_id'] === input.blockId);
  // A select in an input block sends nothing unless the block dispatches; in an actions block it always does.
  if (block?.['type'] === 'input' && block['dispatch_action'] !== true) return undefined;
  const action = { type: 'static_select', action_id: input.actionId, block_id: input.blockId, selected_option: option, action_ts: state.tsClock.next() };
  return deliverViewAction(deps, input, viewPayload(state, modal), action);
}

export function typeInView(deps: DriverDeps, input: ViewTypeInput): void {
  const modal = openModal(deps, input.viewId, input.user);
  const element = findElement(modal.view, input.blockId, input.actionId);
  if (!element || element['type'] !== 'plain_text_input') throw new Error(`fake Slack: modal ${modal.id} has no text input ${input.blockId}/${input.actionId}`);
  const max = typeof element['max_length'] === 'number' ? element['max_length'] : 3000;
  if (input.text.length > max) throw new Error(`fake Slack: the input ${input.blockId} takes at most ${max} characters (the client stops typing there)`);
  (modal.values[input.blockId] ??= {})[input.actionId] = input.text;
}

export async function submitView(deps: DriverDeps, input: ViewSubmitInput): Promise<DeliveryResult> {
  const { state } = deps;
  const modal = openModal(deps, input.viewId, input.user);
  if (modal.view['submit'] === undefined) throw new Error(`fake Slack: modal ${modal.id} has no Submit button`);
  // The Slack client does not send a submission with a required input left empty.
  for (const block of modal.view['blocks'] as JsonObject[]) {
    if (block['type'] !== 'input' || block['optional'] === true) continue;
    const element = block['element'];
    const actionId = isRecord(element) ? element['action_id'] : undefined;
    const value = typeof block['block_id'] === 'string' && typeof actionId === 'string' ? modal.values[block['block_id']]?.[actionId] : undefined;
    if (value === undefined || value.trim() === '') throw new Error(`fake Slack: the required input ${String(block['block_id'])} of modal ${modal.id} is empty (the client says "This field is required")`);
  }
  const teamId = input.teamId ?? state.workspace.teamId;
  const triggerId = state.triggers.mint(input.user);
  const payload: JsonObject = {
    type: 'view_submission',
    team: { id: teamId, domain: state.workspace.teamDomain },
    user: userObject(deps, input.user, teamId),
    api_app_id: state.workspace.appId,
    token: state.workspace.verificationToken,
    trigger_id: triggerId,
    view: viewPayload(state, modal),
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
  const at = state.now();
  const form = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const result = await transport(deps, input, 'interactive', payload, form);
  if (result.outcome === 'ok') applyResponse(deps, modal, result.ackPayload);
  return record(deps, { kind: 'view_submission', payload, responseUrl: '', triggerId, at }, result, {});
}

/** The app's answer to a submission: errors keep the modal open beside the fields; update replaces it; anything else closes it. */
function applyResponse(deps: DriverDeps, modal: ModalRecord, ack: unknown): void {
  const action = isRecord(ack) ? ack['response_action'] : undefined;
  if (action === 'errors' && isRecord(ack) && isRecord(ack['errors'])) {
    const errors: Record<string, string> = {};
    for (const [blockId, message] of Object.entries(ack['errors'])) {
      if (!(modal.view['blocks'] as JsonObject[]).some((b) => b['block_id'] === blockId && b['type'] === 'input')) {
        throw new Error(`fake Slack: response_action errors names ${blockId}, which is not an input block of modal ${modal.id} (Slack rejects the answer)`);
      }
      errors[blockId] = String(message);
    }
    modal.errors = errors;
    return;
  }
  if (action === 'update' && isRecord(ack)) return replaceView(modal, checkModal(deps.state, ack['view']));
  modal.open = false;
}

export async function clickInHome(deps: DriverDeps, input: HomeClickInput): Promise<DeliveryResult> {
  const { state } = deps;
  const home = state.homes.get(input.user);
  if (!home) throw new Error(`fake Slack: ${input.user} has no Home tab yet`);
  const buttons = listButtons(Array.isArray(home.view['blocks']) ? (home.view['blocks'] as JsonObject[]) : []);
  const button = buttons.find((b) => b.actionId === input.actionId && (input.blockId === undefined || b.blockId === input.blockId));
  if (!button) throw new Error(`fake Slack: the Home tab of ${input.user} has no button ${input.actionId}; buttons: ${buttons.map((b) => `${b.blockId}/${b.actionId}`).join(', ') || 'none'}`);
  const action: JsonObject = {
    type: 'button',
    action_id: input.actionId,
    block_id: button.blockId,
    text: button.element['text'] ?? { type: 'plain_text', text: '' },
    ...(button.element['value'] !== undefined ? { value: button.element['value'] } : {}),
    action_ts: state.tsClock.next(),
  };
  return deliverViewAction(deps, input, { ...home.view, id: home.id, hash: home.hash, team_id: state.workspace.teamId, state: { values: {} } }, action);
}

/** A block_actions delivery from inside a view (a modal or the Home tab), as Slack sends it. */
async function deliverViewAction(deps: DriverDeps, input: { user: string; teamId?: string; via?: DeliveryMode } & TamperOptions, view: JsonObject, action: JsonObject): Promise<DeliveryResult> {
  const { state } = deps;
  const teamId = input.teamId ?? state.workspace.teamId;
  const triggerId = state.triggers.mint(input.user);
  const payload: JsonObject = {
    type: 'block_actions',
    user: userObject(deps, input.user, teamId),
    api_app_id: state.workspace.appId,
    token: state.workspace.verificationToken,
    container: { type: 'view', view_id: String(view['id']) },
    trigger_id: triggerId,
    team: { id: teamId, domain: state.workspace.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
    view,
    actions: [action],
  };
  const at = state.now();
  const form = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const result = await transport(deps, input, 'interactive', payload, form);
  return record(deps, { kind: 'block_actions', payload, responseUrl: '', triggerId, at }, result, {});
}
