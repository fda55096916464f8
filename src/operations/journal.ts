import { join } from 'node:path';
import { AppError } from '../errors/app-error.js';
import { systemClock, type Clock } from '../util/clock.js';
import { parseJournalRecord, type JournalInput, type JournalRecord } from './journal-record.js';
import { openJsonlAppender, readJsonl } from './jsonl-file.js';
import { findUnfinished } from './recovery.js';
import { DEFAULT_ROTATE_BYTES, rotateIfLarge } from './rotation.js';

export interface Journal {
  /** On disk when it returns (see jsonl-file.ts). Throws an AppError if it could not be written. */
  append(record: JournalInput): JournalRecord;
  /** Every readable record in order; a torn last line from a kill is left out. */
  read(): JournalRecord[];
  /** Lines that could not be read (1-based) and the archive a start compacted into, for the log. */
  health(): { readonly damagedLines: readonly number[]; readonly unknownRecords: number; readonly archived: string | undefined };
  close(): void;
}

export interface JournalOptions {
  /** Above this size the journal is compacted at start. @default 8 MiB */
  readonly rotateBytes?: number;
}

/**
 * The journal file. At start, a journal over the size limit is compacted: what still matters
 * (every record of an operation not yet closed, and the last record of the highest id — an end
 * without its request, which recovery ignores — so ids go on)
 * moves to a fresh file, the rest into an archive beside it — a start never reads years of history.
 */
export function createJournal(dataDir: string, clock: Clock = systemClock, options: JournalOptions = {}): Journal {
  const path = join(dataDir, 'journal.jsonl');
  const archived = rotateIfLarge(path, options.rotateBytes ?? DEFAULT_ROTATE_BYTES, new Date(clock.now()).toISOString(), () => {
    const records = readJsonl(path).records.flatMap((raw) => parseJournalRecord(raw) ?? []);
    const open = new Set(findUnfinished(records).map((op) => op.opId));
    const highest = records.reduce<JournalRecord | undefined>((best, r) => (best === undefined || idNumber(r) >= idNumber(best) ? r : best), undefined);
    return records.filter((r) => open.has(r.opId) || r === highest);
  });
  const file = openJsonlAppender(path);
  return {
    append(input) {
      // Rebuilt from the known fields, so an excess property that slipped past the type checker
      // (a spread options object, say) never reaches the disk.
      const record = parseJournalRecord({ ...input, at: new Date(clock.now()).toISOString() });
      if (record === undefined) {
        throw new AppError('invalid-journal-record', `Refused to record a malformed '${input.type}' entry for ${input.opId}.`);
      }
      file.append(record);
      return record;
    },
    read: () => readJsonl(path).records.flatMap((raw) => parseJournalRecord(raw) ?? []),
    health: () => {
      const contents = readJsonl(path);
      // A line that is JSON but not a record we know is damage too.
      const unknownRecords = contents.records.filter((raw) => parseJournalRecord(raw) === undefined).length;
      return { damagedLines: contents.damaged, unknownRecords, archived };
    },
    close: () => file.close(),
  };
}

function idNumber(record: JournalRecord): number {
  return Number(/^op-(\d+)$/.exec(record.opId)?.[1] ?? 0);
}

