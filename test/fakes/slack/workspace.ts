// The workspace model: who exists, which channels there are and who is in them. Access rules live
// here so that every method (and the response_url path) agrees on them.
import { randomHex } from './ids.js';
import type { AddChannelOptions, AddUserOptions, FakeSlackOptions } from './types.js';
import { ApiError } from './api-error.js';

export interface WorkspaceUser {
  readonly id: string;
  readonly name: string;
  readonly realName: string;
  readonly isAdmin: boolean;
  readonly isBot: boolean;
  readonly deleted: boolean;
  readonly tz: string;
}

export interface WorkspaceChannel {
  readonly id: string;
  readonly name: string;
  readonly isPrivate: boolean;
  readonly isIm: boolean;
  isArchived: boolean;
  readonly members: Set<string>;
}

const DEFAULT_SCOPES = ['commands', 'chat:write', 'users:read', 'usergroups:read', 'channels:read', 'groups:read', 'im:read'];

export class Workspace {
  readonly teamId: string;
  readonly teamDomain: string;
  readonly appId: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly botName: string;
  // Prefixed like real tokens so code that sniffs `xoxb-`/`xapp-` behaves as in production.
  readonly botToken = `xoxb-fake-${randomHex()}`;
  readonly appToken = `xapp-fake-${randomHex()}`;
  readonly signingSecret = randomHex(16);
  readonly verificationToken = `fakeverification${randomHex(4)}`;
  readonly botScopes: ReadonlySet<string>;
  readonly users = new Map<string, WorkspaceUser>();
  readonly channels = new Map<string, WorkspaceChannel>();
  readonly userGroups = new Map<string, { readonly handle: string; readonly users: readonly string[] }>();

  constructor(options: FakeSlackOptions) {
    this.teamId = options.teamId ?? 'T0FAKE';
    this.teamDomain = options.teamDomain ?? 'fake-team';
    this.appId = options.appId ?? 'A0FAKEAPP';
    this.botUserId = options.botUserId ?? 'U0FAKEBOT';
    this.botId = options.botId ?? 'B0FAKEBOT';
    this.botName = options.botName ?? 'exa-bot';
    this.botScopes = new Set(options.botScopes ?? DEFAULT_SCOPES);
    this.addUser(this.botUserId, { name: this.botName, realName: this.botName, isBot: true });
  }

  tokenKind(token: string | undefined): 'bot' | 'app' | 'unknown' | 'none' {
    if (token === undefined || token === '') return 'none';
    if (token === this.botToken) return 'bot';
    if (token === this.appToken) return 'app';
    return 'unknown';
  }

  addUser(id: string, options: AddUserOptions): void {
    this.users.set(id, {
      id,
      name: options.name,
      realName: options.realName ?? options.name,
      isAdmin: options.isAdmin ?? false,
      isBot: options.isBot ?? false,
      deleted: options.deleted ?? false,
      tz: options.tz ?? 'Europe/Berlin',
    });
  }

  addChannel(id: string, options: AddChannelOptions = {}): void {
    const members = new Set<string>();
    for (const user of options.members ?? []) members.add(this.requireUser(user).id);
    if (options.botIsMember ?? true) members.add(this.botUserId);
    this.channels.set(id, {
      id,
      name: options.name ?? id.toLowerCase(),
      isPrivate: options.isPrivate ?? false,
      isIm: false,
      isArchived: false,
      members,
    });
  }

  addUserGroup(id: string, members: readonly string[], handle?: string): void {
    for (const user of members) this.requireUser(user);
    this.userGroups.set(id, { handle: handle ?? id.toLowerCase(), users: [...members] });
  }

  /** Test-setup lookups throw plain errors: a typo in a test should fail loudly, not as a Slack error. */
  requireUser(id: string): WorkspaceUser {
    const user = this.users.get(id);
    if (!user) throw new Error(`fake Slack: unknown user ${id}; add it with addUser() first`);
    return user;
  }

  requireChannel(id: string): WorkspaceChannel {
    const channel = this.channels.get(id) ?? this.imFor(id);
    if (!channel) throw new Error(`fake Slack: unknown channel ${id}; add it with addChannel() first`);
    return channel;
  }

  /** Slack lets a bot post to a user id, which opens (or reuses) the app's DM with that user. */
  imFor(userId: string): WorkspaceChannel | undefined {
    const user = this.users.get(userId);
    if (!user || user.isBot) return undefined;
    const id = `D${userId.slice(1)}`;
    let channel = this.channels.get(id);
    if (!channel) {
      channel = { id, name: 'directmessage', isPrivate: true, isIm: true, isArchived: false, members: new Set([userId, this.botUserId]) };
      this.channels.set(id, channel);
    }
    return channel;
  }

  /** Resolves an id, `#name`, name or user id (DM). Visibility of private channels is per method. */
  visibleChannel(idOrName: unknown): WorkspaceChannel {
    if (typeof idOrName !== 'string' || idOrName === '') throw new ApiError('channel_not_found');
    const byName = idOrName.startsWith('#') ? this.findByName(idOrName.slice(1)) : undefined;
    const channel = byName ?? this.channels.get(idOrName) ?? this.findByName(idOrName) ?? this.imFor(idOrName);
    if (!channel) throw new ApiError('channel_not_found');
    return channel;
  }

  /**
   * Rules from the blueprint (§12): archived channels refuse posts; the bot must be a member unless
   * it has chat:write.public and the channel is public.
   */
  postableChannel(idOrName: unknown): WorkspaceChannel {
    const channel = this.visibleChannel(idOrName);
    if (channel.isArchived) throw new ApiError('is_archived');
    const publicPostingAllowed = !channel.isPrivate && this.botScopes.has('chat:write.public');
    if (!channel.members.has(this.botUserId) && !publicPostingAllowed) throw new ApiError('not_in_channel');
    return channel;
  }

  private findByName(name: string): WorkspaceChannel | undefined {
    for (const channel of this.channels.values()) if (channel.name === name && !channel.isIm) return channel;
    return undefined;
  }
}
