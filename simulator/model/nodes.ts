// Node lifecycle: power on over out-of-band management, a timed boot with its log messages, and a
// timed shutdown. Unsafe shutdowns are accepted (like EXAoperation) but recorded as violations.
import { bootMessages, bootSeconds } from './boot-messages.js';
import { nodeName, type ClusterState, type NodeRecord } from './cluster-state.js';
import { scaledMs } from './durations.js';
import { nodeKey } from './model-events.js';
import { UsageError } from './usage-error.js';

export type NodeStatus = 'Running' | 'Unknown' | 'Suspended';

/** Accepts 'n0011' or the node number 11, as getHardwareInformation() does. */
export function resolveNode(state: ClusterState, ref: string | number): NodeRecord {
  const name = typeof ref === 'number' ? nodeName(ref) : ref;
  const node = state.nodes.get(name);
  if (node === undefined) throw new UsageError(`Node ${String(ref)} does not exist.`);
  return node;
}

/**
 * A node shutting down still runs its OS until power off; what its status says meanwhile is not
 * known (reference §3.5), so it is an option: 'Running' or 'Suspended'.
 */
export function nodeStatus(state: ClusterState, node: NodeRecord): NodeStatus {
  switch (node.power.kind) {
    case 'running':
      return 'Running';
    case 'shutting-down':
      return state.config.poweringOffStatus;
    case 'off':
    case 'booting':
      return 'Unknown';
  }
}

/** Its OS answers (hardware inventory, plugins, EXAoperation on a license server) until power off. */
export function isReachable(node: NodeRecord): boolean {
  return node.power.kind === 'running' || node.power.kind === 'shutting-down';
}

function hasOutOfBandManagement(state: ClusterState, node: NodeRecord): boolean {
  const without = state.misbehaviour.nodesWithoutOutOfBandManagement;
  return without !== 'all' && !without.has(node.name);
}

export function startupNode(state: ClusterState, node: NodeRecord, at: number): void {
  if (state.config.alreadyInState === 'no-op' && node.role === 'data' && (node.power.kind === 'running' || node.power.kind === 'booting')) return;
  if (node.power.kind !== 'off') throw new UsageError(`Node ${node.name} is not powered off (${node.power.kind}).`);
  if (node.role === 'license-server') {
    throw new UsageError(`Node ${node.name} is a license server; it has to be powered on physically.`);
  }
  if (!hasOutOfBandManagement(state, node)) {
    throw new UsageError(
      `Node ${node.name} has no out-of-band management interface (iLO, iDRAC, IPMI) configured; power it on manually.`,
    );
  }
  const { config, queue } = state;
  const index = state.dataNodes.indexOf(node);
  const seconds = bootSeconds(index, state.dataNodes.length, config.durations.bootMin, config.durations.bootMax);
  node.power = { kind: 'booting', since: at, seconds };
  node.pluginDaemons.clear();
  const total = scaledMs(seconds, config.timeScale);
  const hangs = state.misbehaviour.hangingBoots.has(node.name);
  // A node in missingBootMessage boots fully; only its boot-finished message is lost.
  const messageLost = config.missingBootMessage.includes(node.name);
  // Exasol 8 nodes do not PXE-boot from EXAoperation: their log has no such messages.
  const messages = config.storageFollowsNodes ? [] : bootMessages(config.bootMessage, node.number, seconds);
  for (const m of messages) {
    if ((hangs || messageLost) && m.final) continue;
    queue.schedule(at + total * m.fraction, nodeKey(node.name), {
      kind: 'log',
      line: { system: 'EXAoperation', node: node.name, message: m.message, priority: m.priority },
    });
  }
  if (!hangs) queue.schedule(at + total, nodeKey(node.name), { kind: 'node-booted', node: node.name });
}

