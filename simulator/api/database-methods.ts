// Methods of /cluster1/db_<name>. startDatabase/stopDatabase are triggers that return nil; the
// DUPLICATE OF pairs of the reference (§2.2) share one implementation.
import type { ClusterModel } from '../model/cluster-model.js';
import { method, type MethodTable } from './method-table.js';

export function databaseMethods(model: ClusterModel, db: string): MethodTable {
  const state = method(0, 0, () => model.getDatabaseState(db), 'Return state of a database. DUPLICATE OF: stateDatabase()');
  const operation = method(0, 0, () => model.getDatabaseOperation(db), "Returns a current database's operation. DUPLICATE OF: operationGetCurrent");
  const stop = (help: string) =>
    method(
      0,
      0,
      () => {
        model.stopDatabase(db);
        return null;
      },
      help,
    );
  return {
    getDatabaseState: state,
    stateDatabase: { ...state, help: 'Return human-readable state of database.' },
    getDatabaseOperation: operation,
    operationGetCurrent: { ...operation, help: "Returns a current database's operation." },
    getDatabaseConnectionState: method(0, 0, () => model.getDatabaseConnectionState(db)),
    getDatabaseConnectionString: method(0, 0, () => model.getDatabaseConnectionString(db), 'Return a fully qualified connection string.'),
    startDatabase: method(
      0,
      0,
      () => {
        model.startDatabase(db);
        return null;
      },
      'Startup the database, must exists and must not be running.',
    ),
    stopDatabase: stop('Stop a database. DUPLICATE OF: shutdownDatabase()'),
    shutdownDatabase: stop('Shutdown the database, must be running.'),
    runningDatabase: method(0, 0, () => model.runningDatabase(db)),
    existDatabase: method(0, 0, () => model.existDatabase(db)),
    getDatabaseNodes: method(0, 0, () => model.getDatabaseNodes(db)),
    getDatabaseInfo: method(0, 0, () => model.getDatabaseInfo(db), "If a database uses EXAStorage, it returns a volume's preperties too."),
  };
}
