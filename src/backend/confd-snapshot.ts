import type { ConfdClient } from '../confd/client.js';
import { isConfdError } from '../confd/errors.js';
import type { ConfdNodeState } from '../confd/types.js';
import type { NodeStatus } from '../exaoperation/types.js';
import type { CallOptions } from '../exaoperation/transport.js';
import type { NodePower } from '../lifecycle/node-power.js';
import type { ClusterSnapshot, DatabaseSnapshot, NodeSnapshot, Unreadable, VolumeSnapshot } from '../lifecycle/snapshot.js';

/**
 * A job that ran and refused this user (result_code != 0) leaves that part unreadable and the
 * rest of the status intact: `node_state` needs exaadm, which a least-privilege exadbadm account
 * lacks (confd-api.md §1.1). Anything else (ConfD down, a fault, an answer of the wrong shape)
 * fails the whole read, as it does on EXAoperation.
 */
async function part<T>(read: Promise<T>, what: Unreadable['part']): Promise<T | Unreadable> {
  try {
    return await read;
  } catch (error) {
    if (isConfdError(error, 'CONFD_JOB_FAILED')) return { part: what, why: permissionText(error.job?.resultName, error.job?.resultDesc) };
    throw error;
  }
}

function permissionText(name: string | undefined, desc: string | undefined): string {
  const said = [name, desc].filter((s) => s !== undefined && s !== '').join(': ');
  const permission = /permission|not allowed|denied|unauthori[sz]ed|forbidden/i.test(said);
  return permission ? `no permission (ConfD said ${said})` : `ConfD refused the read (${said || 'no reason given'})`;
}

const isUnreadable = (value: unknown): value is Unreadable => typeof value === 'object' && value !== null && 'part' in value && 'why' in value;

/** ConfD's node states in the bot's terms: 'online' is running; anything else is not, and says what it is. */
export function confdNodeStatus(state: ConfdNodeState): NodeStatus {
  switch (state.kind) {
    case 'online':
      return { kind: 'running' };
    case 'deactivated':
      return { kind: 'suspended' };
    case 'offline':
      return { kind: 'offline' };
    case 'unknown':
      return { kind: 'unknown', raw: state.raw };
  }
}

/**
 * ConfD cannot tell whether a host is powered: 'offline' means only that the node is not part of
 * the cluster (its host may well be up). So no node is ever "off" here; a plan that must power a
 * node off or on does so through the configured host action, whose exit status is the answer.
 */
function confdPower(state: ConfdNodeState): NodePower {
  return { kind: 'up', why: state.kind === 'unknown' ? state.raw : state.kind };
}

/** One read, all in parallel: the master, node states, databases (db_info each), volumes. */
export async function readConfdSnapshot(client: ConfdClient, options: CallOptions & { readonly now?: () => number } = {}): Promise<ClusterSnapshot> {
  const call: CallOptions = { ...(options.signal ? { signal: options.signal } : {}), ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) };
  const names = client.dbList(call);
  const infos = names.then((list) => Promise.all(list.map((db) => client.dbInfo(db, call))));
  // A backup read refused for one database leaves the backups part unreadable, not the status.
  const backups = names.then((list) => part(Promise.all(list.map((db) => client.dbBackupProgress(db, call))), 'backups'));
  infos.catch(() => undefined);
  backups.catch(() => undefined);
  const [master, nodes, volumes, databases, backupList] = await Promise.all([
    client.master(call),
    part(client.nodeState(call), 'nodes'),
    part(client.volumeList(call), 'volumes'),
    infos,
    backups,
  ]);
  const unreadable: Unreadable[] = [nodes, volumes, backupList].filter(isUnreadable);
  const nodeList: NodeSnapshot[] = isUnreadable(nodes)
    ? []
    : nodes.nodes.map((n) => ({ name: n.name, status: confdNodeStatus(n.state), power: confdPower(n.state), ...(n.booted === undefined ? {} : { booted: n.booted }) }));
  const volumeList: VolumeSnapshot[] = isUnreadable(volumes)
    ? []
    : volumes.map((v) => ({ name: v.name, state: v.state, redundancy: v.redundancy, unrecoveredSegments: v.unrecoveredSegments }));
  const databaseList: DatabaseSnapshot[] = databases.map((info, i) => {
    const backup = isUnreadable(backupList) ? undefined : backupList[i];
    return {
      name: info.name,
      state: info.state,
      operation: info.operation,
      connection: info.connection,
      connectionString: info.connectionString,
      nodes: { active: info.nodes.active.length, failed: info.nodes.failed.length, reserve: info.nodes.reserve.length },
      ...(backup === undefined ? {} : { backup }),
    };
  });
  return {
    takenAt: (options.now ?? Date.now)(),
    service: 'ConfD',
    master,
    services: [],
    // Storage follows the nodes on Exasol 8; "online" only when every volume says so.
    storageOnline: !isUnreadable(volumes) && volumeList.length > 0 && volumeList.every((v) => v.state.toUpperCase() === 'ONLINE'),
    nodes: nodeList,
    databases: databaseList,
    volumes: volumeList,
    ...(unreadable.length > 0 ? { unreadable } : {}),
  };
}
