import type { ExaOperationClient } from '../../src/exaoperation/client.js';
import { ExaOperationError } from '../../src/exaoperation/errors.js';
import type { CallOptions } from '../../src/exaoperation/transport.js';
import type {
  ConnectionState,
  DatabaseInfo,
  DatabaseOperation,
  DatabaseState,
  LogEntry,
  NodeStatus,
  ServiceState,
} from '../../src/exaoperation/types.js';

export interface FakeDatabase {
  state: DatabaseState;
  operation: DatabaseOperation;
  connection: ConnectionState;
  connectionString: string;
}

export interface FakeClusterOptions {
  readonly nodes?: number;
  readonly databases?: readonly string[];
  /** Every data node off, storage offline, databases stopped. */
  readonly cold?: boolean;
}

const LICENSE_SERVER = 'n0010';

/**
 * An ExaOperationClient over an in-memory cluster whose transitions are instant: a stopDatabase
 * leaves the database stopped at once, a startupNode writes the boot message at once. Tests set
 * the state directly for odd cases, hold a method to freeze an operation mid-run, or make one fail.
 */
export class FakeExaClient implements ExaOperationClient {
  readonly endpoint = 'https://exaoperation.test/cluster1';
  master = LICENSE_SERVER;
  storageOnline: boolean;
  licenseServerUp = true;
  readonly nodes = new Map<string, NodeStatus>();
  readonly databases = new Map<string, FakeDatabase>();
  /** Chronological; answers are newest first, as EXAoperation sends them. */
  readonly log: LogEntry[] = [];
  readonly calls: string[] = [];
  readonly failures = new Map<string, Error>();
  private readonly held = new Map<string, Promise<void>>();
  private readonly passing = new Map<string, number>();
  private readonly cursors = new Map<string, number>();
  private readonly plugins = new Set<string>();

  constructor(options: FakeClusterOptions = {}) {
    const cold = options.cold === true;
    for (let i = 0; i < (options.nodes ?? 4); i++) {
      this.nodes.set(`n00${11 + i}`, cold ? { kind: 'unknown', raw: 'Unknown' } : { kind: 'running' });
    }
    for (const name of options.databases ?? ['exa_db1']) {
      this.databases.set(name, cold ? stopped() : running());
    }
    this.storageOnline = !cold;
  }

  /** Calls of `method` wait until the returned function is called. */
  /** Holds every call of `method` after the first `passing` ones, until released. */
  hold(method: string, passing = 0): () => void {
    let release = (): void => undefined;
    this.passing.set(method, passing);
    this.held.set(method, new Promise<void>((resolve) => (release = resolve)));
    return () => {
      this.held.delete(method);
      release();
    };
  }

  private async call(method: string, options: CallOptions | undefined): Promise<void> {
    this.calls.push(method);
    options?.signal?.throwIfAborted();
    const held = this.held.get(method);
    const passing = this.passing.get(method) ?? 0;
    if (held && passing > 0) this.passing.set(method, passing - 1);
    else if (held) await abortable(held, options?.signal);
    const failure = this.failures.get(method);
    if (failure) throw failure;
    if (!this.licenseServerUp) {
      throw new ExaOperationError('EXA_UNREACHABLE', 'EXAoperation at https://exaoperation.test/cluster1 is not reachable.', {
        endpoint: this.endpoint,
        object: 'cluster',
        method,
      });
    }
  }

  private database(name: string): FakeDatabase {
    const db = this.databases.get(name);
    if (!db) throw new ExaOperationError('EXA_NOT_FOUND', `EXAoperation has no object db_${name}.`, { endpoint: this.endpoint, object: `db_${name}`, method: '?' });
    return db;
  }

