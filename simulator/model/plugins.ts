// EXAoperation plugins: one daemon per plugin and node. Plugin scripts report failures through a
// non-zero status in [status, output] rather than a fault, so an unreachable node is a value here.
import type { ClusterState, NodeRecord } from './cluster-state.js';
import { isReachable } from './nodes.js';
import { UsageError } from './usage-error.js';

export type PluginResult = [status: number, output: string];

/** 'Administration.vmware-tools' runs vmtoolsd (KB wording); others run their bare name, e.g. collectd. */
export function daemonName(plugin: string): string {
  if (/vmware-tools/i.test(plugin)) return 'vmtoolsd';
  const bare = plugin.slice(plugin.indexOf('.') + 1).replace(/-\d.*$/, '');
  return bare === '' ? plugin : bare;
}

/** Callers check this first: an unknown plugin is a fault even for an unknown node. */
export function requirePlugin(state: ClusterState, plugin: string): void {
  if (!state.config.plugins.includes(plugin)) throw new UsageError(`Plugin ${plugin} is not installed.`);
}

export function pluginFunctions(state: ClusterState, plugin: string): Record<string, string> {
  requirePlugin(state, plugin);
  const daemon = daemonName(plugin);
  return { RESTART: `Restart ${daemon}`, START: `Start ${daemon}`, STATUS: `Retrieve status of ${daemon}`, STOP: `Stop ${daemon}` };
}

export function callPlugin(state: ClusterState, plugin: string, node: NodeRecord, command: string): PluginResult {
  // Plugin scripts match function names case-insensitively (ETC stub).
  const fn = command.toUpperCase();
  if (!['START', 'STOP', 'STATUS', 'RESTART'].includes(fn)) {
    throw new UsageError(`Plugin ${plugin} has no function ${command}.`);
  }
  if (!isReachable(node)) return [state.config.pluginFailureStatus, `node ${node.name} is not reachable`];
  const daemon = daemonName(plugin);
  switch (fn) {
    case 'STATUS':
      return [0, node.pluginDaemons.has(plugin) ? `${daemon} is running` : `${daemon} is not running`];
    case 'START':
      node.pluginDaemons.add(plugin);
      return [0, 'started'];
    case 'STOP':
      node.pluginDaemons.delete(plugin);
      return [0, 'stopped'];
    default:
      node.pluginDaemons.add(plugin);
      return [0, 'restarted'];
  }
}
