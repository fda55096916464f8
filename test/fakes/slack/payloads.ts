// Payloads as Slack sends them (§1.1, §2.2), built from the workspace model and stored messages so
// that a bot which reads an unexpected field fails here the way it would against Slack.
import { listButtons } from './block-validation.js';
import type { JsonObject } from './json.js';
import { currentVersion, toSlackMessage, type StoredMessage } from './message-store.js';
import type { ClickButtonInput, SlashCommandInput } from './types.js';
import type { Workspace, WorkspaceChannel, WorkspaceUser } from './workspace.js';

export interface PayloadIds {
  readonly responseUrl: string;
  readonly triggerId: string;
}

/** Flat string fields: HTTP mode sends them form-encoded, Socket Mode as a JSON object. */
export function slashCommandPayload(ws: Workspace, input: SlashCommandInput, ids: PayloadIds): Record<string, string> {
  const user = ws.requireUser(input.user);
  const channel = ws.requireChannel(input.channel);
  return {
    token: ws.verificationToken,
    team_id: input.teamId ?? ws.teamId,
    team_domain: ws.teamDomain,
    channel_id: channel.id,
    channel_name: channel.isIm ? 'directmessage' : channel.isPrivate ? 'privategroup' : channel.name,
    user_id: user.id,
    user_name: user.name,
    command: input.command ?? '/exa',
    text: input.text,
    api_app_id: ws.appId,
    is_enterprise_install: 'false',
    response_url: ids.responseUrl,
    trigger_id: ids.triggerId,
  };
}

export interface ClickTarget {
  readonly user: WorkspaceUser;
  readonly channel: WorkspaceChannel;
  readonly message: StoredMessage;
}

/**
 * Finds the button a user clicks. Throws (a test bug, not a Slack error) when the message has no
 * such button, listing what it does have.
 */
export function findButton(message: StoredMessage, actionId: string, blockId?: string): { blockId: string; element: JsonObject } {
  const buttons = listButtons(currentVersion(message).blocks);
  const match = buttons.find((b) => b.actionId === actionId && (blockId === undefined || b.blockId === blockId));
  if (!match) {
    const have = buttons.map((b) => `${b.blockId}/${b.actionId}`).join(', ') || 'none';
    throw new Error(`fake Slack: message ${message.ts} has no button ${actionId}; buttons: ${have}`);
  }
  return match;
}

export function blockActionsPayload(ws: Workspace, input: ClickButtonInput, target: ClickTarget, ids: PayloadIds, actionTs: string): JsonObject {
  const { user, channel, message } = target;
  const button = findButton(message, input.actionId, input.blockId);
  const el = button.element;
  const teamId = input.teamId ?? ws.teamId;
  const isEphemeral = message.kind === 'ephemeral';
  const value = input.value ?? el['value'];
  const action: JsonObject = {
    type: 'button',
    action_id: input.actionId,
    block_id: button.blockId,
    text: el['text'] ?? { type: 'plain_text', text: '' },
    ...(value !== undefined ? { value } : {}),
    ...(el['style'] !== undefined ? { style: el['style'] } : {}),
    ...(el['confirm'] !== undefined ? { confirm: el['confirm'] } : {}),
    action_ts: actionTs,
  };
  return {
    type: 'block_actions',
    user: { id: user.id, username: user.name, name: user.name, team_id: teamId },
    api_app_id: ws.appId,
    token: ws.verificationToken,
    container: {
      type: 'message',
      message_ts: message.ts,
      channel_id: channel.id,
      is_ephemeral: isEphemeral,
      ...(message.threadTs !== undefined ? { thread_ts: message.threadTs } : {}),
    },
    trigger_id: ids.triggerId,
    team: { id: teamId, domain: ws.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channel.id, name: channel.isIm ? 'directmessage' : channel.name },
    // Slack leaves the message out for clicks on ephemerals; bots must not depend on it there.
    ...(isEphemeral ? {} : { message: toSlackMessage(message, ws.appId, ws.teamId) }),
    state: { values: {} },
    response_url: ids.responseUrl,
    actions: [action],
  };
}
