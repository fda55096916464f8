// Methods of /cluster1/db_<name>. startDatabase/stopDatabase are triggers that return nil.
import type { ClusterModel } from '../model/cluster-model.js';
import { method, type MethodTable } from './method-table.js';

export function databaseMethods(model: ClusterModel, db: string): MethodTable {
  return {
    getDatabaseState: method(0, 0, () => model.getDatabaseState(db)),
    getDatabaseOperation: method(0, 0, () => model.getDatabaseOperation(db)),
    getDatabaseConnectionState: method(0, 0, () => model.getDatabaseConnectionState(db)),
    getDatabaseConnectionString: method(0, 0, () => model.getDatabaseConnectionString(db)),
    startDatabase: method(0, 0, () => {
      model.startDatabase(db);
      return null;
    }),
    stopDatabase: method(0, 0, () => {
      model.stopDatabase(db);
      return null;
    }),
    runningDatabase: method(0, 0, () => model.runningDatabase(db)),
    getDatabaseInfo: method(0, 0, () => model.getDatabaseInfo(db)),
  };
}
