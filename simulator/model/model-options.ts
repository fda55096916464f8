// Options are validated once, all problems at once, with "expected X, got Y" messages, so a typo in
// a test or the CLI fails loudly at start instead of producing a strange cluster.
import { DEFAULT_DURATIONS, type DurationsSeconds } from './durations.js';
import { DEFAULT_LOG_RETENTION } from './log-service.js';

/** 'v7' ends a boot with "Boot process stages 1 to 3 took N seconds." (Exasol 7 logs); 'kb' with
 * "Boot process finished after N seconds" (the wording of the start/stop KB article). */
export type BootMessageStyle = 'v7' | 'kb';

/** What getNodeState()['status'] says while a node powers off (the reference leaves it open, §3.5). */
export type PoweringOffStatus = 'Running' | 'Suspended';

/**
 * startEXAStorage/stopEXAStorage: 'blocking' answers once storage is online (offline), as Exasol's
 * start.py implies by calling startDatabase right after it; 'immediate' answers at once, and then
 * startDatabase accepts a storage that is still starting (the other reading that makes start.py work).
 */
export type StorageCallStyle = 'blocking' | 'immediate';

/** A power or storage call on something already in that state: refused (UsageError) or a no-op. */
export type AlreadyInStateStyle = 'usage-error' | 'no-op';

/** While EXAoperation comes up: connections refused throughout, or its web server answering
 * HTTP 503 with an HTML page for the second half of the start. */
export type ComingUpStyle = 'refused' | 'html-503';

export interface ClusterModelOptions {
  /** Clock in milliseconds; the only source of time. */
  readonly now: () => number;
  /** Data nodes n0011, n0012, ... @default 4 */
  readonly nodes?: number;
  /** Database names without the db_ prefix. @default ['exa_db1'] */
  readonly databases?: readonly string[];
  /** Real ms per simulated ms, e.g. 0.01 turns a 120 s boot into 1.2 s. @default 1 */
  readonly timeScale?: number;
  /** Every data node off, storage offline, databases 'setup'; EXAoperation answers. @default false */
  readonly cold?: boolean;
  readonly durations?: Partial<DurationsSeconds>;
  /** @default 'v7' */
  readonly bootMessage?: BootMessageStyle;
  /** @default ['Administration.vmware-tools'] */
  readonly plugins?: readonly string[];
  /** Nodes whose startupNode() fails because no iLO/iDRAC is configured; 'all' for every node. @default [] */
  readonly nodesWithoutOutOfBandManagement?: readonly string[] | 'all';
  /** Entries the logservice keeps. @default 10000 */
  readonly logRetention?: number;
  /**
   * What a node reports while it powers off; its hardware inventory answers until it is off either
   * way. @default 'Running'
   */
  readonly poweringOffStatus?: PoweringOffStatus;
  /** License servers n0010, n0009, …; the first is the EXAoperation master. @default 1 */
  readonly licenseServers?: number;
  /** @default 'blocking' */
  readonly storageCalls?: StorageCallStyle;
  /** @default 'usage-error' */
  readonly alreadyInState?: AlreadyInStateStyle;
  /** @default 'refused' */
  readonly comingUp?: ComingUpStyle;
  /** callPlugin's status when the plugin fails or its node is unreachable. @default 256 (the only observed value) */
  readonly pluginFailureStatus?: number;
  /** Client port of the first database; each further database gets the next one. @default 8563 */
  readonly databasePortBase?: number;
  /** Nodes that boot fully but whose boot-finished log message never arrives. @default [] */
  readonly missingBootMessage?: readonly string[];
  /**
   * Exasol 8 (ConfD): there is no storage start/stop; storage comes online once every data node is
   * up and goes offline with the first node to leave, and the databases in `autoStartDatabases`
   * start by themselves once it is online. Data nodes write no EXAoperation PXE boot messages.
   * @default false
   */
  readonly storageFollowsNodes?: boolean;
  /** Databases that start on their own when storage comes online (storageFollowsNodes only). @default [] */
  readonly autoStartDatabases?: readonly string[];
}

export interface ModelConfig {
  readonly now: () => number;
  readonly nodeCount: number;
  readonly databases: readonly string[];
  readonly timeScale: number;
  readonly cold: boolean;
  readonly durations: DurationsSeconds;
  readonly bootMessage: BootMessageStyle;
  readonly plugins: readonly string[];
  readonly nodesWithoutOutOfBandManagement: readonly string[] | 'all';
  readonly logRetention: number;
  readonly poweringOffStatus: PoweringOffStatus;
  readonly licenseServerCount: number;
  readonly storageCalls: StorageCallStyle;
  readonly alreadyInState: AlreadyInStateStyle;
  readonly comingUp: ComingUpStyle;
  readonly pluginFailureStatus: number;
  readonly databasePortBase: number;
  readonly missingBootMessage: readonly string[];
  readonly storageFollowsNodes: boolean;
  readonly autoStartDatabases: readonly string[];
}

function oneOf<T extends string>(problems: string[], name: string, value: T | undefined, allowed: readonly T[], fallback: T): T {
  const v = value ?? fallback;
  if (!allowed.includes(v)) problems.push(`${name}: expected ${allowed.map((a) => `'${a}'`).join(' or ')}, got '${String(v)}'`);
  return v;
}

