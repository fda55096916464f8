// Exasol 8 has no storage start/stop job: EXAStorage comes up with the cluster's boot stages and
// goes away with a node. These hooks run from apply-event.ts when storageFollowsNodes is set, so
// the ConfD mode reuses the whole time model instead of copying it.
import type { ClusterState, NodeRecord } from './cluster-state.js';
import { resolveDatabase, startDatabase } from './databases.js';
import { scaledMs } from './durations.js';
import { STORAGE_KEY } from './model-events.js';

function clusterLog(state: ClusterState, at: number, node: NodeRecord, message: string, priority: 'Information' | 'Notice' | 'Error' = 'Notice'): void {
  state.log.write(at, { system: 'ConfD', node: node.name, message, priority });
}

/** A data node finished booting: once every one is up, storage starts by itself. */
export function afterNodeOnline(state: ClusterState, node: NodeRecord, at: number): void {
  clusterLog(state, at, node, `Node ${node.name} is online.`);
  const allUp = state.dataNodes.every((n) => n.power.kind === 'running');
  if (!allUp || state.storage.kind !== 'offline') return;
  state.storage = { kind: 'starting' };
  state.queue.schedule(at + scaledMs(state.config.durations.storageStart, state.config.timeScale), STORAGE_KEY, { kind: 'storage-online' });
}

/** Storage is online: databases with auto_start come up on their own. */
export function afterStorageOnline(state: ClusterState, at: number): void {
  for (const name of state.config.autoStartDatabases) {
    const db = resolveDatabase(state, name);
    if (db.runtime.kind === 'setup') startDatabase(state, db, at);
  }
}

/** A data node left (powered off): storage cannot stay online without it. */
export function afterNodeOffline(state: ClusterState, node: NodeRecord, at: number): void {
  clusterLog(state, at, node, `Node ${node.name} is offline.`);
}
