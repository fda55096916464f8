import type { ConfdClient } from '../confd/client.js';
import { isConfdNotUpYet } from '../confd/errors.js';
import { preflightConfd } from '../confd/preflight.js';
import type { ConfdLogEntry } from '../confd/types.js';
import type { LogEntry } from '../exaoperation/types.js';
import { classifyEntry } from '../watch/classify-entry.js';
import type { EntryEvent } from '../watch/events.js';
import type { HostPower } from '../hosts/host-power.js';
import { CONFD_CAPABILITIES } from './capabilities.js';
import type { ClusterBackend } from './cluster-backend.js';
import { confdNodeStatus, readConfdSnapshot } from './confd-snapshot.js';
import { runConfdStep } from './confd-steps.js';

const PRIORITY: Readonly<Record<string, LogEntry['priority']>> = { ERR: 'Error', ERROR: 'Error', WARN: 'Warning', WARNING: 'Warning', NOTICE: 'Notice', INFO: 'Information' };

/** ConfD's log events in the watcher's terms; a level it never documented is kept as unknown (shown). */
export function toLogEntry(entry: ConfdLogEntry): LogEntry {
  const level = entry.level.trim().toUpperCase();
  return {
    strtime: entry.time,
    system: entry.service,
    node: entry.node,
    message: entry.message,
    priority: PRIORITY[level] ?? { kind: 'unknown', raw: entry.level },
  };
}

const ACCEPTING = /^database (\S+?) (?:is )?(accepting|rejecting) connections\.?$/i;
const NODE_ONLINE = /^node (n?\d+) (?:is )?online(?: after (\d+) s(?:econds)?)?\.?$/i;

/** What one ConfD log event means to the watcher: a node online, a database's connections, an error, or nothing. */
export function classifyConfdEntry(entry: LogEntry, minPriority: Parameters<ClusterBackend['classify']>[1]): EntryEvent {
  const message = entry.message.trim();
  const accepting = ACCEPTING.exec(message);
  if (accepting) return { kind: 'database-connections', database: accepting[1] ?? '', accepting: accepting[2]?.toLowerCase() === 'accepting', entry };
  const online = NODE_ONLINE.exec(message);
  if (online) {
    const id = (online[1] ?? '').replace(/^n/, '');
    return { kind: 'node-booted', node: `n${id}`, seconds: Number(online[2] ?? 0), entry };
  }
  // ConfD's own wording of these events is not published ([I]): EXAoperation's (which Exasol 8's
  // database and boot messages may keep) is recognised too, and anything else goes by its level.
  return classifyEntry(entry, minPriority);
}

/**
 * Exasol 8: the cluster through ConfD's jobs. No license server, no storage steps, and node power
 * only through the operator's host actions (`hostPower`, from the cluster's profile): what it
 * cannot do is said by its capabilities, so plans leave it out.
 */
export function confdBackend(client: ConfdClient, user: string, close: () => void = () => undefined, hostPower?: HostPower): ClusterBackend {
  return {
    kind: 'confd',
    endpoint: client.endpoint,
    capabilities: hostPower ? { ...CONFD_CAPABILITIES, nodePower: 'host-action' } : CONFD_CAPABILITIES,
    snapshot: (options = {}) => readConfdSnapshot(client, options),
    // With the hosts off ConfD cannot answer; what the plan needs is which hosts to power on.
    snapshotWhileDown: (error) =>
      hostPower?.on === undefined || !isConfdNotUpYet(error)
        ? undefined
        : {
            takenAt: Date.now(),
            service: 'ConfD',
            master: '-',
            services: [],
            storageOnline: false,
            nodes: hostPower.nodes.map((name) => ({ name, status: { kind: 'offline' }, power: { kind: 'up', why: 'ConfD does not answer' } })),
            databases: [],
            volumes: [],
            unreachable: error instanceof Error ? error.message : String(error),
          },
    operation: () => ({ run: (run, step) => runConfdStep(client, run, step) }),
    logs: async (count, options = {}) => {
      const entries = (await client.logCollect({}, options)).map(toLogEntry);
      // log_collect answers oldest first ([I]); the bot shows newest first, as EXAoperation does.
      return entries.reverse().slice(0, Math.max(0, count));
    },
    logsSince: async (tag, options = {}) => (await client.logCollect({ tag }, options)).map(toLogEntry).reverse(),
    classify: classifyConfdEntry,
    async nodes(options = {}) {
      const [states, master] = await Promise.all([client.nodeState(options), client.master(options)]);
      return {
        takenAt: Date.now(),
        master,
        licenseServers: [],
        nodes: states.nodes.map((n) => ({ name: n.name, status: confdNodeStatus(n.state), online: n.state.kind === 'online' })),
      };
    },
    probe: async (options = {}) => {
      await client.master(options);
    },
    isNotUpYet: isConfdNotUpYet,
    preflight: (options = {}) => preflightConfd(client, user, options),
    close,
  };
}
