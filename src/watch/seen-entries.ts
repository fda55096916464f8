import type { LogEntry } from '../exaoperation/types.js';

/** An entry's identity: the logservice gives entries no id, so these four fields are all there is. */
export function entryKey(entry: LogEntry): string {
  return `${entry.strtime}|${entry.node}|${entry.system}|${entry.message}`;
}

const STRTIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,6}))?/;

/**
 * strtime as milliseconds, when it has the `YYYY-MM-DD HH:MM:SS[.ffffff]` shape the reference
 * expects (§4.2, not confirmed); otherwise undefined and only the key set applies. The zone does
 * not matter: only differences between entries of the same logservice are used.
 */
export function strtimeMs(strtime: string): number | undefined {
  const m = STRTIME.exec(strtime);
  if (m === null) return undefined;
  const n = (i: number): number => Number(m[i] ?? 0);
  const fraction = Number(`0.${m[7] ?? '0'}`);
  return Date.UTC(n(1), n(2) - 1, n(3), n(4), n(5), n(6)) + Math.floor(fraction * 1000);
}

export interface SeenEntriesState {
  /** Entries at or before this strtime (ms) count as seen. */
  readonly floorMs: number | undefined;
  /** Keys of recent entries, oldest first. */
  readonly keys: readonly string[];
}

export interface SeenEntriesOptions {
  /** @default 2000 */
  readonly maxKeys?: number;
  /**
   * How far an entry may be older than the newest one seen and still be news: log lines of
   * different nodes arrive slightly out of order. @default 10 minutes
   */
  readonly toleranceMs?: number;
}

/**
 * Remembers which entries were already handled, so that a reader which gets old entries again
 * (EXAoperation restarted and forgot the tag's cursor, a new tag, a bot restart) does not post
 * them twice. Bounded: recent keys in a set, everything older than a floor time counted as seen.
 * Two entries equal in all four fields are indistinguishable; the second is taken as a repeat.
 */
export class SeenEntries {
  private readonly keys = new Map<string, number | undefined>();
  private floorMs: number | undefined;
  private newestMs: number | undefined;
  private sweptAtMs: number | undefined;
  private readonly maxKeys: number;
  private readonly toleranceMs: number;

  constructor(state: SeenEntriesState = { floorMs: undefined, keys: [] }, options: SeenEntriesOptions = {}) {
    this.maxKeys = options.maxKeys ?? 2000;
    this.toleranceMs = options.toleranceMs ?? 10 * 60_000;
    this.floorMs = state.floorMs;
    for (const key of state.keys) this.remember(key, strtimeMs(key.slice(0, key.indexOf('|'))));
  }

  /** Seen for certain: the entry's key is among the recent ones. */
  remembers(entry: LogEntry): boolean {
    return this.keys.has(entryKey(entry));
  }

  /** Seen, or at least older than anything that could still be news. */
  has(entry: LogEntry): boolean {
    if (this.remembers(entry)) return true;
    const ms = strtimeMs(entry.strtime);
    return ms !== undefined && this.floorMs !== undefined && ms <= this.floorMs;
  }

  add(entry: LogEntry): void {
    this.remember(entryKey(entry), strtimeMs(entry.strtime));
  }

  toState(): SeenEntriesState {
    const floor = this.floorMs;
    const keys = [...this.keys].filter(([, ms]) => ms === undefined || floor === undefined || ms > floor).map(([key]) => key);
    return { floorMs: floor, keys };
  }

  private remember(key: string, ms: number | undefined): void {
    this.keys.delete(key); // re-inserted at the end: Map order is our age order
    this.keys.set(key, ms);
    if (ms !== undefined && (this.newestMs === undefined || ms > this.newestMs)) this.newestMs = ms;
    if (this.newestMs !== undefined) this.raiseFloor(this.newestMs - this.toleranceMs);
    for (const [oldest, oldestMs] of this.keys) {
      if (this.keys.size <= this.maxKeys) break;
      this.keys.delete(oldest);
      // The evicted entry must still count as seen: only the floor can say so now.
      if (oldestMs !== undefined) this.raiseFloor(oldestMs);
    }
  }

  private raiseFloor(ms: number): void {
    if (this.floorMs !== undefined && ms <= this.floorMs) return;
    this.floorMs = ms;
    // Keys at or below the floor are covered by it; dropping them keeps the set (and the file)
    // small. Sweeping once per second of floor movement keeps a 10,000-entry first read linear.
    if (this.sweptAtMs !== undefined && ms - this.sweptAtMs < 1000) return;
    this.sweptAtMs = ms;
    for (const [key, keyMs] of this.keys) if (keyMs !== undefined && keyMs <= ms) this.keys.delete(key);
  }
}
