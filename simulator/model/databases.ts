// Database lifecycle setup → startup → running → shutdown → setup, writing the messages of the
// real logservice (reference §4.3) with the database name as `system`.
import { DATABASE_PORT, NETWORK_PREFIX, type ClusterState, type DatabaseRecord } from './cluster-state.js';
import { scaledMs } from './durations.js';
import { databaseKey } from './model-events.js';
import { storageOnline } from './storage.js';
import { UsageError } from './usage-error.js';

export type DatabaseStateName = DatabaseRecord['runtime']['kind'];

export function resolveDatabase(state: ClusterState, name: string): DatabaseRecord {
  const db = state.databases.get(name);
  if (db === undefined) throw new UsageError(`Database ${name} does not exist.`);
  return db;
}

export function isConnectible(db: DatabaseRecord): boolean {
  return db.runtime.kind === 'running' && db.runtime.connectible;
}

export function connectionString(state: ClusterState): string {
  const first = state.dataNodes[0]?.number ?? 0;
  const last = state.dataNodes[state.dataNodes.length - 1]?.number ?? first;
  const range = first === last ? `${first}` : `${first}..${last}`;
  return `${NETWORK_PREFIX}${range}:${DATABASE_PORT}`;
}

export function startDatabase(state: ClusterState, db: DatabaseRecord, at: number): void {
  if (db.runtime.kind !== 'setup') throw new UsageError(`Database ${db.name} must not be running; its state is ${db.runtime.kind}.`);
  if (state.storage.kind !== 'online') throw new UsageError(`Database ${db.name} cannot start: EXAStorage is not online.`);
  const down = state.dataNodes.filter((n) => n.power.kind !== 'running').map((n) => n.name);
  if (down.length > 0) throw new UsageError(`Database ${db.name} cannot start: nodes ${down.join(', ')} are not running.`);
  const { durations, timeScale } = state.config;
  db.runtime = { kind: 'startup' };
  writeDatabaseLog(state, db, at, 'User 0 requests startup of system.');
  const runningAt = at + scaledMs(durations.databaseStart, timeScale);
  state.queue.schedule(runningAt, databaseKey(db.name), { kind: 'database-running', db: db.name });
  state.queue.schedule(runningAt + scaledMs(durations.databaseConnectDelay, timeScale), databaseKey(db.name), {
    kind: 'database-connectible',
    db: db.name,
  });
}

export function stopDatabase(state: ClusterState, db: DatabaseRecord, at: number): void {
  if (db.runtime.kind !== 'running') throw new UsageError(`Database ${db.name} must be running; its state is ${db.runtime.kind}.`);
  if (db.operation !== 'None') throw new UsageError(`Database ${db.name} is busy with operation ${db.operation}.`);
  // A connect delay may still be pending; the stop makes it moot.
  state.queue.cancel(databaseKey(db.name));
  db.runtime = { kind: 'shutdown' };
  writeDatabaseLog(state, db, at, 'User 0 requests shutdown of system.');
  writeDatabaseLog(state, db, at, `EXASolution ${db.name} is rejecting connections`, 'Notice');
  state.queue.schedule(at + scaledMs(state.config.durations.databaseStop, state.config.timeScale), databaseKey(db.name), {
    kind: 'database-stopped',
    db: db.name,
  });
}

export function writeDatabaseLog(
  state: ClusterState,
  db: DatabaseRecord,
  at: number,
  message: string,
  priority: 'Information' | 'Notice' | 'Error' = 'Information',
): void {
  state.log.write(at, { system: db.name, node: state.dataNodes[0]?.name ?? state.licenseServer.name, message, priority });
}

/** Keys and value types as in the README example of getDatabaseInfo(); keys contain spaces. */
export type DatabaseInfo = {
  readonly connectible: 'Yes' | 'No';
  readonly 'connection string': string;
  readonly info: string;
  readonly name: string;
  readonly nodes: { readonly active: string[]; readonly failed: string[]; readonly reserve: string[] };
  readonly operation: string;
  readonly 'persistent volume': string;
  readonly quota: number;
  readonly state: DatabaseStateName;
  readonly 'temporary volume': string;
  readonly 'usage persistent': number;
  readonly 'usage temporary': number;
};

export function databaseInfo(state: ClusterState, db: DatabaseRecord): DatabaseInfo {
  const running = db.runtime.kind === 'running';
  return {
    connectible: isConnectible(db) ? 'Yes' : 'No',
    'connection string': connectionString(state),
    info: '',
    name: db.name,
    nodes: { active: state.dataNodes.map((n) => n.name), failed: [], reserve: [] },
    operation: db.operation,
    'persistent volume': volumeId(db.index * 2),
    quota: 0,
    state: db.runtime.kind,
    'temporary volume': running ? volumeId(db.index * 2 + 1) : 'None',
    'usage persistent': storageOnline(state) ? 42 : 0,
    'usage temporary': running ? 1 : 0,
  };
}

function volumeId(n: number): string {
  return `v${String(n).padStart(4, '0')}`;
}
