// Which audit entries an export or a summary covers (issue 17, item 5): a cluster and a time
// window, and the entries of the file store read back in the order they were written.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../errors/app-error.js';
import { parseAuditEntry, type AuditEntry } from '../operations/audit-log.js';
import { readJsonl } from '../operations/jsonl-file.js';

export interface AuditQuery {
  readonly cluster?: string;
  /** Inclusive: entries at or after it. */
  readonly since?: Date;
  /** Exclusive: entries before it, so `--since 2026-12-01 --until 2026-12-02` is that one day. */
  readonly until?: Date;
}

/** Every form parseSince takes, for the message of a value it does not. */
export const SINCE_FORMS =
  'an ISO date (2026-12-01), an ISO date and time (2026-12-01T10:00Z, 2026-12-01T10:00:30+01:00; UTC when it has no offset), or a duration back from now: minutes, hours, days or weeks (30m, 12h, 7d, 2w)';

const UNIT_MS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };
const DURATION = /^(\d{1,6})([mhdw])$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * A point in time as people type it: an ISO date or date and time, or a duration before `now`.
 * Throws AUDIT_BAD_SINCE, with every form that is taken, for anything else (also 2026-02-30).
 */
export function parseSince(text: string, now: Date): Date {
  const value = text.trim();
  const duration = DURATION.exec(value);
  if (duration) {
    const [, amount = '', unit = ''] = duration;
    const ms = Number(amount) * (UNIT_MS[unit] ?? Number.NaN);
    const at = new Date(now.getTime() - ms);
    if (ms > 0 && Number.isFinite(at.getTime())) return at;
  }
  const iso = ISO.exec(value.replace(/^(\d{4}-\d{2}-\d{2})t/, '$1T').replace(/z$/, 'Z'));
  if (iso) {
    const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone = 'Z'] = iso;
    const fields = [Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(frac.padEnd(3, '0'))] as const;
    const utc = Date.UTC(...fields);
    const check = new Date(utc);
    // Date.UTC rolls 2026-02-30 over to March: a date that does not exist is refused instead.
    const exists =
      check.getUTCFullYear() === fields[0] && check.getUTCMonth() === fields[1] && check.getUTCDate() === fields[2] && check.getUTCHours() === fields[3] && check.getUTCMinutes() === fields[4] && check.getUTCSeconds() === fields[5];
    const offset = zoneOffsetMs(zone);
    if (exists && offset !== undefined) return new Date(utc - offset);
  }
  throw new AppError('AUDIT_BAD_SINCE', `'${text}' is not a time I understand. Use ${SINCE_FORMS}.`);
}

function zoneOffsetMs(zone: string): number | undefined {
  if (zone === 'Z') return 0;
  const match = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!match) return undefined;
  const [, sign, hh = '', mm = ''] = match;
  if (Number(hh) > 23 || Number(mm) > 59) return undefined;
  return (sign === '-' ? -1 : 1) * (Number(hh) * 60 + Number(mm)) * 60_000;
}

/** The entries of `query`'s cluster inside its window, in their order. With a window, an entry whose time does not parse is left out. */
export function filterAudit(entries: readonly AuditEntry[], query: AuditQuery): AuditEntry[] {
  const since = query.since?.getTime();
  const until = query.until?.getTime();
  return entries.filter((entry) => {
    if (query.cluster !== undefined && entry.cluster !== query.cluster) return false;
    if (since === undefined && until === undefined) return true;
    const at = Date.parse(entry.at);
    if (Number.isNaN(at)) return false;
    return (since === undefined || at >= since) && (until === undefined || at < until);
  });
}

export interface FileAudit {
  readonly entries: AuditEntry[];
  /** Lines that were not an audit entry: not JSON (a torn last line) or not a valid entry. */
  readonly skipped: number;
  /** The files read, oldest first; empty when the data directory holds no audit log. */
  readonly files: readonly string[];
}

/** rotation.ts names an archive `audit-<ISO time with : and . as ->.jsonl`; its name sorts by time. */
const ARCHIVE = /^audit-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z\.jsonl$/;

/**
 * The whole audit log of a file store: the rotated archives oldest first, then audit.jsonl.
 * A missing directory or file is an empty log; a file that exists but cannot be read is an
 * AUDIT_UNREADABLE error (an export must not silently leave out a part).
 */
export function readFileAudit(dataDir: string): FileAudit {
  let names: string[];
  try {
    names = readdirSync(dataDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], skipped: 0, files: [] };
    throw unreadable(dataDir, error);
  }
  const ordered = [...names.filter((name) => ARCHIVE.test(name)).sort(), ...(names.includes('audit.jsonl') ? ['audit.jsonl'] : [])];
  const entries: AuditEntry[] = [];
  let skipped = 0;
  const files: string[] = [];
  for (const name of ordered) {
    const path = join(dataDir, name);
    let contents: ReturnType<typeof readJsonl>;
    try {
      contents = readJsonl(path);
    } catch (error) {
      throw unreadable(path, error);
    }
    files.push(path);
    skipped += contents.skipped;
    for (const raw of contents.records) {
      const entry = parseAuditEntry(raw);
      if (entry === undefined) skipped += 1;
      else entries.push(entry);
    }
  }
  return { entries, skipped, files };
}

function unreadable(path: string, error: unknown): AppError {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  return new AppError('AUDIT_UNREADABLE', `Could not read the audit log at ${path} (${code}); check that this user may read the data directory.`, {
    detail: error instanceof Error ? error.message : String(error),
    cause: error,
  });
}