export const MAX_DATA_NODES = 200;

export function resolveModelOptions(options: ClusterModelOptions): ModelConfig {
  const problems: string[] = [];
  const nodeCount = options.nodes ?? 4;
  if (!Number.isInteger(nodeCount) || nodeCount < 1 || nodeCount > MAX_DATA_NODES) {
    problems.push(`nodes: expected an integer from 1 to ${MAX_DATA_NODES}, got ${String(nodeCount)}`);
  }
  const databases = options.databases ?? ['exa_db1'];
  for (const name of databases) {
    // '.' would be read as a traversal step in dotted method names, '/' as a path step.
    if (name === '' || /[./]/.test(name)) problems.push(`databases: expected names without '.' or '/', got '${name}'`);
  }
  if (new Set(databases).size !== databases.length) problems.push(`databases: expected unique names, got ${databases.join(',')}`);
  const timeScale = options.timeScale ?? 1;
  if (!(Number.isFinite(timeScale) && timeScale > 0)) problems.push(`timeScale: expected a positive number, got ${String(timeScale)}`);
  const durations = { ...DEFAULT_DURATIONS, ...options.durations };
  for (const [key, value] of Object.entries(durations)) {
    if (!(Number.isFinite(value) && value >= 0)) problems.push(`durations.${key}: expected seconds >= 0, got ${String(value)}`);
  }
  if (durations.bootMin > durations.bootMax) {
    problems.push(`durations: expected bootMin <= bootMax, got ${durations.bootMin} > ${durations.bootMax}`);
  }
  const bootMessage = options.bootMessage ?? 'v7';
  if (bootMessage !== 'v7' && bootMessage !== 'kb') problems.push(`bootMessage: expected 'v7' or 'kb', got '${String(bootMessage)}'`);
  const plugins = options.plugins ?? ['Administration.vmware-tools'];
  const logRetention = options.logRetention ?? DEFAULT_LOG_RETENTION;
  if (!Number.isInteger(logRetention) || logRetention < 1) problems.push(`logRetention: expected a positive integer, got ${String(logRetention)}`);
  const poweringOffStatus = options.poweringOffStatus ?? 'Running';
  if (poweringOffStatus !== 'Running' && poweringOffStatus !== 'Suspended') {
    problems.push(`poweringOffStatus: expected 'Running' or 'Suspended', got '${String(poweringOffStatus)}'`);
  }
  // License servers take the numbers 2 to 10 (reference §3.5), counted down from n0010.
  const licenseServerCount = options.licenseServers ?? 1;
  if (!Number.isInteger(licenseServerCount) || licenseServerCount < 1 || licenseServerCount > 9) {
    problems.push(`licenseServers: expected an integer from 1 to 9, got ${String(licenseServerCount)}`);
  }
  const storageCalls = oneOf(problems, 'storageCalls', options.storageCalls, ['blocking', 'immediate'], 'blocking');
  const alreadyInState = oneOf(problems, 'alreadyInState', options.alreadyInState, ['usage-error', 'no-op'], 'usage-error');
  const comingUp = oneOf(problems, 'comingUp', options.comingUp, ['refused', 'html-503'], 'refused');
  const pluginFailureStatus = options.pluginFailureStatus ?? 256;
  if (!Number.isInteger(pluginFailureStatus) || pluginFailureStatus === 0) {
    problems.push(`pluginFailureStatus: expected a non-zero integer, got ${String(pluginFailureStatus)}`);
  }
  const databasePortBase = options.databasePortBase ?? 8563;
  if (!Number.isInteger(databasePortBase) || databasePortBase < 1 || databasePortBase + databases.length - 1 > 65535) {
    problems.push(`databasePortBase: expected a port that leaves room for ${databases.length} database(s), got ${String(databasePortBase)}`);
  }
  const missingBootMessage = [...(options.missingBootMessage ?? [])];
  for (const node of missingBootMessage) {
    const n = /^n(\d{4})$/.exec(node);
    if (!n || Number(n[1]) < 11 || Number(n[1]) >= 11 + nodeCount) problems.push(`missingBootMessage: expected data node names n0011…, got '${node}'`);
  }
  const autoStartDatabases = [...(options.autoStartDatabases ?? [])];
  for (const name of autoStartDatabases) {
    if (!databases.includes(name)) problems.push(`autoStartDatabases: expected names from databases, got '${name}'`);
  }
  if (problems.length > 0) throw new RangeError(`invalid cluster model options:\n  ${problems.join('\n  ')}`);
  return Object.freeze({
    now: options.now,
    nodeCount,
    databases: [...databases],
    timeScale,
    cold: options.cold ?? false,
    durations,
    bootMessage,
    plugins: [...plugins],
    nodesWithoutOutOfBandManagement: options.nodesWithoutOutOfBandManagement ?? [],
    logRetention,
    poweringOffStatus,
    licenseServerCount,
    storageCalls,
    alreadyInState,
    comingUp,
    pluginFailureStatus,
    databasePortBase,
    missingBootMessage,
    storageFollowsNodes: options.storageFollowsNodes ?? false,
    autoStartDatabases,
  });
}
