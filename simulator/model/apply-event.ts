// Applies one due event at its own time (not at "now"), so log entries carry the moment the change
// happened even when nobody looked at the model for a while.
import type { ClusterState, NodeRecord } from './cluster-state.js';
import { writeDatabaseLog } from './databases.js';
import { databaseKey, operationKey, STORAGE_KEY, type ModelEvent } from './model-events.js';
import { powerOnLicenseServer } from './nodes.js';
import { afterNodeOffline, afterNodeOnline, afterStorageOnline } from './storage-follows-nodes.js';

export function applyEvent(state: ClusterState, event: ModelEvent, at: number): void {
  switch (event.kind) {
    case 'log':
      state.log.write(at, event.line);
      return;
    case 'node-booted': {
      const node = state.nodes.get(event.node);
      if (node === undefined) return;
      node.power = { kind: 'running' };
      node.bootedAt = at;
      // Plugin daemons do not come up on their own after a boot; the KB starts them explicitly.
      node.pluginDaemons.clear();
      if (node.role === 'data' && state.config.storageFollowsNodes) afterNodeOnline(state, node, at);
      if (node.role === 'license-server') {
        state.log.write(at, { system: 'EXAoperation', node: node.name, message: `EXAoperation started on ${node.name}.`, priority: 'Notice' });
      }
      return;
    }
    case 'node-powered-off': {
      const node = state.nodes.get(event.node);
      if (node === undefined) return;
      node.power = { kind: 'off' };
      node.bootedAt = undefined;
      node.pluginDaemons.clear();
      if (node.role === 'data') loseDataNode(state, node, at);
      if (node.role === 'data' && state.config.storageFollowsNodes) afterNodeOffline(state, node, at);
      return;
    }
    case 'license-server-power-on':
      powerOnLicenseServer(state, at);
      return;
    case 'storage-online':
      state.storage = { kind: 'online' };
      state.log.write(at, { system: 'Storage', node: state.licenseServer.name, message: 'EXAStorage is online.', priority: 'Notice' });
      if (state.config.storageFollowsNodes) afterStorageOnline(state, at);
      return;
    case 'storage-offline':
      state.storage = { kind: 'offline' };
      state.log.write(at, { system: 'Storage', node: state.licenseServer.name, message: 'EXAStorage is offline.', priority: 'Notice' });
      return;
    case 'database-running': {
      const db = state.databases.get(event.db);
      if (db === undefined) return;
      db.runtime = { kind: 'running', connectible: false };
      writeDatabaseLog(state, db, at, 'System started successfully in partition 44.');
      writeDatabaseLog(state, db, at, 'System is ready to receive client connections.');
      return;
    }
    case 'database-connectible': {
      const db = state.databases.get(event.db);
      if (db === undefined || db.runtime.kind !== 'running') return;
      db.runtime = { kind: 'running', connectible: true };
      writeDatabaseLog(state, db, at, `EXASolution ${db.name} is accepting connections.`, 'Notice');
      return;
    }
    case 'database-stopped': {
      const db = state.databases.get(event.db);
      if (db === undefined) return;
      db.runtime = { kind: 'setup' };
      writeDatabaseLog(state, db, at, 'System marked as stopped.');
      return;
    }
    case 'database-operation-finished': {
      const db = state.databases.get(event.db);
      if (db === undefined || db.operation !== event.operation) return;
      db.operation = 'None';
      writeDatabaseLog(state, db, at, `${event.operation} finished successfully.`, 'Notice');
      return;
    }
  }
}

/**
 * A data node went dark under a running storage or database (a recorded violation). Nothing in the
 * reference says what EXAoperation shows then; we crash storage and databases so the cluster stays
 * consistent and a later start-up sequence still works.
 */
function loseDataNode(state: ClusterState, node: NodeRecord, at: number): void {
  for (const db of state.databases.values()) {
    if (db.runtime.kind === 'setup') continue;
    state.queue.cancel(databaseKey(db.name));
    state.queue.cancel(operationKey(db.name));
    db.operation = 'None';
    db.runtime = { kind: 'setup' };
    writeDatabaseLog(state, db, at, `System crashed: node ${node.name} went offline.`, 'Error');
  }
  if (state.storage.kind !== 'offline') {
    state.queue.cancel(STORAGE_KEY);
    state.storage = { kind: 'offline' };
    // On Exasol 8 storage going with a node is the normal way down, not a crash.
    const priority = state.config.storageFollowsNodes ? 'Notice' : 'Error';
    state.log.write(at, { system: 'Storage', node: node.name, message: `EXAStorage stopped: node ${node.name} went offline.`, priority });
  }
}
