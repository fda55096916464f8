import type { Clock } from '../util/clock.js';

/** Resolves a Slack user group to its members (usergroups.users.list in production). */
export type GroupLookup = (groupId: string) => Promise<readonly string[]>;

/**
 * Caches memberships for a while: usergroups.users.list is Tier 2 (about 20 calls a minute), and
 * every button click asks. A lookup failure is not cached, and denies (see AccessPolicy).
 */
export class GroupDirectory {
  private readonly cache = new Map<string, { members: ReadonlySet<string>; until: number }>();
  /** A burst of clicks asks once: concurrent lookups of one group share the call. */
  private readonly inFlight = new Map<string, Promise<ReadonlySet<string>>>();

  constructor(
    private readonly lookup: GroupLookup,
    private readonly clock: Clock,
    private readonly ttlMs = 5 * 60_000,
  ) {}

  async isMember(groupId: string, userId: string): Promise<boolean> {
    const now = this.clock.now();
    let entry = this.cache.get(groupId);
    if (!entry || entry.until <= now) {
      let pending = this.inFlight.get(groupId);
      if (!pending) {
        pending = this.lookup(groupId)
          .then((members) => new Set(members))
          .finally(() => this.inFlight.delete(groupId));
        this.inFlight.set(groupId, pending);
      }
      entry = { members: await pending, until: now + this.ttlMs };
      this.cache.set(groupId, entry);
    }
    return entry.members.has(userId);
  }
}
