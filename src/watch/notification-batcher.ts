import type { ClusterEvent } from './events.js';

export interface BatcherOptions {
  /**
   * Events of a channel are collected for this long after the first one, and two top-level posts
   * to a channel are at least this far apart. @default 3000
   */
  readonly windowMs?: number;
  /**
   * Slack allows about one chat.postMessage per second per channel, and thread replies count:
   * after a post of n messages the channel rests n × this long (if longer than the window). @default 1000
   */
  readonly messageIntervalMs?: number;
  /** Events kept per channel while waiting; more are only counted. @default 1000 */
  readonly maxPendingPerChannel?: number;
}

export interface Batch {
  readonly channel: string;
  /** In arrival order. */
  readonly events: readonly ClusterEvent[];
  /** Events beyond maxPendingPerChannel: counted, not kept. */
  readonly omitted: number;
}

interface ChannelState {
  events: ClusterEvent[];
  omitted: number;
  firstAt: number | undefined;
  /** No post before this time. */
  notBefore: number;
}

/**
 * Grouping and per-channel rate limiting as pure bookkeeping: time comes in as arguments, so it
 * is tested without waiting, and the loop that posts (the dispatcher) stays trivial. A burst of
 * any size becomes one batch per window per channel.
 */
export class NotificationBatcher {
  private readonly channels = new Map<string, ChannelState>();
  private readonly windowMs: number;
  private readonly messageIntervalMs: number;
  private readonly maxPending: number;

  constructor(options: BatcherOptions = {}) {
    this.windowMs = options.windowMs ?? 3000;
    this.messageIntervalMs = options.messageIntervalMs ?? 1000;
    this.maxPending = options.maxPendingPerChannel ?? 1000;
    for (const [name, value] of Object.entries({ windowMs: this.windowMs, messageIntervalMs: this.messageIntervalMs })) {
      if (!(Number.isFinite(value) && value >= 0)) throw new RangeError(`${name}: expected a number >= 0, got ${value}`);
    }
    if (!(Number.isInteger(this.maxPending) && this.maxPending >= 1)) {
      throw new RangeError(`maxPendingPerChannel: expected an integer >= 1, got ${this.maxPending}`);
    }
  }

  add(channel: string, events: readonly ClusterEvent[], now: number): void {
    if (events.length === 0) return;
    const state = this.channels.get(channel) ?? { events: [], omitted: 0, firstAt: undefined, notBefore: -Infinity };
    this.channels.set(channel, state);
    state.firstAt ??= now;
    const room = Math.max(0, this.maxPending - state.events.length);
    state.events.push(...events.slice(0, room));
    state.omitted += Math.max(0, events.length - room);
  }

  /** When the next batch is due; undefined when nothing waits. */
  nextDueAt(): number | undefined {
    let next: number | undefined;
    for (const state of this.channels.values()) {
      const due = this.dueAt(state);
      if (due !== undefined && (next === undefined || due < next)) next = due;
    }
    return next;
  }

  /** The batches due at `now`, at most one per channel; each channel then rests at least a window. */
  takeDue(now: number): Batch[] {
    const batches: Batch[] = [];
    for (const [channel, state] of this.channels) {
      const due = this.dueAt(state);
      if (due === undefined || due > now) continue;
      batches.push(this.take(channel, state));
      state.notBefore = now + this.windowMs;
    }
    return batches;
  }

  /** Everything waiting, ignoring the limits: for a final flush at shutdown. */
  takeAll(): Batch[] {
    return [...this.channels].filter(([, state]) => state.events.length + state.omitted > 0).map(([channel, state]) => this.take(channel, state));
  }

  /** Records a post of `messages` Slack messages (top-level plus thread replies) to `channel`. */
  sent(channel: string, messages: number, now: number): void {
    const state = this.channels.get(channel);
    if (state === undefined) return;
    state.notBefore = Math.max(state.notBefore, now + Math.max(this.windowMs, messages * this.messageIntervalMs));
  }

  pending(channel: string): number {
    const state = this.channels.get(channel);
    return state === undefined ? 0 : state.events.length + state.omitted;
  }

  private dueAt(state: ChannelState): number | undefined {
    if (state.firstAt === undefined) return undefined;
    return Math.max(state.firstAt + this.windowMs, state.notBefore);
  }

  private take(channel: string, state: ChannelState): Batch {
    const batch: Batch = { channel, events: state.events, omitted: state.omitted };
    state.events = [];
    state.omitted = 0;
    state.firstAt = undefined;
    return batch;
  }
}
