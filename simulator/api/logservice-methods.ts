// Methods of /cluster1/logserviceN.
import type { ClusterModel } from '../model/cluster-model.js';
import { parseString } from './arguments.js';
import { method, type MethodTable } from './method-table.js';

export function logServiceMethods(model: ClusterModel): MethodTable {
  return {
    logEntries: method(0, 0, () => model.logEntries()),
    logEntriesTagged: method(1, 0, ([tag]) => model.logEntriesTagged(parseString(tag, 'tag'))),
  };
}
