// Database lifecycle setup → startup → running → shutdown → setup, writing the messages of the
// real logservice (reference §4.3) with the database name as `system`.
import { NETWORK_PREFIX, type ClusterState, type DatabaseRecord } from './cluster-state.js';
import { scaledMs } from './durations.js';
import { databaseKey, STORAGE_KEY } from './model-events.js';
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

/** True while the database starts, runs or shuts down: stop.py polls it until False before stopping storage. */
export function isRunning(db: DatabaseRecord): boolean {
  return db.runtime.kind !== 'setup';
}

/** Every database on a cluster has its own client port (two cannot share one): the base, plus its position. */
export function connectionString(state: ClusterState, db: DatabaseRecord): string {
  const first = state.dataNodes[0]?.number ?? 0;
  const last = state.dataNodes[state.dataNodes.length - 1]?.number ?? first;
  const range = first === last ? `${first}` : `${first}..${last}`;
  return `${NETWORK_PREFIX}${range}:${state.config.databasePortBase + db.index}`;
}

/** When a storage start under way comes online, if one is. */
function storageOnlineAt(state: ClusterState): number | undefined {
  return state.queue.find((s) => s.key === STORAGE_KEY && s.event.kind === 'storage-online')?.at;
}

export function startDatabase(state: ClusterState, db: DatabaseRecord, at: number): void {
  if (db.runtime.kind !== 'setup') throw new UsageError(`Database ${db.name} must not be running; its state is ${db.runtime.kind}.`);
  // With storage calls that answer at once, start.py's startDatabase right after startEXAStorage
  // only works if a database may start on a storage that is still starting: it then waits for it.
  const waitsForStorage = state.storage.kind === 'starting' && state.config.storageCalls === 'immediate';
  if (state.storage.kind !== 'online' && !waitsForStorage) throw new UsageError(`Database ${db.name} cannot start: EXAStorage is not online.`);
  const down = state.dataNodes.filter((n) => n.power.kind !== 'running').map((n) => n.name);
  if (down.length > 0) throw new UsageError(`Database ${db.name} cannot start: nodes ${down.join(', ')} are not running.`);
  const { durations, timeScale } = state.config;
  db.runtime = { kind: 'startup' };
  writeDatabaseLog(state, db, at, 'User 0 requests startup of system.');
  const from = waitsForStorage ? Math.max(at, storageOnlineAt(state) ?? at) : at;
  const runningAt = from + scaledMs(durations.databaseStart, timeScale);
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
  priority: 'Information' | 'Notice' | 'Warning' | 'Error' = 'Information',
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
    'connection string': connectionString(state, db),
    info: '',
    name: db.name,
    nodes: databaseNodes(state),
    operation: db.operation,
    'persistent volume': persistentVolume(db),
    quota: 0,
    state: db.runtime.kind,
    'temporary volume': running ? temporaryVolume(db) : 'None',
    'usage persistent': storageOnline(state) ? 42 : 0,
    'usage temporary': running ? 1 : 0,
  };
}

export function persistentVolume(db: DatabaseRecord): string {
  return volumeId(db.index * 2);
}

/** A running database's temporary volume exists only while it runs. */
export function temporaryVolume(db: DatabaseRecord): string {
  return volumeId(db.index * 2 + 1);
}

/** What getDatabaseNodes() returns (the same shape as getDatabaseInfo()['nodes']). */
export function databaseNodes(state: ClusterState): { active: string[]; failed: string[]; reserve: string[] } {
  return { active: state.dataNodes.map((n) => n.name), failed: [], reserve: [] };
}

function volumeId(n: number): string {
  return `v${String(n).padStart(4, '0')}`;
}
