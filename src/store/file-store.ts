import type { ControlStore } from '../change-control/control-store.js';
import type { AuditLog } from '../operations/audit-log.js';
import type { Journal } from '../operations/journal.js';
import { nextOperationId } from '../operations/journal-record.js';
import type { AuditWriter, JournalStore, OperationStore } from './operation-store.js';

/**
 * The embedded store: the journal and audit files of one process (the data-directory lock keeps a
 * second one out). Their writes are synchronous and flushed (jsonl-file.ts); here they are only
 * given the store's promise shape, and a failed write becomes a rejected promise.
 */
export function fileStore(journal: Journal, audit: AuditLog, controls: ControlStore): OperationStore {
  // Ids go on from the highest the journal has seen, also across compaction (journal.ts keeps it).
  let next = Number(nextOperationId(journal.read()).slice(3));
  return {
    kind: 'files',
    journal: fileJournal(journal),
    audit: fileAudit(audit),
    controls,
    allocateId: async () => `op-${next++}`,
    close: async () => {
      journal.close();
      audit.close();
      controls.close();
    },
  };
}

export function fileJournal(journal: Journal): JournalStore {
  return {
    append: async (input) => journal.append(input),
    read: async () => journal.read(),
    health: async () => journal.health(),
  };
}

export function fileAudit(audit: AuditLog): AuditWriter {
  return { record: async (input) => audit.record(input), read: async () => audit.read() };
}
