import type { AccessConfig, Principal } from '../config/app-config.js';
import { describeOperation, type OperationKind, type OperationName } from '../lifecycle/operation-kind.js';
import type { GroupDirectory } from './group-directory.js';
import type { AccessDecision, Role } from './role.js';

/** A grant's scope covers `value`; an undefined value means "any" (the caller checked it itself). */
const inScope = (scope: readonly string[] | '*', value: string | undefined): boolean => scope === '*' || value === undefined || scope.includes(value);

/**
 * Denied unless granted: a user may act in a channel only if the channel is allowed and one of
 * the user's grants (directly or through a user group) carries the role.
 */
export class AccessPolicy {
  constructor(
    private readonly config: AccessConfig,
    private readonly groups: GroupDirectory,
  ) {}

  /**
   * May `user` act as `role` on `cluster` in `channel`? An undefined channel or cluster means
   * "any": a grant for some channel or cluster is enough (used where the caller checked the
   * channel itself).
   */
  async check(user: string, channel: string | undefined, role: Role, cluster?: string, operation?: OperationKind): Promise<AccessDecision> {
    if (channel !== undefined && !this.channelAllowed(channel)) {
      return { allowed: false, reason: `/exa is not enabled in this channel; ask an admin to add ${channel} to EXA_ALLOWED_CHANNELS` };
    }
    if (await this.has(user, role, channel, cluster, operation?.kind)) return { allowed: true };
    const where = cluster ? ` on cluster ${cluster}${channel ? ' in this channel' : ''}` : '';
    // An operator whose grants leave this operation out is told so, not that they lack the role.
    if (operation !== undefined && (await this.has(user, role, channel, cluster))) {
      return { allowed: false, reason: `your operator grant${where} does not include ${describeOperation(operation)}; ask an admin to add ${operation.kind} to it` };
    }
    return { allowed: false, reason: `you do not have the ${role} role${where}; ask an admin to grant it` };
  }

  /** Roles the user holds on a cluster in a channel, for /exa help. */
  async roles(user: string, channel?: string, cluster?: string): Promise<Role[]> {
    const all: Role[] = ['viewer', 'operator', 'approver'];
    const held = await Promise.all(all.map((role) => this.has(user, role, channel, cluster)));
    return all.filter((_, i) => held[i]);
  }

  /** Who holds `role` on `cluster` in `channel` by a grant: the users and user groups to mention. */
  principals(role: Role, cluster: string, channel: string): { readonly users: string[]; readonly groups: string[] } {
    const users = new Set<string>();
    const groups = new Set<string>();
    for (const grant of this.config.grants) {
      if (grant.role !== role || !inScope(grant.clusters, cluster) || !inScope(grant.channels, channel)) continue;
      for (const principal of grant.principals) (principal.kind === 'user' ? users : groups).add(principal.id);
    }
    return { users: [...users], groups: [...groups] };
  }

  /** Is the user one of these users, or in one of these groups (an approval rule's "from")? A failed lookup says no. */
  async isListed(user: string, principals: readonly Principal[]): Promise<boolean> {
    for (const principal of principals) {
      if (principal.kind === 'user' && principal.id === user) return true;
      if (principal.kind === 'group' && (await this.groups.isMember(principal.id, user).catch(() => false))) return true;
    }
    return false;
  }

  channelAllowed(channel: string): boolean {
    return this.config.channels === '*' || this.config.channels.includes(channel);
  }

  private async has(user: string, role: Role, channel: string | undefined, cluster: string | undefined, operation?: OperationName): Promise<boolean> {
    // Operators and approvers may also look: viewing is part of both.
    const roles: readonly Role[] = role === 'viewer' ? ['viewer', 'operator', 'approver'] : [role];
    for (const grant of this.config.grants) {
      if (!roles.includes(grant.role) || !inScope(grant.clusters, cluster) || !inScope(grant.channels, channel)) continue;
      if (!inScope(grant.operations, operation)) continue;
      for (const principal of grant.principals) {
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