export function shutdownNode(state: ClusterState, node: NodeRecord, at: number): void {
  if (state.config.alreadyInState === 'no-op' && (node.power.kind === 'off' || node.power.kind === 'shutting-down')) return;
  if (node.power.kind !== 'running') {
    throw new UsageError(`Node ${node.name} is not running (${node.power.kind}); it cannot be shut down now.`);
  }
  recordUnsafeShutdown(state, node, at);
  const { config, queue } = state;
  const seconds = node.role === 'license-server' ? config.durations.licenseServerShutdown : config.durations.nodeShutdown;
  node.power = { kind: 'shutting-down', since: at };
  state.log.write(at, { system: 'EXAoperation', node: node.name, message: `Shutdown of node ${node.name} requested.`, priority: 'Notice' });
  queue.schedule(at + scaledMs(seconds, config.timeScale), nodeKey(node.name), { kind: 'node-powered-off', node: node.name });
}

/** haltLicenseServer(node): a shut-down that only a license server accepts. */
export function haltLicenseServer(state: ClusterState, node: NodeRecord, at: number): void {
  if (node.role !== 'license-server') throw new UsageError(`Node ${node.name} is not a license server.`);
  shutdownNode(state, node, at);
}

function recordUnsafeShutdown(state: ClusterState, node: NodeRecord, at: number): void {
  if (node.role === 'license-server') {
    const dataNodesOn = state.dataNodes.filter((n) => n.power.kind !== 'off').map((n) => n.name);
    if (dataNodesOn.length > 0) {
      state.violations.push({
        kind: 'license-server-shutdown-with-data-nodes-on',
        at,
        node: node.name,
        dataNodesOn,
        message: `license server ${node.name} shut down while data nodes ${dataNodesOn.join(', ')} were powered on`,
      });
    }
    // Once the master is down nobody can shut the other license servers down through EXAoperation.
    const othersOn = state.licenseServers.filter((n) => n !== node && n.power.kind !== 'off').map((n) => n.name);
    if (node === state.licenseServer && othersOn.length > 0) {
      state.violations.push({
        kind: 'master-shutdown-with-license-servers-on',
        at,
        node: node.name,
        licenseServersOn: othersOn,
        message: `EXAoperation master ${node.name} shut down while license servers ${othersOn.join(', ')} were powered on`,
      });
    }
    return;
  }
  // With storage following the nodes, a node leaving while storage is up is the normal way down.
  if (state.storage.kind !== 'offline' && !state.config.storageFollowsNodes) {
    state.violations.push({
      kind: 'data-node-shutdown-with-storage-online',
      at,
      node: node.name,
      message: `data node ${node.name} shut down while EXAStorage was ${state.storage.kind}`,
    });
  }
  const databases = [...state.databases.values()].filter((d) => d.runtime.kind !== 'setup').map((d) => d.name);
  if (databases.length > 0) {
    state.violations.push({
      kind: 'data-node-shutdown-with-database-running',
      at,
      node: node.name,
      databases,
      message: `data node ${node.name} shut down while databases ${databases.join(', ')} were not stopped`,
    });
  }
}

/** Powers the license server back on; if it is still shutting down, it powers on right after. */
export function powerOnLicenseServer(state: ClusterState, at: number): void {
  const node = state.licenseServer;
  switch (node.power.kind) {
    case 'off': {
      const seconds = state.config.durations.exaoperationStart;
      node.power = { kind: 'booting', since: at, seconds };
      node.pluginDaemons.clear();
      state.queue.schedule(at + scaledMs(seconds, state.config.timeScale), nodeKey(node.name), { kind: 'node-booted', node: node.name });
      return;
    }
    case 'shutting-down':
      state.queue.schedule(poweredOffAt(state) ?? at, nodeKey(node.name), { kind: 'license-server-power-on' });
      return;
    case 'booting':
    case 'running':
      return;
  }
}

function poweredOffAt(state: ClusterState): number | undefined {
  const name = state.licenseServer.name;
  return state.queue.find((s) => s.event.kind === 'node-powered-off' && s.event.node === name)?.at;
}
