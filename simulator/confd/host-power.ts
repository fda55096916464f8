// The hosts' power, outside ConfD (Exasol 8 sends no out-of-band commands): what a bot's host
// action (IPMI, a hypervisor CLI) does. Powering a node off under a running database is accepted
// and recorded as a violation, exactly as the EXAoperation mode's shutdownNode.
import type { ClusterModel } from '../model/cluster-model.js';
import { UsageError } from '../model/usage-error.js';
import { confdId, confdName, confdNames, modelNodeName } from './node-ids.js';

export interface HostState {
  readonly nid: string;
  readonly name: string;
  readonly power: 'off' | 'booting' | 'running' | 'shutting-down';
}

export interface HostPower {
  /** Accepts 11, '11' or 'n11'. Throws a UsageError if the node is not running (or unknown). */
  powerOff(nid: string | number): HostState;
  /** Throws a UsageError if the node is not off (or unknown). */
  powerOn(nid: string | number): HostState;
  list(): HostState[];
}

export function createHostPower(model: ClusterModel, changed: () => void): HostPower {
  const state = (node: string): HostState => ({ nid: confdId(node), name: confdName(node), power: model.nodePower(node) });
  const act = (nid: string | number, action: (node: string) => void): HostState => {
    const node = modelNodeName(nid, model.getNodeList());
    try {
      action(node);
    } catch (error) {
      // The model speaks EXAoperation names; a ConfD caller should read n11, not n0011.
      if (error instanceof UsageError) throw new UsageError(confdNames(error.message));
      throw error;
    }
    changed();
    return state(node);
  };
  return {
    powerOff: (nid) => act(nid, (n) => model.shutdownNode(n)),
    powerOn: (nid) => act(nid, (n) => model.startupNode(n)),
    list: () => model.getNodeList().map(state),
  };
}
