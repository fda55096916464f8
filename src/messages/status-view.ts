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
  const offline = snapshot.nodes.filter((n) => n.status.kind !== 'running');
  const online = snapshot.nodes.length - offline.length;
  const nodesLine = `Nodes: ${online} online, ${offline.length} offline`;
  return [
    text(summary(snapshot)),
    text('Services', 'strong'),
    table(
      ['service', 'state'],
      snapshot.services.map((s) => [s.name, serviceStateLabel(s.state)]),
    ),
    text('Databases', 'strong'),
    table(
      ['database', 'state', 'operation', 'accepting connections', 'connection string'],
      snapshot.databases.map((db) => [
        db.name,
        databaseStateLabel(db.state),
        databaseOperationLabel(db.operation),
        connectionLabel(db.connection),
        db.connectionString === '' ? '-' : db.connectionString,
      ]),
    ),
    offline.length === 0
      ? text(nodesLine)
      : text(`${nodesLine}. Offline: ${offline.map((n) => `${n.name} (${nodeStatusLabel(n.status)})`).join(', ')}`, 'warning'),
    text(`EXAoperation master: ${snapshot.master}`),
    context(`Read from EXAoperation at ${formatTimestamp(snapshot.takenAt)}`),
  ];
}

function summary(snapshot: ClusterSnapshot): string {
  const online = snapshot.nodes.filter((n) => n.status.kind === 'running').length;
  const accepting = snapshot.databases.filter((d) => d.connection.kind === 'accepting').length;
  return [
    `${online}/${snapshot.nodes.length} nodes online`,
    `EXAStorage ${snapshot.storageOnline ? 'online' : 'offline'}`,
    `${accepting}/${snapshot.databases.length} databases accepting connections`,
  ].join(', ');
}
