import type { CallOptions } from '../exaoperation/transport.js';
import type { ExaOperationClient } from '../exaoperation/client.js';
import type { ConnectionState, DatabaseOperation, DatabaseState, NodeStatus, ServiceState } from '../exaoperation/types.js';

export interface NodeSnapshot {
  readonly name: string;
  readonly status: NodeStatus;
}

export interface DatabaseSnapshot {
  readonly name: string;
  readonly state: DatabaseState;
  readonly operation: DatabaseOperation;
  readonly connection: ConnectionState;
  readonly connectionString: string;
}

export interface ClusterSnapshot {
  readonly takenAt: number;
  readonly master: string;
  readonly services: readonly ServiceState[];
  readonly storageOnline: boolean;
  readonly nodes: readonly NodeSnapshot[];
  readonly databases: readonly DatabaseSnapshot[];
}

/**
 * The whole cluster state in two round-trips, whatever its size: first the lists and the
 * cluster-wide states in parallel, then every node and every database in parallel
 * (getDatabaseInfo carries state, operation, connectibility and connection string in one call).
 */
export async function readClusterSnapshot(
  client: ExaOperationClient,
  options: CallOptions & { readonly now?: () => number } = {},
): Promise<ClusterSnapshot> {
  const call: CallOptions = options.signal ? { signal: options.signal } : {};
  const [nodeNames, databaseNames, services, master, storageOnline] = await Promise.all([
    client.getNodeList(call),
    client.getDatabaseList(call),
    client.getServiceState(call),
    client.getEXAoperationMaster(call),
    client.serviceIsOnline(call),
  ]);
  const [nodes, databases] = await Promise.all([
    Promise.all(
      nodeNames.map(async (name): Promise<NodeSnapshot> => ({ name, status: (await client.getNodeState(name, call)).status })),
    ),
    Promise.all(
      databaseNames.map(async (name): Promise<DatabaseSnapshot> => {
        const info = await client.getDatabaseInfo(name, call);
        return {
          name,
          state: info.state,
          operation: info.operation,
          connection: info.connection,
          connectionString: info.connectionString,
        };
      }),
    ),
  ]);
  return { takenAt: (options.now ?? Date.now)(), master, services, storageOnline, nodes, databases };
}
