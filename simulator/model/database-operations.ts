// Timed database operations (a backup) and the ways out of a start or an operation: ConfD's
// db_backup_abort, db_start's timeout ("the operation is aborted") and db_stop's force.
import type { ClusterState, DatabaseRecord } from './cluster-state.js';
import { stopDatabase, writeDatabaseLog } from './databases.js';
import { scaledMs } from './durations.js';
import { databaseKey, operationKey } from './model-events.js';
import { UsageError } from './usage-error.js';

export interface RunningOperation {
  readonly operation: string;
  readonly since: number;
  readonly until: number;
}

/** Starts `operation` (e.g. 'Backup') on a running, idle database; it ends by itself after `seconds`. */
export function beginOperation(state: ClusterState, db: DatabaseRecord, operation: string, seconds: number, at: number): RunningOperation {
  if (db.runtime.kind !== 'running') throw new UsageError(`Database ${db.name} must be running; its state is ${db.runtime.kind}.`);
  if (db.operation !== 'None') throw new UsageError(`Database ${db.name} is busy with operation ${db.operation}.`);
  if (!(Number.isFinite(seconds) && seconds > 0)) throw new RangeError(`seconds: expected a positive number, got ${String(seconds)}`);
  const until = at + scaledMs(seconds, state.config.timeScale);
  db.operation = operation;
  writeDatabaseLog(state, db, at, `${operation} started.`, 'Notice');
  state.queue.schedule(until, operationKey(db.name), { kind: 'database-operation-finished', db: db.name, operation });
  return { operation, since: at, until };
}

/** The pending end of the database's operation, if one runs. */
export function runningOperation(state: ClusterState, db: DatabaseRecord): { readonly operation: string; readonly until: number } | undefined {
  const end = state.queue.find((s) => s.key === operationKey(db.name));
  if (end === undefined || end.event.kind !== 'database-operation-finished') return undefined;
  return { operation: end.event.operation, until: end.at };
}

export function abortOperation(state: ClusterState, db: DatabaseRecord, at: number): void {
  if (db.operation === 'None') throw new UsageError(`Database ${db.name} has no operation running.`);
  const operation = db.operation;
  state.queue.cancel(operationKey(db.name));
  db.operation = 'None';
  writeDatabaseLog(state, db, at, `${operation} aborted.`, 'Warning');
}

/** A start that did not reach 'running' in time goes back to 'setup'. */
export function abortStart(state: ClusterState, db: DatabaseRecord, at: number): void {
  if (db.runtime.kind !== 'startup') return;
  state.queue.cancel(databaseKey(db.name));
  db.runtime = { kind: 'setup' };
  writeDatabaseLog(state, db, at, 'Startup aborted: timeout reached.', 'Warning');
}

/** db_stop with force: a running operation is aborted first, then the database stops. */
export function forceStop(state: ClusterState, db: DatabaseRecord, at: number): void {
  if (db.operation !== 'None' && db.runtime.kind === 'running') abortOperation(state, db, at);
  stopDatabase(state, db, at);
}
