import { abortsBackup, describeOperation, operationKey, type OperationKind } from '../lifecycle/operation-kind.js';
import { isActive, type OperationRecord } from './operation-record.js';

/** Why a new request may not join the cluster's queue, naming the operation in the way. */
export type Obstacle =
  | { readonly kind: 'duplicate'; readonly existing: OperationRecord }
  | { readonly kind: 'conflict'; readonly existing: OperationRecord };

/**
 * Requests that undo each other, or that would run after a shut-down, are refused: a start-up
 * queued behind a shut-down (or the other way round) would only run on a cluster the approver did
 * not see. Pairs: start-up vs shut-down, db start vs db stop of the same database, storage start vs
 * stop, and anything after a shut-down that is waiting, queued or running.
 */
export function conflicts(requested: OperationKind, existing: OperationKind): boolean {
  if (existing.kind === 'cluster-shutdown') return true;
  const pair = (a: OperationKind['kind'], b: OperationKind['kind']): boolean =>
    (requested.kind === a && existing.kind === b) || (requested.kind === b && existing.kind === a);
  if (pair('cluster-startup', 'cluster-shutdown')) return true;
  if (pair('storage-start', 'storage-stop')) return true;
  if (pair('database-start', 'database-stop')) {
    return 'database' in requested && 'database' in existing && requested.database === existing.database;
  }
  return false;
}

/** The first active operation on `cluster` that is the same request, or one it conflicts with. */
export function findObstacle(ops: Iterable<OperationRecord>, cluster: string, operation: OperationKind): Obstacle | undefined {
  const key = operationKey(operation);
  const active = [...ops].filter((op) => op.cluster === cluster && isActive(op));
  const same = active.find((op) => operationKey(op.operation) === key);
  if (same) return { kind: 'duplicate', existing: same };
  const other = active.find((op) => conflicts(operation, op.operation));
  return other ? { kind: 'conflict', existing: other } : undefined;
}

export function describeObstacle(obstacle: Obstacle, cluster: string, operation: OperationKind): string {
  const { existing } = obstacle;
  const state = existing.status.kind === 'awaiting-approval' ? 'waiting for approval' : existing.status.kind;
  const where = `${existing.id} (${describeOperation(existing.operation)}, requested by ${existing.requestedBy}, ${state})`;
  if (obstacle.kind === 'duplicate' && abortsBackup(operation) && !abortsBackup(existing.operation)) {
    return (
      `${existing.id} (${describeOperation(existing.operation)}, requested by ${existing.requestedBy}) is already ${state} and does not abort backups. ` +
      `Nothing new was queued: cancel it with /exa cancel ${existing.id}, then ask again with --abort-backup.`
    );
  }
  if (obstacle.kind === 'duplicate') {
    return `A ${describeOperation(operation)} of ${cluster} is already ${existing.status.kind.replace('-', ' ')} as ${existing.id} (requested by ${existing.requestedBy}). Nothing new was queued.`;
  }
  return (
    `Refused: a ${describeOperation(operation)} of ${cluster} conflicts with ${where}. ` +
    `Nothing was queued. Wait until it ends, or cancel it with /exa cancel ${existing.id}, then ask again.`
  );
}
