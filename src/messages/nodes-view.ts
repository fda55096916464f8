import type { NodeStatus } from '../exaoperation/types.js';
import { formatTimestamp, nodeStatusLabel } from './labels.js';
import { context, header, table, text, type Message } from './message.js';

/** What OperationService.nodes() reads: node states plus the article's dmidecode online test. */
export interface NodesReport {
  readonly takenAt: number;
  readonly master: string;
  readonly licenseServers: readonly string[];
  readonly nodes: readonly { readonly name: string; readonly status: NodeStatus; readonly online: boolean }[];
}

export function renderNodes(cluster: string, report: NodesReport): Message {
  const down = report.nodes.filter((n) => n.status.kind !== 'running' || !n.online);
  const servers = report.licenseServers.map((n) => (n === report.master ? `${n} (EXAoperation master)` : n));
  const masterElsewhere = report.licenseServers.includes(report.master)
    ? []
    : [text(`The EXAoperation master is ${report.master}, not a license server: a shut-down is refused until it is moved.`, 'warning')];
  return {
    title: `Nodes of cluster ${cluster}: ${report.nodes.length - down.length}/${report.nodes.length} running`,
    blocks: [
      header(`Nodes of cluster ${cluster}`),
      table(
        ['node', 'state', 'hardware'],
        report.nodes.map((n) => [n.name, nodeStatusLabel(n.status), n.online ? 'online' : 'offline']),
      ),
      text(`License server(s): ${servers.join(', ') || 'none configured'}`),
      ...masterElsewhere,
      context(
        `${report.nodes.length - down.length} of ${report.nodes.length} data nodes running and online; ` +
          `read at ${formatTimestamp(report.takenAt)}`,
      ),
    ],
  };
}
