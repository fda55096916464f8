// Methods of a node object /cluster1/n00NN (stop.py calls node.shutdownNode() on these).
import type { ClusterModel } from '../model/cluster-model.js';
import { method, type MethodTable } from './method-table.js';

export function nodeMethods(model: ClusterModel, node: string): MethodTable {
  return {
    getNodeState: method(0, 0, () => model.getNodeState(node)),
    nodeRunning: method(0, 0, () => model.nodeRunning(node)),
    startupNode: method(
      0,
      0,
      () => {
        model.startupNode(node);
        return null;
      },
      'Power on and startup the node.',
    ),
    shutdownNode: method(
      0,
      0,
      () => {
        model.shutdownNode(node);
        return null;
      },
      'Shutdown the node.',
    ),
  };
}