  async getNodeList(o?: CallOptions) { await this.call('getNodeList', o); return [...this.nodes.keys()]; }
  async getEXAoperationMaster(o?: CallOptions) { await this.call('getEXAoperationMaster', o); return this.master; }
  async getCurrentLicenseServer(o?: CallOptions) { await this.call('getCurrentLicenseServer', o); return { number: 10, node: LICENSE_SERVER }; }
  async getDatabaseList(o?: CallOptions) { await this.call('getDatabaseList', o); return [...this.databases.keys()]; }
  async getHardwareInformation(node: string, o?: CallOptions) {
    await this.call('getHardwareInformation', o);
    const online = this.nodes.get(node)?.kind === 'running';
    return { online, text: online ? `# dmidecode 3.2\nSystem Information ${node}` : '' };
  }
  async getServiceState(o?: CallOptions): Promise<ServiceState[]> {
    await this.call('getServiceState', o);
    const storaged = this.storageOnline ? { kind: 'ok' as const } : { kind: 'not-running' as const };
    return [
      { name: 'Loggingd', state: { kind: 'ok' } },
      { name: 'Lockd', state: { kind: 'ok' } },
      { name: 'Storaged', state: storaged },
      { name: 'DWAd', state: storaged },
    ];
  }
  async startupNode(node: string, o?: CallOptions) {
    await this.call('startupNode', o);
    this.nodes.set(node, { kind: 'running' });
    this.log.push(entry(node, 'Boot process stages 1 to 3 took 121 seconds.'));
  }
  async shutdownNode(node: string, o?: CallOptions) {
    await this.call('shutdownNode', o);
    if (node === LICENSE_SERVER) this.licenseServerUp = false;
    else this.nodes.set(node, { kind: 'unknown', raw: 'Unknown' });
  }
  async callPlugin(plugin: string, node: string, command: string, _extra?: string, o?: CallOptions) {
    await this.call('callPlugin', o);
    const key = `${plugin}@${node}`;
    if (command === 'START') this.plugins.add(key);
    if (command === 'STOP') this.plugins.delete(key);
    if (command === 'STATUS') return { status: 0, output: this.plugins.has(key) ? 'vmtoolsd is running' : 'vmtoolsd is not running' };
    return { status: 0, output: command === 'START' ? 'started' : 'stopped' };
  }
  async showPluginList(o?: CallOptions) { await this.call('showPluginList', o); return ['Administration.vmware-tools']; }
  async showPluginFunctions(_plugin: string, o?: CallOptions) { await this.call('showPluginFunctions', o); return { START: 'start', STOP: 'stop', STATUS: 'status' }; }
  async getNodeState(node: string, o?: CallOptions) {
    await this.call('getNodeState', o);
    const status = this.nodes.get(node) ?? { kind: 'unknown', raw: 'Unknown' };
    return { status, raw: { status: status.kind === 'running' ? 'Running' : 'Unknown' } };
  }
  async startEXAStorage(_ignored?: readonly string[], o?: CallOptions) { await this.call('startEXAStorage', o); this.storageOnline = true; return 'OK'; }
  async stopEXAStorage(o?: CallOptions) { await this.call('stopEXAStorage', o); this.storageOnline = false; }
  async serviceIsOnline(o?: CallOptions) { await this.call('serviceIsOnline', o); return this.storageOnline; }
  async getDatabaseState(db: string, o?: CallOptions) { await this.call('getDatabaseState', o); return this.database(db).state; }
  async getDatabaseOperation(db: string, o?: CallOptions) { await this.call('getDatabaseOperation', o); return this.database(db).operation; }
  async getDatabaseConnectionState(db: string, o?: CallOptions) { await this.call('getDatabaseConnectionState', o); return this.database(db).connection; }
  async getDatabaseConnectionString(db: string, o?: CallOptions) { await this.call('getDatabaseConnectionString', o); return this.database(db).connectionString; }
  async getDatabaseInfo(db: string, o?: CallOptions): Promise<DatabaseInfo> {
    await this.call('getDatabaseInfo', o);
    const d = this.database(db);
    return { name: db, ...d, nodes: { active: [...this.nodes.keys()], failed: [], reserve: [] }, raw: {} };
  }
  async runningDatabase(db: string, o?: CallOptions) { await this.call('runningDatabase', o); return this.database(db).state.kind === 'running'; }
  async startDatabase(db: string, o?: CallOptions) { await this.call('startDatabase', o); Object.assign(this.database(db), running()); }
  async stopDatabase(db: string, o?: CallOptions) { await this.call('stopDatabase', o); Object.assign(this.database(db), stopped()); }
  async logEntries(_logservice: number, o?: CallOptions) {
    await this.call('logEntries', o);
    return { header: [0, 0] as const, entries: [...this.log].reverse() };
  }
  async logEntriesTagged(_logservice: number, tag: string, o?: CallOptions) {
    await this.call('logEntriesTagged', o);
    const from = this.cursors.get(tag) ?? this.log.length;
    this.cursors.set(tag, this.log.length);
    return { header: [0, 0] as const, entries: this.log.slice(from).reverse() };
  }
}

function running(): FakeDatabase {
  return { state: { kind: 'running' }, operation: { kind: 'idle' }, connection: { kind: 'accepting' }, connectionString: '10.0.0.11..14:8563' };
}

function stopped(): FakeDatabase {
  return { state: { kind: 'setup' }, operation: { kind: 'idle' }, connection: { kind: 'rejecting' }, connectionString: '10.0.0.11..14:8563' };
}

function entry(node: string, message: string): LogEntry {
  return { strtime: '2024-05-01 12:00:00.000', system: 'EXAoperation', node, message, priority: 'Notice' };
}

/** A held call still ends when its caller aborts, as a real call's socket would be destroyed. */
function abortable(promise: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return promise;
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
