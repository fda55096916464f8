// Methods of the cluster object /cluster1 (service NodeCluster).
import type { ClusterModel } from '../model/cluster-model.js';
import { parseInt, parseNodeRef, parseString } from './arguments.js';
import { method, type MethodTable } from './method-table.js';

export function clusterMethods(model: ClusterModel): MethodTable {
  return {
    getNodeList: method(0, 0, () => model.getNodeList(), 'Return a list of defined nodes.'),
    getEXAoperationMaster: method(0, 0, () => model.getEXAoperationMaster()),
    getCurrentLicenseServer: method(0, 0, () => model.getCurrentLicenseServer(), 'Returns the license Server number.'),
    getDatabaseList: method(0, 0, () => model.getDatabaseList(), "Return list of databases' names. DUPLICATE OF: getAllDatabaseNames"),
    getAllDatabaseNames: method(0, 0, () => model.getDatabaseList(), "Return list of databases' names."),
    getEXAoperationNodes: method(0, 0, () => model.getEXAoperationNodes()),
    getPossibleEXAoperationNodes: method(0, 0, () => model.getPossibleEXAoperationNodes()),
    haltLicenseServer: method(1, 0, ([node]) => {
      model.haltLicenseServer(parseNodeRef(node));
      return null;
    }),
    getHardwareInformation: method(1, 1, ([node, infotype]) => {
      if (infotype !== undefined) parseInt(infotype, 'infotype');
      return model.getHardwareInformation(parseNodeRef(node));
    }),
    getServiceState: method(0, 0, () => model.getServiceState()),
    getNodeState: method(1, 0, ([node]) => model.getNodeState(parseNodeRef(node))),
    startupNode: method(
      1,
      0,
      ([node]) => {
        model.startupNode(parseNodeRef(node));
        return null;
      },
      'Send boot signal to node over Server Manageent card.',
    ),
    shutdownNode: method(1, 0, ([node]) => {
      model.shutdownNode(parseNodeRef(node));
      return null;
    }),
    // `extra` carries uploaded plugin configuration; our plugins have none to take.
    callPlugin: method(
      3,
      1,
      ([plugin, node, command, extra]) => {
        if (extra !== undefined) parseString(extra, 'extra');
        return model.callPlugin(parseString(plugin, 'plugin'), parseNodeRef(node), parseString(command, 'command'));
      },
      'Function calls a specified plugin. Parameters: plugin (name from showPluginList), node, command, extra',
    ),
    showPluginList: method(0, 0, () => model.showPluginList()),
    showPluginFunctions: method(1, 0, ([plugin]) => model.showPluginFunctions(parseString(plugin, 'plugin'))),
    getAllLogServices: method(0, 0, () => model.getAllLogServices()),
  };
}
