// Everything the fake remembers, in one object that the method handlers, the response_url
// endpoint and the delivery driver share. Kept in memory only; `reset()` clears the recorded parts.
import type { FaultRegistry } from './faults.js';
import type { MessageStore } from './message-store.js';
import type { RateLimiter } from './rate-limiter.js';
import type { TriggerRegistry } from './triggers.js';
import type { ModalRecord } from './modals.js';
import type { ApiCallRecord, DeliveryRecord, PublishedHome } from './types.js';
import type { Workspace } from './workspace.js';

export interface FakeState {
  readonly workspace: Workspace;
  readonly store: MessageStore;
  readonly faults: FaultRegistry;
  readonly rateLimiter: RateLimiter;
  readonly triggers: TriggerRegistry;
  readonly tsClock: { next(): string };
  /** Fake clock: real time plus the offset moved by `advanceTime`. */
  readonly now: () => number;
  readonly blockTextLimit: number | null;
  /** Mints a single-use Socket Mode URL (apps.connections.open). */
  readonly mintSocketUrl: () => string;
  readonly calls: ApiCallRecord[];
  readonly views: ModalRecord[];
  /** Each user's Home tab, as views.publish last set it. */
  readonly homes: Map<string, PublishedHome>;
  readonly deliveries: DeliveryRecord[];
}

/** Slack allows 50 blocks in a message and 100 in a modal (§6.2). */
export function messageLimits(state: FakeState): { maxBlocks: number; textLimit: number | null } {
  return { maxBlocks: 50, textLimit: state.blockTextLimit };
}

export function modalLimits(state: FakeState): { maxBlocks: number; textLimit: number | null } {
  return { maxBlocks: 100, textLimit: state.blockTextLimit };
}
