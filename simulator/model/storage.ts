// EXAStorage start/stop. Starting needs every (non-ignored) data node running; stopping is refused
// while any database is not fully stopped, which is exactly what EXAoperation's UsageError protects.
import type { ClusterState } from './cluster-state.js';
import { scaledMs } from './durations.js';
import { STORAGE_KEY } from './model-events.js';
import { UsageError } from './usage-error.js';

export type ServiceName = 'Loggingd' | 'Lockd' | 'Storaged' | 'DWAd';
export type ServiceState = 'OK' | 'not running';

export function storageOnline(state: ClusterState): boolean {
  return state.storage.kind === 'online' || state.storage.kind === 'stopping';
}

export function startStorage(state: ClusterState, ignoredNodes: readonly string[], at: number): 'OK' {
  if (state.storage.kind === 'online' || state.storage.kind === 'starting') {
    if (state.config.alreadyInState === 'no-op') return 'OK';
    throw new UsageError(`EXAStorage is already ${state.storage.kind}.`);
  }
  if (state.storage.kind !== 'offline') throw new UsageError(`EXAStorage is ${state.storage.kind}; it cannot start now.`);
  const unknown = ignoredNodes.filter((n) => !state.dataNodes.some((d) => d.name === n));
  if (unknown.length > 0) throw new UsageError(`Unknown nodes in ignored_nodes: ${unknown.join(', ')}.`);
  const notRunning = state.dataNodes.filter((n) => !ignoredNodes.includes(n.name) && n.power.kind !== 'running');
  if (notRunning.length > 0) {
    throw new UsageError(`Could not start EXAStorage: nodes ${notRunning.map((n) => n.name).join(', ')} are not running.`);
  }
  const failure = state.misbehaviour.storageStartFailure;
  if (failure !== undefined && failure.remaining > 0) {
    failure.remaining--;
    throw new UsageError(failure.message);
  }
  state.storage = { kind: 'starting' };
  state.log.write(at, { system: 'Storage', node: state.licenseServer.name, message: 'EXAStorage startup requested.', priority: 'Notice' });
  state.queue.schedule(at + scaledMs(state.config.durations.storageStart, state.config.timeScale), STORAGE_KEY, { kind: 'storage-online' });
  return 'OK';
}

export function stopStorage(state: ClusterState, at: number): 'OK' {
  if (state.config.alreadyInState === 'no-op' && (state.storage.kind === 'offline' || state.storage.kind === 'stopping')) return 'OK';
  if (state.storage.kind !== 'online') {
    throw new UsageError(state.storage.kind === 'stopping' ? 'EXAStorage is already stopping.' : 'EXAStorage is not running.');
  }
  const busy = [...state.databases.values()].filter((d) => d.runtime.kind !== 'setup');
  if (busy.length > 0) {
    state.violations.push({
      kind: 'storage-stop-with-database-running',
      at,
      databases: busy.map((d) => d.name),
      message: `stopEXAStorage requested while databases ${busy.map((d) => `${d.name} (${d.runtime.kind})`).join(', ')} were not stopped`,
    });
    throw new UsageError(
      `Could not stop EXAStorage: databases ${busy.map((d) => `${d.name} (${d.runtime.kind})`).join(', ')} are not stopped.`,
    );
  }
  state.storage = { kind: 'stopping' };
  state.log.write(at, { system: 'Storage', node: state.licenseServer.name, message: 'EXAStorage shutdown requested.', priority: 'Notice' });
  state.queue.schedule(at + scaledMs(state.config.durations.storageStop, state.config.timeScale), STORAGE_KEY, { kind: 'storage-offline' });
  return 'OK';
}

/**
 * Where a start or stop requested earlier stands, for a storage call that answers only once it is
 * done: 'OK' when done, undefined while under way, a UsageError when storage ended up elsewhere
 * (a data node went dark under it).
 */
export function storageCallOutcome(state: ClusterState, direction: 'start' | 'stop'): 'OK' | UsageError | undefined {
  const kind = state.storage.kind;
  if (direction === 'start') {
    if (kind === 'online') return 'OK';
    if (kind === 'starting') return undefined;
    return new UsageError(`EXAStorage did not come online; it is ${kind}.`);
  }
  if (kind === 'offline') return 'OK';
  if (kind === 'stopping') return undefined;
  return new UsageError(`EXAStorage did not stop; it is ${kind}.`);
}

/** Same order and names as the KB article's example output. */
export function serviceStates(state: ClusterState): [ServiceName, ServiceState][] {
  const allDataNodesRunning = state.dataNodes.every((n) => n.power.kind === 'running' || n.power.kind === 'shutting-down');
  return [
    ['Loggingd', 'OK'],
    ['Lockd', 'OK'],
    ['Storaged', storageOnline(state) ? 'OK' : 'not running'],
    ['DWAd', allDataNodesRunning ? 'OK' : 'not running'],
  ];
}
