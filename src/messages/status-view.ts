import type { ClusterSnapshot } from '../lifecycle/snapshot.js';
import {
  connectionLabel,
  databaseOperationLabel,
  databaseStateLabel,
  formatTimestamp,
  nodeStatusLabel,
  serviceStateLabel,
} from './labels.js';
import { context, header, table, text, type Block, type Message } from './message.js';

export function renderStatus(cluster: string, snapshot: ClusterSnapshot): Message {
  return {
    title: `Status of cluster ${cluster}: ${summary(snapshot)}`,
    blocks: [header(`Cluster ${cluster}`), ...statusBlocks(snapshot)],
  };
}

/** The state tables on their own, reused under a finished operation's report. */
export function statusBlocks(snapshot: ClusterSnapshot): Block[] {
  const service = snapshot.service ?? 'EXAoperation';
  const offline = snapshot.nodes.filter((n) => n.status.kind !== 'running');
  const online = snapshot.nodes.length - offline.length;
  const nodesLine = `Nodes: ${online} online, ${offline.length} offline`;
  const unreadable = (part: 'nodes' | 'volumes' | 'backups'): string | undefined => snapshot.unreadable?.find((u) => u.part === part)?.why;
  const nodesUnreadable = unreadable('nodes');
  const volumesUnreadable = unreadable('volumes');
  const backupsUnreadable = unreadable('backups');
  // Exasol 8 tells more per database (node counts, backups) and when each node booted.
  const withNodes = snapshot.databases.some((db) => db.nodes !== undefined);
  const withBackups = snapshot.databases.some((db) => db.backup !== undefined);
  const booted = snapshot.nodes.some((n) => n.booted !== undefined);
  return [
    text(summary(snapshot)),
    // Exasol 8 has no services to list; EXAoperation always has some.
    ...(snapshot.services.length > 0 || snapshot.volumes === undefined
      ? [text('Services', 'strong'), table(['service', 'state'], snapshot.services.map((s) => [s.name, serviceStateLabel(s.state)]))]
      : []),
    text('Databases', 'strong'),
    table(
      [
        'database',
        'state',
        'operation',
        'accepting connections',
        'connection string',
        ...(withNodes ? ['nodes active/failed/reserve'] : []),
        ...(withBackups ? ['backup'] : []),
      ],
      snapshot.databases.map((db) => [
        db.name,
        databaseStateLabel(db.state),
        databaseOperationLabel(db.operation),
        connectionLabel(db.connection),
        db.connectionString === '' ? '-' : db.connectionString,
        ...(withNodes ? [db.nodes ? `${db.nodes.active}/${db.nodes.failed}/${db.nodes.reserve}` : '-'] : []),
        ...(withBackups ? [db.backup === undefined ? '-' : db.backup.kind === 'none' ? 'none' : `running: ${db.backup.text}`] : []),
      ]),
    ),
    ...(backupsUnreadable !== undefined ? [text(`Backups: ${backupsUnreadable}`, 'warning')] : []),
    ...(snapshot.volumes === undefined
      ? []
      : volumesUnreadable !== undefined
        ? [text(`Volumes: ${volumesUnreadable}`, 'warning')]
        : [
            text('Volumes', 'strong'),
            table(
              ['volume', 'state', 'redundancy', 'unrecovered segments'],
              snapshot.volumes.map((v) => [v.name, v.state, v.redundancy === undefined ? '-' : String(v.redundancy), String(v.unrecoveredSegments)]),
            ),
          ]),
    ...(booted && nodesUnreadable === undefined
      ? [text('Nodes', 'strong'), table(['node', 'state', 'booted'], snapshot.nodes.map((n) => [n.name, nodeStatusLabel(n.status), n.booted ?? '-']))]
      : []),
    nodesUnreadable !== undefined
      ? text(`Nodes: ${nodesUnreadable}`, 'warning')
      : offline.length === 0
        ? text(nodesLine)
        : text(`${nodesLine}. Offline: ${offline.map((n) => `${n.name} (${nodeStatusLabel(n.status)})`).join(', ')}`, 'warning'),
    text(`${service} master: ${snapshot.master}`),
    context(`Read from ${service} at ${formatTimestamp(snapshot.takenAt)}`),
  ];
}

/** One line: nodes online, storage, databases accepting connections. */
export function summary(snapshot: ClusterSnapshot): string {
  const online = snapshot.nodes.filter((n) => n.status.kind === 'running').length;
  const accepting = snapshot.databases.filter((d) => d.connection.kind === 'accepting').length;
  const nodes = snapshot.unreadable?.some((u) => u.part === 'nodes') ? 'nodes: no permission' : `${online}/${snapshot.nodes.length} nodes online`;
  const storage =
    snapshot.volumes === undefined
      ? `EXAStorage ${snapshot.storageOnline ? 'online' : 'offline'}`
      : `${snapshot.volumes.filter((v) => v.state.toUpperCase() === 'ONLINE').length}/${snapshot.volumes.length} volumes online`;
  return [nodes, storage, `${accepting}/${snapshot.databases.length} databases accepting connections`].join(', ');
}
