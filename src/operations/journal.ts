import { join } from 'node:path';
import { AppError } from '../errors/app-error.js';
import { systemClock, type Clock } from '../util/clock.js';
import { parseJournalRecord, type JournalInput, type JournalRecord } from './journal-record.js';
import { openJsonlAppender, readJsonl } from './jsonl-file.js';

export interface Journal {
  /** On disk when it returns (see jsonl-file.ts). Throws an AppError if it could not be written. */
  append(record: JournalInput): JournalRecord;
  /** Every readable record in order; a torn last line from a kill is left out. */
  read(): JournalRecord[];
  close(): void;
}

export function createJournal(dataDir: string, clock: Clock = systemClock): Journal {
  const path = join(dataDir, 'journal.jsonl');
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
    close: () => file.close(),
  };
}

