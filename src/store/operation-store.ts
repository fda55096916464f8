// Where the operations core keeps its record (issue 15): the journal (for recovery), the audit log
// (for people) and the operation ids. Two implementations: the JSON-lines files in DATA_DIR
// (file-store.ts, the default, one process) and PostgreSQL (pg/pg-store.ts, DATABASE_URL). Every
// write is awaited before the change it describes: a write that fails leaves the operation where
// it was, and the caller says so.
import type { ControlStore } from '../change-control/control-store.js';
import type { AuditEntry, AuditInput } from '../operations/audit-log.js';
import type { JournalInput, JournalRecord } from '../operations/journal-record.js';

export type StoreKind = 'files' | 'postgres';

export interface JournalHealth {
  /** Lines that could not be read (1-based); a torn last line after a kill is expected. */
  readonly damagedLines: readonly number[];
  readonly unknownRecords: number;
  /** The archive a start compacted the journal into, for the log. */
  readonly archived: string | undefined;
}

export interface JournalStore {
  /** Durable when it resolves; rejects with an AppError (user-safe message) when it is not. */
  append(input: JournalInput): Promise<JournalRecord>;
  /**
   * At least every record of each operation not closed yet, in the order written (the file store
   * gives all it holds; PostgreSQL, which keeps all history, only the open operations').
   */
  read(): Promise<readonly JournalRecord[]>;
  health(): Promise<JournalHealth>;
}

export interface AuditWriter {
  /** Durable when it resolves; rejects with an AppError when it is not. */
  record(input: AuditInput): Promise<AuditEntry>;
  /** Entries written at or after `since` (ms), oldest first (the files: the current audit file). */
  read?(since: number): Promise<readonly AuditEntry[]>;
}

export interface OperationStore {
  readonly kind: StoreKind;
  readonly journal: JournalStore;
  readonly audit: AuditWriter;
  /** Holds, snoozes, skips and schedule progress (issue 17). */
  readonly controls: ControlStore;
  /** A new operation id, never handed out before (also not by another replica on the same database). */
  allocateId(): Promise<string>;
  close(): Promise<void>;
}
