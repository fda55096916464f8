// Discrete-event core: state changes are scheduled for a future clock time and applied in order
// when somebody looks at the model. Nothing here uses real timers, so tests drive time by hand.

export interface ScheduledEvent<E> {
  readonly at: number;
  /** Tie-breaker: events due at the same time are applied in the order they were scheduled. */
  readonly seq: number;
  /** Groups the events of one activity (a node boot, a database start) so they can be cancelled together. */
  readonly key: string;
  readonly event: E;
}

export class EventQueue<E> {
  private readonly items: ScheduledEvent<E>[] = [];
  private nextSeq = 0;

  schedule(at: number, key: string, event: E): void {
    const item: ScheduledEvent<E> = { at, seq: this.nextSeq++, key, event };
    // Binary search for the first item due strictly later, so equal times keep insertion order.
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.items[mid] as ScheduledEvent<E>).at <= at) lo = mid + 1;
      else hi = mid;
    }
    this.items.splice(lo, 0, item);
  }

  /** Drops every pending event of one activity; returns how many were dropped. */
  cancel(key: string): number {
    let dropped = 0;
    for (let i = this.items.length - 1; i >= 0; i--) {
      if ((this.items[i] as ScheduledEvent<E>).key === key) {
        this.items.splice(i, 1);
        dropped++;
      }
    }
    return dropped;
  }

  /** Removes and returns the earliest event due at or before `now`. */
  popDue(now: number): ScheduledEvent<E> | undefined {
    const first = this.items[0];
    if (first === undefined || first.at > now) return undefined;
    this.items.shift();
    return first;
  }

  /** The earliest pending event matching `predicate`, without removing it. */
  find(predicate: (item: ScheduledEvent<E>) => boolean): ScheduledEvent<E> | undefined {
    return this.items.find(predicate);
  }

  get size(): number {
    return this.items.length;
  }
}
