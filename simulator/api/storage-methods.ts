// Methods of /cluster1/storage.
import type { ClusterModel } from '../model/cluster-model.js';
import { parseStringList } from './arguments.js';
import { method, type MethodTable } from './method-table.js';

export function storageMethods(model: ClusterModel): MethodTable {
  return {
    startEXAStorage: method(0, 1, ([ignored]) =>
      model.startEXAStorage(ignored === undefined ? [] : parseStringList(ignored, 'ignored_nodes')),
    ),
    stopEXAStorage: method(0, 0, () => model.stopEXAStorage()),
    serviceIsOnline: method(0, 0, () => model.serviceIsOnline()),
  };
}
