// The application core both adapters run (the Slack bot in bot.ts, the console demo in demo.ts):
// the operation service over a store. One constructor, so the two cannot drift apart in how the
// core is put together; each adapter brings only its clusters, its approval policy and its store.
import type { Logger } from '../logging/logger.js';
import { createAuditLog } from './audit-log.js';
import { readFileAudit } from '../audit/audit-query.js';
import { createJournal } from './journal.js';
import { fileControls } from '../change-control/control-store.js';
import { fileStore } from '../store/file-store.js';
import type { OperationStore } from '../store/operation-store.js';
import type { Clock } from '../util/clock.js';
import { OperationService, type ManagedCluster } from './operation-service.js';
import type { ApprovalPolicy } from './approval-policy.js';
import { ChangeGate } from '../change-control/change-gate.js';
import type { FreezeWindow } from '../change-control/freeze-calendar.js';
import { Holds } from '../change-control/holds.js';

/** The files in a data directory: journal and audit log (the embedded store). */
export function filesIn(dataDir: string, clock: Clock): OperationStore {
  const store = fileStore(createJournal(dataDir, clock), createAuditLog(dataDir, clock), fileControls(dataDir));
  // /exa audit reads the rotated archives too, as the export does.
  return { ...store, audit: { ...store.audit, read: async () => readFileAudit(dataDir).entries } };
}

export function createCore(deps: {
  readonly clusters: ReadonlyMap<string, ManagedCluster>;
  readonly store: OperationStore;
  readonly approval: ApprovalPolicy;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The configured freeze windows; holds come from the store's control record (service.control.load()). */
  readonly freezes?: readonly FreezeWindow[];
}): OperationService {
  const { freezes = [], ...rest } = deps;
  return new OperationService({ ...rest, gate: new ChangeGate(freezes, new Holds(deps.store.controls, deps.clock), deps.clock) });
}
