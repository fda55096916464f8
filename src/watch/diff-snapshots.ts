import type { ClusterSnapshot } from '../lifecycle/snapshot.js';
import type { StateChange } from './events.js';

/** Two parsed states are the same when their kind and, for unrecognised values, their raw text agree. */
function same<T extends { readonly kind: string }>(a: T, b: T): boolean {
  return a.kind === b.kind && ('raw' in a ? a.raw : undefined) === ('raw' in b ? b.raw : undefined);
}

function byName<T extends { readonly name: string }>(items: readonly T[]): Map<string, T> {
  return new Map(items.map((item) => [item.name, item]));
}

/**
 * What changed between two polls, in a fixed order (cluster-wide first, then nodes, then
 * databases) so the thread reads top-down. Objects present in only one snapshot are not reported:
 * a node or database appearing or vanishing is a configuration change, not a state change, and
 * the first poll after start must not announce every object as new.
 */
export function diffSnapshots(before: ClusterSnapshot, after: ClusterSnapshot): StateChange[] {
  const changes: StateChange[] = [];
  if (before.master !== after.master) changes.push({ kind: 'master-changed', from: before.master, to: after.master });
  if (before.storageOnline !== after.storageOnline) {
    changes.push({ kind: 'storage-changed', online: after.storageOnline, ...(after.volumes === undefined ? {} : { volumes: true }) });
  }

  const services = byName(before.services);
  for (const service of after.services) {
    const old = services.get(service.name);
    if (old !== undefined && !same(old.state, service.state)) {
      changes.push({ kind: 'service-state-changed', service: service.name, from: old.state, to: service.state });
    }
  }

  const nodes = byName(before.nodes);
  for (const node of after.nodes) {
    const old = nodes.get(node.name);
    if (old !== undefined && !same(old.status, node.status)) {
      changes.push({ kind: 'node-status-changed', node: node.name, from: old.status, to: node.status });
    }
  }

  const databases = byName(before.databases);
  for (const db of after.databases) {
    const old = databases.get(db.name);
    if (old === undefined) continue;
    if (!same(old.state, db.state)) changes.push({ kind: 'database-state-changed', database: db.name, from: old.state, to: db.state });
    if (!same(old.operation, db.operation)) {
      changes.push({ kind: 'database-operation-changed', database: db.name, from: old.operation, to: db.operation });
    }
    if (!same(old.connection, db.connection)) {
      changes.push({ kind: 'connection-state-changed', database: db.name, from: old.connection, to: db.connection });
    }
  }
  return changes;
}
