import {
  clusterContext,
  contextObjectName,
  databaseContext,
  logserviceContext,
  nodeContext,
  storageContext,
  type ExaContext,
} from './endpoints.js';
import { malformedResult } from './map-error.js';
import * as parse from './parse.js';
import type { CallOptions, Transport } from './transport.js';
import type {
  ConnectionState,
  DatabaseInfo,
  DatabaseOperation,
  DatabaseState,
  HardwareInformation,
  LicenseServer,
  LogEntries,
  NodeState,
  PluginResult,
  ServiceState,
} from './types.js';

/**
 * Every EXAoperation call the bot makes: the 17 of the start/stop article plus those Exasol's own
 * start/stop scripts rely on. Each goes to its object URL and returns a parsed, typed value;
 * every failure is an ExaOperationError with a code.
 */
export interface ExaOperationClient {
  readonly endpoint: string;

  // cluster object
  getNodeList(options?: CallOptions): Promise<string[]>;
  getEXAoperationMaster(options?: CallOptions): Promise<string>;
  getCurrentLicenseServer(options?: CallOptions): Promise<LicenseServer>;
  getDatabaseList(options?: CallOptions): Promise<string[]>;
  getHardwareInformation(node: string, options?: CallOptions): Promise<HardwareInformation>;
  getServiceState(options?: CallOptions): Promise<ServiceState[]>;
  startupNode(node: string, options?: CallOptions): Promise<void>;
  shutdownNode(node: string, options?: CallOptions): Promise<void>;
  callPlugin(plugin: string, node: string, command: string, extra?: string, options?: CallOptions): Promise<PluginResult>;
  showPluginList(options?: CallOptions): Promise<string[]>;
  showPluginFunctions(plugin: string, options?: CallOptions): Promise<Record<string, string>>;

  // node object
  getNodeState(node: string, options?: CallOptions): Promise<NodeState>;

  // storage object
  startEXAStorage(ignoredNodes?: readonly string[], options?: CallOptions): Promise<string>;
  stopEXAStorage(options?: CallOptions): Promise<void>;
  serviceIsOnline(options?: CallOptions): Promise<boolean>;

  // database objects
  getDatabaseState(database: string, options?: CallOptions): Promise<DatabaseState>;
  getDatabaseOperation(database: string, options?: CallOptions): Promise<DatabaseOperation>;
  getDatabaseConnectionState(database: string, options?: CallOptions): Promise<ConnectionState>;
  getDatabaseConnectionString(database: string, options?: CallOptions): Promise<string>;
  getDatabaseInfo(database: string, options?: CallOptions): Promise<DatabaseInfo>;
  runningDatabase(database: string, options?: CallOptions): Promise<boolean>;
  startDatabase(database: string, options?: CallOptions): Promise<void>;
  stopDatabase(database: string, options?: CallOptions): Promise<void>;

  // logservice objects
  logEntries(logservice: number, options?: CallOptions): Promise<LogEntries>;
  logEntriesTagged(logservice: number, tag: string, options?: CallOptions): Promise<LogEntries>;
}

export function createExaOperationClient(transport: Transport): ExaOperationClient {
  async function invoke<T>(
    context: ExaContext,
    method: string,
    params: readonly unknown[],
    parser: (value: unknown) => T,
    options: CallOptions | undefined,
  ): Promise<T> {
    const value = await transport.call(context, method, params, options);
    try {
      return parser(value);
    } catch (error) {
      if (!(error instanceof parse.ShapeError)) throw error;
      const site = { endpoint: transport.endpoint, object: contextObjectName(context), method };
      throw malformedResult(site, error.expected, error.got);
    }
  }
  const cluster = clusterContext;
  const storage = storageContext;

  return {
    endpoint: transport.endpoint,

    getNodeList: (o) => invoke(cluster, 'getNodeList', [], parse.parseStringList, o),
    getEXAoperationMaster: (o) => invoke(cluster, 'getEXAoperationMaster', [], parse.parseString, o),
    getCurrentLicenseServer: (o) => invoke(cluster, 'getCurrentLicenseServer', [], parse.parseLicenseServer, o),
    getDatabaseList: (o) => invoke(cluster, 'getDatabaseList', [], parse.parseStringList, o),
    getHardwareInformation: (node, o) =>
      invoke(cluster, 'getHardwareInformation', [node, 1], parse.parseHardwareInformation, o),
    getServiceState: (o) => invoke(cluster, 'getServiceState', [], parse.parseServiceStates, o),
    startupNode: (node, o) => invoke(cluster, 'startupNode', [node], parse.parseNothing, o),
    shutdownNode: (node, o) => invoke(cluster, 'shutdownNode', [node], parse.parseNothing, o),
    callPlugin: (plugin, node, command, extra = '', o) =>
      invoke(cluster, 'callPlugin', [plugin, node, command, extra], parse.parsePluginResult, o),
    showPluginList: (o) => invoke(cluster, 'showPluginList', [], parse.parseStringList, o),
    showPluginFunctions: (plugin, o) => invoke(cluster, 'showPluginFunctions', [plugin], parse.parsePluginFunctions, o),

    getNodeState: (node, o) => invoke(nodeContext(node), 'getNodeState', [], parse.parseNodeState, o),

    startEXAStorage: (ignored = [], o) => invoke(storage, 'startEXAStorage', [[...ignored]], parse.parseString, o),
    stopEXAStorage: (o) => invoke(storage, 'stopEXAStorage', [], parse.parseNothing, o),
    serviceIsOnline: (o) => invoke(storage, 'serviceIsOnline', [], parse.parseBoolean, o),

    getDatabaseState: (db, o) => invoke(databaseContext(db), 'getDatabaseState', [], parse.parseDatabaseState, o),
    getDatabaseOperation: (db, o) =>
      invoke(databaseContext(db), 'getDatabaseOperation', [], parse.parseDatabaseOperation, o),
    getDatabaseConnectionState: (db, o) =>
      invoke(databaseContext(db), 'getDatabaseConnectionState', [], parse.parseConnectionState, o),
    getDatabaseConnectionString: (db, o) =>
      invoke(databaseContext(db), 'getDatabaseConnectionString', [], parse.parseString, o),
    getDatabaseInfo: (db, o) => invoke(databaseContext(db), 'getDatabaseInfo', [], parse.parseDatabaseInfo, o),
    runningDatabase: (db, o) => invoke(databaseContext(db), 'runningDatabase', [], parse.parseBoolean, o),
    startDatabase: (db, o) => invoke(databaseContext(db), 'startDatabase', [], parse.parseNothing, o),
    stopDatabase: (db, o) => invoke(databaseContext(db), 'stopDatabase', [], parse.parseNothing, o),

    logEntries: (n, o) => invoke(logserviceContext(n), 'logEntries', [], parse.parseLogEntries, o),
    logEntriesTagged: (n, tag, o) => invoke(logserviceContext(n), 'logEntriesTagged', [tag], parse.parseLogEntries, o),
  };
}
