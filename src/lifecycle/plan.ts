import type { OperationKind } from './operation-kind.js';

/** One action of a plan, as data: what it does and on what. Executed by steps/execute-step.ts. */
export type StepAction =
  | { readonly kind: 'wait-exaoperation' }
  /** ConfD (Exasol 8): answers with quorum, and every node is online. */
  | { readonly kind: 'wait-cluster-online' }
  | { readonly kind: 'check-master' }
  /** `backupsAborted`: a running backup does not count as busy; the plan aborts it before the stop. */
  | { readonly kind: 'check-databases-idle'; readonly backupsAborted?: true }
  /** Exasol 8: db_backup_abort, then wait until no backup runs. */
  | { readonly kind: 'abort-backup'; readonly database: string }
  | { readonly kind: 'power-on-nodes'; readonly nodes: readonly string[] }
  | { readonly kind: 'wait-nodes-booted'; readonly nodes: readonly string[] }
  | { readonly kind: 'check-nodes-running' }
  | { readonly kind: 'start-storage' }
  | { readonly kind: 'wait-services-ok' }
  | { readonly kind: 'check-storage-online' }
  | { readonly kind: 'start-database'; readonly database: string }
  | { readonly kind: 'wait-database-accepting'; readonly database: string }
  | { readonly kind: 'restart-plugin'; readonly plugin: string; readonly node: string }
  | { readonly kind: 'start-plugin'; readonly plugin: string; readonly node: string }
  | { readonly kind: 'stop-database'; readonly database: string }
  | { readonly kind: 'wait-database-stopped'; readonly database: string }
  | { readonly kind: 'check-databases-stopped' }
  | { readonly kind: 'stop-storage' }
  | { readonly kind: 'wait-storage-stopped' }
  | { readonly kind: 'shutdown-nodes'; readonly nodes: readonly string[] }
  | { readonly kind: 'wait-nodes-down'; readonly nodes: readonly string[] }
  | { readonly kind: 'shutdown-license-server'; readonly node: string }
  /** Exasol 8: the operator's host action per node (ConfD stops answering once quorum is gone). */
  | { readonly kind: 'power-off-hosts'; readonly nodes: readonly string[] }
  | { readonly kind: 'power-on-hosts'; readonly nodes: readonly string[] }
  /** Exasol 8 after a cold start: the databases were not known when the plan was made. */
  | { readonly kind: 'start-databases-after-boot' };

/** What the plan expects of a step given the state it was built from (the dry run). */
export type StepExpectation =
  | { readonly kind: 'act' }
  | { readonly kind: 'skip'; readonly reason: string }
  | { readonly kind: 'blocked'; readonly reason: string };

export interface Step {
  readonly id: string; // '1', '2', … in order
  readonly title: string;
  readonly action: StepAction;
  readonly expect: StepExpectation;
}

export interface Plan {
  readonly cluster: string;
  readonly operation: OperationKind;
  readonly steps: readonly Step[];
  /** Preconditions that fail against the state the plan was built from; a blocked plan is not run. */
  readonly blockers: readonly string[];
  /** Operations ahead in the queue this plan was forecast after (ids and descriptions), if any. */
  readonly after?: readonly string[];
}

/** Waits and checks change nothing on the cluster: cancelling during one is always safe. */
export function isSafeToInterrupt(action: StepAction): boolean {
  return action.kind.startsWith('wait-') || action.kind.startsWith('check-');
}

export function stepTitle(action: StepAction): string {
  switch (action.kind) {
    case 'wait-exaoperation':
      return 'Wait until EXAoperation answers';
    case 'wait-cluster-online':
      return 'Wait until ConfD answers with quorum and every node is online';
    case 'check-master':
      return 'Check that the EXAoperation master is the license server';
    case 'check-databases-idle':
      return action.backupsAborted
        ? "Check that no database is busy (operation 'None'; a running backup is aborted below)"
        : "Check that no database is busy (operation 'None')";
    case 'abort-backup':
      return `Abort the running backup of database ${action.database}`;
    case 'power-on-nodes':
      return `Power on ${nodeList(action.nodes)}`;
    case 'wait-nodes-booted':
      return `Wait until ${action.nodes.length} node(s) have booted`;
    case 'check-nodes-running':
      return 'Check that every node is running';
    case 'start-storage':
      return 'Start EXAStorage';
    case 'wait-services-ok':
      return 'Wait until every service reports OK';
    case 'check-storage-online':
      return 'Check that EXAStorage is online';
    case 'start-database':
      return `Start database ${action.database}`;
    case 'wait-database-accepting':
      return `Wait until database ${action.database} accepts connections`;
    case 'restart-plugin':
      return `Restart plugin ${action.plugin} on ${action.node}`;
    case 'start-plugin':
      return `Start plugin ${action.plugin} on ${action.node} if it is not running`;
    case 'stop-database':
      return `Stop database ${action.database}`;
    case 'wait-database-stopped':
      return `Wait until database ${action.database} is stopped`;
    case 'check-databases-stopped':
      return 'Check that no database is running';
    case 'stop-storage':
      return 'Stop EXAStorage';
    case 'wait-storage-stopped':
      return 'Wait until EXAStorage is stopped';
    case 'shutdown-nodes':
      return `Shut down ${nodeList(action.nodes)}`;
    case 'wait-nodes-down':
      return `Wait until ${action.nodes.length} node(s) are down`;
    case 'shutdown-license-server':
      return `Shut down license server ${action.node} (EXAoperation stops answering)`;
    case 'power-off-hosts':
      return `Power off the hosts of ${nodeList(action.nodes)} with the configured host action (ConfD stops answering)`;
    case 'power-on-hosts':
      return `Power on the hosts of ${nodeList(action.nodes)} with the configured host action`;
    case 'start-databases-after-boot':
      return 'Start every database that does not start by itself (auto_start off), and wait until each accepts connections';
  }
}

/** 'node n0011', 'nodes n0011, n0012', '32 nodes (n0011 … n0042)': short enough for a checklist line. */
function nodeList(nodes: readonly string[]): string {
  if (nodes.length === 1) return `node ${nodes[0] ?? ''}`;
  if (nodes.length <= 4) return `nodes ${nodes.join(', ')}`;
  return `${nodes.length} nodes (${nodes[0] ?? ''} … ${nodes.at(-1) ?? ''})`;
}
