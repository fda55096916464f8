// Who answers for ConfD: the cluster has quorum while more than half of its nodes are online,
// and the master is then the lowest-numbered online node (the reference does not say how the
// master is chosen; any online node would do for the protocol).
import type { ClusterModel } from '../model/cluster-model.js';

export function onlineNodes(model: ClusterModel): string[] {
  return model.getNodeList().filter((n) => model.nodePower(n) === 'running');
}

export function hasQuorum(model: ClusterModel): boolean {
  return onlineNodes(model).length * 2 > model.getNodeList().length;
}

export function masterNode(model: ClusterModel): string | undefined {
  return hasQuorum(model) ? onlineNodes(model)[0] : undefined;
}
