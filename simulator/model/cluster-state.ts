// The mutable state behind the model facade. Power, storage and database runtime are tagged unions
// so a transitional state ("booting", "stopping") cannot be confused with a stable one.
import { EventQueue } from './event-queue.js';
import { LogService } from './log-service.js';
import type { ModelConfig } from './model-options.js';
import type { ModelEvent } from './model-events.js';
import type { Violation } from './violations.js';

export const LICENSE_SERVER_NUMBER = 10;
export const FIRST_DATA_NODE_NUMBER = 11;
export const NETWORK_PREFIX = '10.0.0.';

export type NodeRole = 'license-server' | 'data';

export type NodePower =
  | { readonly kind: 'off' }
  | { readonly kind: 'booting'; readonly since: number; readonly seconds: number }
  | { readonly kind: 'running' }
  | { readonly kind: 'shutting-down'; readonly since: number };

export interface NodeRecord {
  readonly name: string;
  readonly number: number;
  readonly role: NodeRole;
  power: NodePower;
  /** Clock time the node last finished booting (the simulator's start for a warm node). */
  bootedAt: number | undefined;
  /** Plugins whose daemon runs on this node. */
  readonly pluginDaemons: Set<string>;
}

export type StorageState =
  | { readonly kind: 'offline' }
  | { readonly kind: 'starting' }
  | { readonly kind: 'online' }
  | { readonly kind: 'stopping' };

/** The string getDatabaseState() returns is the kind. */
export type DatabaseRuntime =
  | { readonly kind: 'setup' }
  | { readonly kind: 'startup' }
  | { readonly kind: 'running'; readonly connectible: boolean }
  | { readonly kind: 'shutdown' };

export interface DatabaseRecord {
  readonly name: string;
  /** Position in the configured list; picks distinct volume ids. */
  readonly index: number;
  runtime: DatabaseRuntime;
  /** 'None' when idle, as the real getDatabaseOperation() returns it. */
  operation: string;
}

/** Knobs tests turn to make the cluster misbehave (see Faults in the server layer). */
export interface Misbehaviour {
  /** Nodes whose boot never finishes (the stage-3 messages never come). */
  readonly hangingBoots: Set<string>;
  /** Remaining startEXAStorage() calls that fail, and the message they fail with. */
  storageStartFailure: { remaining: number; readonly message: string } | undefined;
  nodesWithoutOutOfBandManagement: ReadonlySet<string> | 'all';
}

export interface ClusterState {
  readonly config: ModelConfig;
  /** Every node including the license server, by name. */
  readonly nodes: ReadonlyMap<string, NodeRecord>;
  /** The first license server: EXAoperation's master, which answers while it is up. */
  readonly licenseServer: NodeRecord;
  /** Every license server, the master first. */
  readonly licenseServers: readonly NodeRecord[];
  readonly dataNodes: readonly NodeRecord[];
  storage: StorageState;
  readonly databases: ReadonlyMap<string, DatabaseRecord>;
  readonly log: LogService;
  readonly queue: EventQueue<ModelEvent>;
  master: string;
  /** EXAoperation restarting on its license server (the node stays up): silent from `since` to `until`. */
  exaoperationRestart: { readonly since: number; readonly until: number } | undefined;
  readonly violations: Violation[];
  readonly misbehaviour: Misbehaviour;
}

export function nodeName(number: number): string {
  return `n${String(number).padStart(4, '0')}`;
}

export function createInitialState(config: ModelConfig): ClusterState {
  const warm = !config.cold;
  const allPlugins = (): Set<string> => new Set(config.plugins);
  const licenseServers: NodeRecord[] = Array.from({ length: config.licenseServerCount }, (_, i) => ({
    name: nodeName(LICENSE_SERVER_NUMBER - i),
    number: LICENSE_SERVER_NUMBER - i,
    role: 'license-server' as const,
    power: { kind: 'running' as const },
    bootedAt: config.now(),
    // A license server boots from disk and starts its plugin daemons itself, even in a cold cluster.
    pluginDaemons: allPlugins(),
  }));
  const licenseServer = licenseServers[0] as NodeRecord;
  const dataNodes: NodeRecord[] = Array.from({ length: config.nodeCount }, (_, i) => ({
    name: nodeName(FIRST_DATA_NODE_NUMBER + i),
    number: FIRST_DATA_NODE_NUMBER + i,
    role: 'data' as const,
    power: warm ? { kind: 'running' as const } : { kind: 'off' as const },
    bootedAt: warm ? config.now() : undefined,
    pluginDaemons: warm ? allPlugins() : new Set<string>(),
  }));
  const databases = new Map<string, DatabaseRecord>(
    config.databases.map((name, index) => [
      name,
      { name, index, operation: 'None', runtime: warm ? { kind: 'running', connectible: true } : { kind: 'setup' } },
    ]),
  );
  const oob = config.nodesWithoutOutOfBandManagement;
  return {
    config,
    nodes: new Map([...licenseServers, ...dataNodes].map((n) => [n.name, n])),
    licenseServer,
    licenseServers,
    dataNodes,
    storage: warm ? { kind: 'online' } : { kind: 'offline' },
    databases,
    log: new LogService('logservice1', config.logRetention),
    queue: new EventQueue<ModelEvent>(),
    master: licenseServer.name,
    exaoperationRestart: undefined,
    violations: [],
    misbehaviour: {
      hangingBoots: new Set(),
      storageStartFailure: undefined,
      nodesWithoutOutOfBandManagement: oob === 'all' ? 'all' : new Set(oob),
    },
  };
}
