// The object tree under /cluster1: storage, db_<name>, logservice1 and the nodes (the license
// server n0010 included, because stop.py shuts it down through its node object).
import type { ClusterModel } from '../model/cluster-model.js';
import { pythonRepr, type ApiObject } from './api-object.js';
import { clusterMethods } from './cluster-methods.js';
import { databaseMethods } from './database-methods.js';
import { logServiceMethods } from './logservice-methods.js';
import { method, type MethodTable } from './method-table.js';
import { nodeMethods } from './node-methods.js';
import { storageMethods } from './storage-methods.js';

const DB_PREFIX = 'db_';

function leaf(id: string, className: string, methods: MethodTable): ApiObject {
  return withIntrospection({ id, repr: pythonRepr(className, id), methods, child: () => undefined, children: () => [] });
}

/** listMethods() and listObjects() exist on every object (not system.listMethods). */
function withIntrospection(object: ApiObject): ApiObject {
  const methods: MethodTable = {
    ...object.methods,
    listMethods: method(0, 0, () => Object.keys(methods).sort()),
    listObjects: method(0, 0, () => object.children()),
  };
  return { ...object, methods };
}

export function createObjectTree(model: ClusterModel): ApiObject {
  const storage = leaf('storage', 'Storage', storageMethods(model));
  const child = (name: string): ApiObject | undefined => {
    if (name === 'storage') return storage;
    if (name.startsWith(DB_PREFIX) && model.hasDatabase(name.slice(DB_PREFIX.length))) {
      return leaf(name, 'Database', databaseMethods(model, name.slice(DB_PREFIX.length)));
    }
    if (model.hasLogService(name)) return leaf(name, 'LogService', logServiceMethods(model));
    if (model.hasNode(name)) return leaf(name, 'Node', nodeMethods(model, name));
    return undefined;
  };
  // Like the README's listObjects() example, the license server is not listed.
  const children = (): string[] =>
    [
      'storage',
      ...model.getAllLogServices().map((l) => l.name),
      ...model.getNodeList(),
      ...model.getDatabaseList().map((d) => `${DB_PREFIX}${d}`),
    ].sort();
  return withIntrospection({ id: 'cluster', repr: pythonRepr('NodeCluster', 'cluster'), methods: clusterMethods(model), child, children });
}
