// The object tree under /cluster1: storage, db_<name>, logservice1 and the nodes (the license
// server n0010 included, because stop.py shuts it down through its node object).
import type { ClusterModel } from '../model/cluster-model.js';
import { UsageError } from '../model/usage-error.js';
import { parseString } from './arguments.js';
import { pythonRepr, type ApiObject } from './api-object.js';
import { clusterMethods } from './cluster-methods.js';
import { databaseMethods } from './database-methods.js';
import { logServiceMethods } from './logservice-methods.js';
import { method, type MethodTable } from './method-table.js';
import { nodeMethods } from './node-methods.js';
import { storageMethods } from './storage-methods.js';

const DB_PREFIX = 'db_';

/**
 * listMethods(), methodHelp(name), getPath() and listObjects() exist on every object (reference
 * §1.4; not system.listMethods). methodHelp returns None for a method without a docstring.
 */
function withIntrospection(object: ApiObject, path: string): ApiObject {
  const methods: MethodTable = {
    ...object.methods,
    listMethods: method(0, 0, () => Object.keys(methods).sort(), 'Return a list of methods of this object.'),
    methodHelp: method(1, 0, ([name]) => {
      const wanted = parseString(name, 'name');
      if (!Object.hasOwn(methods, wanted)) throw new UsageError(`No method ${wanted} on ${object.repr}.`);
      return methods[wanted]?.help ?? null;
    }),
    getPath: method(0, 0, () => path),
    listObjects: method(0, 0, () => object.children()),
  };
  return { ...object, methods };
}

export function createObjectTree(model: ClusterModel, clusterName = 'cluster1'): ApiObject {
  const leaf = (id: string, className: string, methods: MethodTable): ApiObject =>
    withIntrospection({ id, repr: pythonRepr(className, id), methods, child: () => undefined, children: () => [] }, `/${clusterName}/${id}`);
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
  return withIntrospection(
    { id: 'cluster', repr: pythonRepr('NodeCluster', 'cluster'), methods: clusterMethods(model), child, children },
    `/${clusterName}`,
  );
}
