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

interface KnownNames {
  readonly nodes: readonly string[];
  readonly databases: readonly string[];
}

/**
 * The node and database names each client's last snapshot found. Nodes and databases are added or
 * removed by an administrator, rarely; between two snapshots the lists are almost always the same.
 */
const lastSeen = new WeakMap<ExaOperationClient, KnownNames>();

/**
 * The whole cluster state in one round-trip, whatever its size: the lists, the cluster-wide states
 * and every node and database the client's previous snapshot found, all at once (getDatabaseInfo
 * carries state, operation, connectibility and connection string in one call). The lists decide
 * what the snapshot holds: a name they add costs a second round-trip for that object only (and so
 * does the first snapshot of a client); a name they no longer hold is dropped, with its answer or
 * error. Every call is made after the snapshot was asked for, so it is as fresh as one that waits
 * for the lists first; only the order of the calls differs.
 */
export async function readClusterSnapshot(
  client: ExaOperationClient,
  options: CallOptions & { readonly now?: () => number } = {},
): Promise<ClusterSnapshot> {
  const call: CallOptions = options.signal ? { signal: options.signal } : {};
  const nodeReads = new Map<string, Promise<NodeSnapshot>>();
  const databaseReads = new Map<string, Promise<DatabaseSnapshot>>();
  const readNode = (name: string): Promise<NodeSnapshot> => {
    let read = nodeReads.get(name);
    if (!read) {
      read = client.getNodeState(name, call).then((state) => ({ name, status: state.status }));
      nodeReads.set(name, read);
    }
    return read;
  };
  const readDatabase = (name: string): Promise<DatabaseSnapshot> => {
    let read = databaseReads.get(name);
    if (!read) {
      read = client.getDatabaseInfo(name, call).then((info) => ({
        name,
        state: info.state,
        operation: info.operation,
        connection: info.connection,
        connectionString: info.connectionString,
      }));
      databaseReads.set(name, read);
    }
    return read;
  };

  const lists = Promise.all([
    client.getNodeList(call),
    client.getDatabaseList(call),
    client.getServiceState(call),
    client.getEXAoperationMaster(call),
    client.serviceIsOnline(call),
  ]);
  const known = lastSeen.get(client);
  if (known) {
    known.nodes.forEach(readNode);
    known.databases.forEach(readDatabase);
    // An answer nobody waits for (the lists failed, or the name is gone) must not be an unhandled rejection.
    for (const read of [...nodeReads.values(), ...databaseReads.values()]) read.catch(() => undefined);
  }
  const [nodeNames, databaseNames, services, master, storageOnline] = await lists;
  const [nodes, databases] = await Promise.all([Promise.all(nodeNames.map(readNode)), Promise.all(databaseNames.map(readDatabase))]);
  lastSeen.set(client, { nodes: nodeNames, databases: databaseNames });
  return { takenAt: (options.now ?? Date.now)(), master, services, storageOnline, nodes, databases };
}
