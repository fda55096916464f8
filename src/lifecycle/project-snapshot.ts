import type { OperationKind } from './operation-kind.js';
import type { ClusterSnapshot, DatabaseSnapshot, NodeSnapshot } from './snapshot.js';

/**
 * The state the cluster is expected to be in once `operation` has succeeded. An approval request
 * plans against the state after whatever is queued or running on the cluster, so the approver
 * sees what the operation will do when it is its turn, not what it would do now. It is only a
 * forecast: at run time the plan is rebuilt from the live state, and anything beyond what was
 * approved goes back for approval (approved-actions.ts).
 */
export function projectSnapshot(snapshot: ClusterSnapshot, operation: OperationKind): ClusterSnapshot {
  switch (operation.kind) {
    case 'cluster-startup':
      return {
        ...snapshot,
        nodes: snapshot.nodes.map(up),
        services: snapshot.services.map((s) => ({ ...s, state: { kind: 'ok' } })),
        storageOnline: true,
        databases: snapshot.databases.map((d) => (d.state.kind === 'setup' ? running(d) : d)),
      };
    case 'cluster-shutdown':
      return {
        ...snapshot,
        nodes: snapshot.nodes.map(off),
        services: snapshot.services.map((s) => (s.name === 'Storaged' ? { ...s, state: { kind: 'not-running' } } : s)),
        storageOnline: false,
        databases: snapshot.databases.map(stopped),
      };
    case 'database-start':
      return { ...snapshot, databases: snapshot.databases.map((d) => (d.name === operation.database && d.state.kind === 'setup' ? running(d) : d)) };
    case 'database-stop':
      return { ...snapshot, databases: snapshot.databases.map((d) => (d.name === operation.database ? stopped(d) : d)) };
    case 'storage-start':
      return { ...snapshot, storageOnline: true, services: snapshot.services.map((s) => (s.name === 'Storaged' ? { ...s, state: { kind: 'ok' } } : s)) };
    case 'storage-stop':
      return {
        ...snapshot,
        storageOnline: false,
        services: snapshot.services.map((s) => (s.name === 'Storaged' ? { ...s, state: { kind: 'not-running' } } : s)),
      };
  }
}

function up(node: NodeSnapshot): NodeSnapshot {
  return { ...node, status: { kind: 'running' }, power: { kind: 'up', why: 'Running' } };
}

function off(node: NodeSnapshot): NodeSnapshot {
  return { ...node, status: { kind: 'unknown', raw: 'Unknown' }, power: { kind: 'off' } };
}

function running(db: DatabaseSnapshot): DatabaseSnapshot {
  return { ...db, state: { kind: 'running' }, operation: { kind: 'idle' }, connection: { kind: 'accepting' } };
}

function stopped(db: DatabaseSnapshot): DatabaseSnapshot {
  return db.state.kind === 'none' ? db : { ...db, state: { kind: 'setup' }, connection: { kind: 'rejecting' } };
}
