import { fileControls } from '../../src/change-control/control-store.js';
import type { ChangeGate } from '../../src/change-control/change-gate.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_APPROVAL_KINDS, type ApprovalPolicy } from '../../src/operations/approval-policy.js';
import { createAuditLog, type AuditLog } from '../../src/operations/audit-log.js';
import { createJournal, type Journal } from '../../src/operations/journal.js';
import { exaoperationBackend } from '../../src/backend/exaoperation-backend.js';
import type { ExaOperationClient } from '../../src/exaoperation/client.js';
import type { ClusterProfile } from '../../src/lifecycle/cluster-profile.js';
import { fileStore } from '../../src/store/file-store.js';
import { OperationService, type ManagedCluster } from '../../src/operations/operation-service.js';
import { systemClock, type Clock } from '../../src/util/clock.js';

export interface ServiceFixture {
  readonly service: OperationService;
  readonly journal: Journal;
  readonly audit: AuditLog;
  readonly dataDir: string;
  close(): Promise<void>;
}

/** A cluster with its backend, or an EXAoperation client (most tests), wrapped in its backend here. */
export type FixtureCluster = ManagedCluster | { readonly client: ExaOperationClient; readonly profile: ClusterProfile };

function managed(cluster: FixtureCluster): ManagedCluster {
  return 'backend' in cluster ? cluster : { backend: exaoperationBackend(cluster.client, cluster.profile), profile: cluster.profile };
}

/** An OperationService with real journal and audit files in a fresh directory. */
export function createServiceFixture(
  entries: ReadonlyMap<string, FixtureCluster>,
  approval: Partial<ApprovalPolicy> = {},
  clock: Clock = systemClock,
  dataDir = mkdtempSync(join(tmpdir(), 'exa-chatops-test-')),
  extra: { readonly gate?: ChangeGate } = {},
): ServiceFixture {
  const journal = createJournal(dataDir, clock);
  const audit = createAuditLog(dataDir, clock);
  const clusters = new Map([...entries].map(([name, cluster]) => [name, managed(cluster)]));
  const service = new OperationService({
    clusters,
    store: fileStore(journal, audit, fileControls(dataDir)),
    clock,
    ...(extra.gate ? { gate: extra.gate } : {}),
    approval: {
      requireApprovalFor: DEFAULT_APPROVAL_KINDS,
      allowSelfApproval: false,
      ttlMs: 60_000,
      isApprover: (user) => user.startsWith('APPROVER'),
      ...approval,
    },
  });
  return {
    service,
    journal,
    audit,
    dataDir,
    close: async () => {
      await service.shutdown('test finished');
      journal.close();
      audit.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
