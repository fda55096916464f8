import type { CallOptions } from '../exaoperation/transport.js';
import type { ExaOperationClient } from '../exaoperation/client.js';
import type { ConnectionState, DatabaseOperation, DatabaseState, NodeStatus, ServiceState } from '../exaoperation/types.js';
import { classifyPower, type NodePower } from './node-power.js';

export interface NodeSnapshot {
  readonly name: string;
  readonly status: NodeStatus;
  /** Off only when EXAoperation says so positively (see node-power.ts); plans act on this. */
  readonly power: NodePower;
  /** Exasol 8: when the node booted, as ConfD's node_state says it (text, shown as sent). */
  readonly booted?: string;
}

/** A backup of one database (Exasol 8's db_backup_progress); anything but a plain "none" is running. */
export type BackupState = { readonly kind: 'none' } | { readonly kind: 'running'; readonly text: string };

export interface DatabaseSnapshot {
  readonly name: string;
  readonly state: DatabaseState;
  readonly operation: DatabaseOperation;
  readonly connection: ConnectionState;
  readonly connectionString: string;
  /** Exasol 8 (db_info): how many nodes the database runs on, has lost, and holds in reserve. */
  readonly nodes?: { readonly active: number; readonly failed: number; readonly reserve: number };
  /** Exasol 8: the backup state; undefined where it was not read (EXAoperation, or no permission). */
  readonly backup?: BackupState;
}

/** A storage volume, as ConfD lists it (Exasol 8). */
export interface VolumeSnapshot {
  readonly name: string;
  readonly state: string;
  readonly redundancy: number | undefined;
  readonly unrecoveredSegments: number;
}

/** A part of the state the backend could not read; shown as such, never as a failure of the whole. */
export interface Unreadable {
  readonly part: 'nodes' | 'volumes' | 'backups';
  readonly why: string;
}

export interface ClusterSnapshot {
  readonly takenAt: number;
  /** The service it was read from, when not EXAoperation ('ConfD'). */
  readonly service?: string;
  readonly master: string;
  readonly services: readonly ServiceState[];
  readonly storageOnline: boolean;
  readonly nodes: readonly NodeSnapshot[];
  readonly databases: readonly DatabaseSnapshot[];
  /** Exasol 8: the storage volumes (there is no EXAStorage service to start or stop). */
  readonly volumes?: readonly VolumeSnapshot[];
  readonly unreadable?: readonly Unreadable[];
  /**
   * Exasol 8 with host power on configured: ConfD did not answer (its hosts are off, or too few
   * are up for quorum), and this is all that is known: the configured hosts, nothing about databases.
   */
  readonly unreachable?: string;
}

type Reading = Omit<ClusterSnapshot, 'takenAt'>;

/**
 * The cluster's state in one round-trip, whatever its size (see readOnce).
 *
 * Reads nobody can cancel (no signal, no deadline of their own: `/exa status` and `/exa plan`
 * from Slack) are shared per client, so a burst of commands does not become a burst of calls:
 * a read asked for while another is in flight waits for it to end, then takes part in the next
 * read, which starts then and serves everyone who asked meanwhile. Each caller thus gets a state
 * read entirely after it asked — never an answer that was already on its way — and EXAoperation
 * sees at most two reads at a time, however many people ask. A read with a signal or a deadline
 * (an operation's own checks, the watcher, a console command) is its own, so cancelling it still
 * cuts its calls.
 */
export async function readClusterSnapshot(
  client: ExaOperationClient,
  options: CallOptions & { readonly now?: () => number } = {},
): Promise<ClusterSnapshot> {
  const own = options.signal !== undefined || options.timeoutMs !== undefined;
  const reading = await (own ? readOnce(client, options) : sharedRead(client));
  return { takenAt: (options.now ?? Date.now)(), ...reading };
}

interface Flights {
  /** The shared read on its way. */
  current?: Promise<Reading> | undefined;
  /** The read that starts when `current` ends, for everyone who asked meanwhile. */
  next?: Promise<Reading> | undefined;
}

const flights = new WeakMap<ExaOperationClient, Flights>();

function sharedRead(client: ExaOperationClient): Promise<Reading> {
  let flight = flights.get(client);
  if (!flight) {
    flight = {};
    flights.set(client, flight);
  }
  const state = flight;
  const start = (): Promise<Reading> => {
    const read = readOnce(client, {});
    state.current = read;
    const ended = (): void => {
      if (state.current === read) state.current = undefined;
    };
    read.then(ended, ended);
    return read;
  };
  if (!state.current) return start();
  state.next ??= state.current.then(
    () => undefined,
    () => undefined,
  ).then(() => {
    state.next = undefined;
    return start();
  });
  return state.next;
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
 * One read: the lists, the cluster-wide states and every node and database the client's previous
 * snapshot found, all at once (getDatabaseInfo carries state, operation, connectibility and
 * connection string in one call). The lists decide what the snapshot holds: a name they add costs
 * a second round-trip for that object only (and so does the first snapshot of a client); a name
 * they no longer hold is dropped, with its answer or error. Every call is made after the read
 * started, so it is as fresh as one that waits for the lists first; only the order of calls differs.
 */
async function readOnce(client: ExaOperationClient, options: CallOptions): Promise<Reading> {
  const call: CallOptions = options.signal ? { signal: options.signal } : {};
  const timed: CallOptions = options.timeoutMs === undefined ? call : { ...call, timeoutMs: options.timeoutMs };
  const nodeReads = new Map<string, Promise<NodeSnapshot>>();
  const databaseReads = new Map<string, Promise<DatabaseSnapshot>>();
  const readNode = (name: string): Promise<NodeSnapshot> => {
    let read = nodeReads.get(name);
    if (!read) {
      // The inventory is asked only of a node that is not 'Running': a running cluster costs no
      // extra call, and any other state needs the article's online test before it means "off".
      read = client.getNodeState(name, timed).then(async (state): Promise<NodeSnapshot> => {
        if (state.status.kind === 'running') return { name, status: state.status, power: classifyPower(state.status, { online: true, text: '' }) };
        // A failed inventory read is "cannot tell", so the node counts as up (node-power.ts).
        const hardware = await client
          .getHardwareInformation(name, timed)
          .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
        return { name, status: state.status, power: classifyPower(state.status, hardware) };
      });
      nodeReads.set(name, read);
    }
    return read;
  };
  const readDatabase = (name: string): Promise<DatabaseSnapshot> => {
    let read = databaseReads.get(name);
    if (!read) {
      read = client.getDatabaseInfo(name, timed).then((info) => ({
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
    client.getNodeList(timed),
    client.getDatabaseList(timed),
    client.getServiceState(timed),
    client.getEXAoperationMaster(timed),
    client.serviceIsOnline(timed),
  ]);
  const known = lastSeen.get(client);
  if (known) {
    for (const name of known.nodes) void readNode(name);
    for (const name of known.databases) void readDatabase(name);
    // An answer nobody waits for (the lists failed, or the name is gone) must not be an unhandled rejection.
    for (const read of [...nodeReads.values(), ...databaseReads.values()]) read.catch(() => undefined);
  }
  const [nodeNames, databaseNames, services, master, storageOnline] = await lists;
  const [nodes, databases] = await Promise.all([Promise.all(nodeNames.map(readNode)), Promise.all(databaseNames.map(readDatabase))]);
  lastSeen.set(client, { nodes: nodeNames, databases: databaseNames });
  return { master, services, storageOnline, nodes, databases };
}
