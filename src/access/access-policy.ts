import type { AccessConfig, Principal } from '../config/app-config.js';
import type { GroupDirectory } from './group-directory.js';
import type { AccessDecision, Role } from './role.js';

/**
 * Denied unless granted: a user may act in a channel only if the channel is allowed and one of
 * the user's grants (directly or through a user group) carries the role.
 */
export class AccessPolicy {
  constructor(
    private readonly config: AccessConfig,
    private readonly groups: GroupDirectory,
  ) {}

  async check(user: string, channel: string | undefined, role: Role): Promise<AccessDecision> {
    if (channel !== undefined && !this.channelAllowed(channel)) {
      return { allowed: false, reason: `/exa is not enabled in this channel; ask an admin to add ${channel} to EXA_ALLOWED_CHANNELS` };
    }
    const granted = await this.has(user, role);
    if (granted) return { allowed: true };
    return { allowed: false, reason: `you do not have the ${role} role; ask an admin to grant it` };
  }

  /** Roles the user holds, for /exa help. */
  async roles(user: string): Promise<Role[]> {
    const all: Role[] = ['viewer', 'operator', 'approver'];
    const held = await Promise.all(all.map((role) => this.has(user, role)));
    return all.filter((_, i) => held[i]);
  }

  channelAllowed(channel: string): boolean {
    return this.config.channels === '*' || this.config.channels.includes(channel);
  }

  private async has(user: string, role: Role): Promise<boolean> {
    const lists: Record<Role, readonly (readonly Principal[])[]> = {
      viewer: [this.config.viewers, this.config.operators, this.config.approvers],
      operator: [this.config.operators],
      approver: [this.config.approvers],
    };
    for (const list of lists[role]) {
      for (const principal of list) {
        if (principal.kind === 'user' && principal.id === user) return true;
        if (principal.kind === 'group') {
          try {
            if (await this.groups.isMember(principal.id, user)) return true;
          } catch {
            // A failed lookup grants nothing: denied by default.
          }
        }
      }
    }
    return false;
  }
}
