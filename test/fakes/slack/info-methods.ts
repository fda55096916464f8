// Read-only and connection methods: auth.test, users.info, conversations.info,
// usergroups.users.list, apps.connections.open, and views.publish (modals: modals.ts).
import { ApiError } from './api-error.js';
import { validateBlocks } from './block-validation.js';
import { randomHex } from './ids.js';
import { isRecord, parseJsonField, type JsonObject } from './json.js';
import { modalLimits, type FakeState } from './state.js';

type Params = Readonly<Record<string, unknown>>;

/** Bolt's App constructor calls this at once (§10.5); its user_id/bot_id become context.botUserId/botId. */
export function authTest(state: FakeState, _params: Params, tokenKind: string): JsonObject {
  const ws = state.workspace;
  const base = { url: `https://${ws.teamDomain}.slack.com/`, team: 'Fake Team', team_id: ws.teamId, is_enterprise_install: false };
  if (tokenKind === 'app') return { ...base, app_id: ws.appId };
  return { ...base, user: ws.botName, user_id: ws.botUserId, bot_id: ws.botId, app_id: ws.appId };
}

export function connectionsOpen(state: FakeState): JsonObject {
  return { url: state.mintSocketUrl() };
}

export function usersInfo(state: FakeState, params: Params): JsonObject {
  const user = state.workspace.users.get(String(params['user'] ?? ''));
  if (!user) throw new ApiError('user_not_found');
  return {
    user: {
      id: user.id,
      team_id: state.workspace.teamId,
      name: user.name,
      real_name: user.realName,
      deleted: user.deleted,
      is_bot: user.isBot,
      is_admin: user.isAdmin,
      is_owner: false,
      tz: user.tz,
      profile: { display_name: user.name, real_name: user.realName },
    },
  };
}

export function conversationsInfo(state: FakeState, params: Params): JsonObject {
  const ws = state.workspace;
  const channel = ws.visibleChannel(params['channel']);
  const isMember = channel.members.has(ws.botUserId);
  // A private channel the bot is not in does not exist as far as the bot can tell.
  if (channel.isPrivate && !isMember) throw new ApiError('channel_not_found');
  return {
    channel: {
      id: channel.id,
      name: channel.name,
      is_channel: !channel.isIm && !channel.isPrivate,
      is_group: false,
      is_im: channel.isIm,
      is_private: channel.isPrivate,
      is_archived: channel.isArchived,
      is_member: isMember,
      ...(params['include_num_members'] !== undefined ? { num_members: channel.members.size } : {}),
    },
  };
}

export function usergroupUsers(state: FakeState, params: Params): JsonObject {
  const group = state.workspace.userGroups.get(String(params['usergroup'] ?? ''));
  if (!group) throw new ApiError('no_such_subteam');
  return { users: [...group.users] };
}

/** views.publish (§6): a Home tab for one user, replacing the last; blocks validated as a modal's (100). */
export function viewsPublish(state: FakeState, params: Params): JsonObject {
  const userId = String(params['user_id'] ?? '');
  const user = state.workspace.users.get(userId);
  if (!user || user.isBot) throw new ApiError('user_not_found');
  const decoded = parseJsonField(params['view']);
  if (!decoded.ok || !isRecord(decoded.value)) throw new ApiError('invalid_arguments');
  const view = decoded.value;
  if (view['type'] !== 'home') throw new ApiError('invalid_arguments', { errors: ['must be a home view [json-pointer:/view/type]'] });
  const blocks = validateBlocks(view['blocks'] ?? [], modalLimits(state));
  if (!blocks.ok) throw new ApiError(blocks.error, { errors: blocks.errors });
  const last = state.homes.get(userId);
  const publishes = (last?.publishes ?? 0) + 1;
  // One Home view per user and app: its id stays, its hash changes with every publish.
  const id = last?.id ?? `V${randomHex(5).toUpperCase()}`;
  state.homes.set(userId, { id, user: userId, view: view as JsonObject, at: state.now(), publishes, hash: `${publishes}.${randomHex(4)}` });
  return { view: { id, team_id: state.workspace.teamId, ...(view as JsonObject) } };
}
