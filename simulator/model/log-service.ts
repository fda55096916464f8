// The logservice keeps a bounded ring of entries and hands them out newest first, the order the
// real one uses (Exasol's own logentries.py reverses [2] to print oldest first).

export type LogPriority = 'Information' | 'Notice' | 'Warning' | 'Error';

export interface LogLine {
  readonly system: string;
  readonly node: string;
  readonly message: string;
  readonly priority: LogPriority;
}

export interface LogRecord extends LogLine {
  /** 1-based, monotonic over the life of the service; cursors compare against it. */
  readonly seq: number;
  /** Clock time (ms) of the event that wrote the entry. */
  readonly at: number;
}

/** The XML-RPC struct of one entry (a type alias, so it fits index-signature value types). */
export type LogEntryStruct = {
  readonly strtime: string;
  readonly system: string;
  readonly node: string;
  readonly message: string;
  readonly priority: LogPriority;
};

/** What logEntries()/logEntriesTagged() return: `[position, count, entries newest first]`. */
export type LogBatch = [position: number, count: number, entries: LogEntryStruct[]];

export const DEFAULT_LOG_RETENTION = 10_000;

export class LogService {
  private readonly records: LogRecord[] = [];
  private lastSeq = 0;
  private readonly cursors = new Map<string, number>();

  constructor(
    readonly name: string,
    private readonly retention: number = DEFAULT_LOG_RETENTION,
  ) {}

  write(at: number, line: LogLine): void {
    this.records.push({ ...line, seq: ++this.lastSeq, at });
    if (this.records.length > this.retention) this.records.splice(0, this.records.length - this.retention);
  }

  /** Every retained entry. `position` is the sequence number of the newest entry ever written. */
  entries(): LogBatch {
    return this.batch(this.records);
  }

  /**
   * Only the entries written since the previous call with the same tag. Assumption (the real
   * behaviour is undocumented): the first call with an unknown tag returns every retained entry.
   */
  entriesTagged(tag: string): LogBatch {
    const since = this.cursors.get(tag) ?? 0;
    this.cursors.set(tag, this.lastSeq);
    return this.batch(this.records.filter((r) => r.seq > since));
  }

  /** EXAoperation restarted: every consumer's cursor is forgotten, so its next tagged call starts over. */
  resetCursors(): void {
    this.cursors.clear();
  }

  /** Oldest first, for tests and the CLI; not part of the XML-RPC surface. */
  all(): readonly LogRecord[] {
    return this.records;
  }

  private batch(records: readonly LogRecord[]): LogBatch {
    const entries = records
      .slice()
      .reverse()
      .map((r) => ({ strtime: formatStrtime(r.at), system: r.system, node: r.node, message: r.message, priority: r.priority }));
    return [this.lastSeq, entries.length, entries];
  }
}

/** `YYYY-MM-DD HH:MM:SS.ffffff` in UTC; the clock only has milliseconds, so the last 3 digits are 0. */
export function formatStrtime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds() * 1000, 6)}`
  );
}
