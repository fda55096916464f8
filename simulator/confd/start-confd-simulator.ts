// Composition root of the ConfD (Exasol 8) mode: the same time model with storage following the
// nodes, HTTPS listeners (one for the cluster, or one per node with nodesListen), the job table
// and a control listener for host power. Imports nothing from src/.
import { createServer as createHttpsServer } from 'node:https';
import { createFaults, type Faults } from '../faults.js';
import { ClusterModel } from '../model/cluster-model.js';
import type { ClusterModelOptions } from '../model/model-options.js';
import type { Violation } from '../model/violations.js';
import { CallLog, type RecordedCall } from '../server/call-log.js';
import { FaultRules } from '../server/fault-rules.js';
import { SwitchableListener } from '../server/switchable-listener.js';
import { describeCertificate, selfSignedCertificate, type TlsMaterial } from '../server/tls.js';
import { masterNode } from './cluster-view.js';
import { ConfdAvailability, type ConfdEndpoint } from './confd-availability.js';
import { createConfdHandler } from './confd-handler.js';
import { resolveReadings, validateUsers, type ConfdGroup, type ConfdReadings, type ConfdUser } from './confd-options.js';
import { handleControl } from './control-routes.js';
import { createHostPower, type HostPower } from './host-power.js';
import { JobStore, type JobRecord } from './job-store.js';
import { LogCursors } from './log-collect.js';
import { confdId, confdName } from './node-ids.js';
import { scaledMs } from '../model/durations.js';

type ModelPart = Omit<ClusterModelOptions, 'now' | 'storageFollowsNodes' | 'autoStartDatabases' | 'licenseServers' | 'storageCalls' | 'bootMessage' | 'plugins' | 'missingBootMessage'>;

export interface ConfdSimulatorOptions extends ModelPart, ConfdReadings {
  readonly password: string;
  /** @default 'admin' */
  readonly user?: string;
  /** Groups of the default user. @default ['exaadm'] */
  readonly userGroups?: readonly ConfdGroup[];
  /** More users, each with its own groups. @default [] */
  readonly users?: readonly ConfdUser[];
  /** Port of the (first) listener; with nodesListen, node i listens on port + i (0: each a free port). @default 0 */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** One listener per node for the first N nodes (302 from non-masters); undefined = one cluster listener. */
  readonly nodesListen?: number;
  /** Port of the always-on control listener. @default 0 */
  readonly controlPort?: number;
  /** Databases with auto_start false. @default [] */
  readonly databasesWithoutAutoStart?: readonly string[];
  /** Simulated seconds a backup takes. @default 600 */
  readonly backupSeconds?: number;
  /** @default 300 */
  readonly keepAliveSeconds?: number;
  readonly tls?: TlsMaterial;
  readonly now?: () => number;
  readonly onCall?: (call: RecordedCall) => void;
  readonly onError?: (error: unknown) => void;
}

export interface ConfdSimulator {
  /** The URL to use: the cluster listener, or node n11's with nodesListen. */
  readonly url: string;
  readonly port: number;
  /** One URL per listener, by ConfD node id ('11'); just 'cluster' without nodesListen. */
  readonly nodeUrls: Readonly<Record<string, string>>;
  /** The control listener (host power), always up: https://host:port */
  readonly controlUrl: string;
  readonly user: string;
  readonly certificatePem: string;
  readonly certificateFingerprint256: string;
  readonly model: ClusterModel;
  readonly faults: Faults;
  readonly calls: readonly RecordedCall[];
  readonly jobs: readonly JobRecord[];
  readonly violations: readonly Violation[];
  readonly hosts: HostPower;
  stop(): Promise<void>;
  goOffline(): Promise<void>;
  comeBack(): Promise<void>;
}

export async function startConfdSimulator(options: ConfdSimulatorOptions): Promise<ConfdSimulator> {
  if (typeof options.password !== 'string' || options.password === '') throw new TypeError('password: expected a non-empty string');
  const nodesListen = options.nodesListen;
  const nodeCount = options.nodes ?? 4;
  if (nodesListen !== undefined && !(Number.isInteger(nodesListen) && nodesListen >= 1 && nodesListen <= nodeCount)) {
    throw new RangeError(`nodesListen: expected an integer from 1 to ${nodeCount} (the node count), got ${String(nodesListen)}`);
  }
  const backupSeconds = options.backupSeconds ?? 600;
  if (!(Number.isFinite(backupSeconds) && backupSeconds > 0)) throw new RangeError(`backupSeconds: expected seconds > 0, got ${String(backupSeconds)}`);
  const readings = resolveReadings(options, nodesListen);
  const now = options.now ?? Date.now;
  const host = options.host ?? '127.0.0.1';
  const user = options.user ?? 'admin';
  const users: ConfdUser[] = [{ name: user, password: options.password, groups: options.userGroups ?? ['exaadm'] }, ...(options.users ?? [])];
  validateUsers(users);
  const onError = options.onError ?? ((error: unknown) => console.error('confd simulator:', error));
  const databases = options.databases ?? ['DB1'];
  const without = options.databasesWithoutAutoStart ?? [];
  const model = new ClusterModel({ ...options, databases, now, storageFollowsNodes: true, autoStartDatabases: databases.filter((d) => !without.includes(d)) });
  const certificate = describeCertificate(options.tls ?? (await selfSignedCertificate(host)));
  const rules = new FaultRules();
  const calls = new CallLog(options.onCall);
  const cursors = new LogCursors();
  const store = new JobStore({ model, readings, now, logCursors: cursors, backupSeconds }, () => confdId(masterNode(model) ?? model.getNodeList()[0] ?? 'n0011'));
  const late: { availability?: ConfdAvailability } = {};
  const changed = (): void => {
    late.availability?.refresh().catch(onError);
  };
  const hosts = createHostPower(model, changed);
  const credentials = { user, password: options.password };
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  const keepAlive = (options.keepAliveSeconds ?? 300) * 1000;

  const endpoints: ConfdEndpoint[] = [];
  const nodesWithListener = nodesListen === undefined ? [undefined] : model.getNodeList().slice(0, nodesListen);
  const portOf = (e: ConfdEndpoint): number => e.listener.boundPort;
  const endpointOf = (node: string | undefined): ConfdEndpoint | undefined => endpoints.find((e) => e.node === node);
  const masterInfo = (): { address: string; name: string; origin: string } | undefined => {
    const m = masterNode(model);
    if (m === undefined) return undefined;
    const e = endpointOf(nodesListen === undefined ? undefined : m);
    const address = readings.masterAddress === 'host-port' && e !== undefined ? `${urlHost}:${portOf(e)}` : urlHost;
    return { address, name: confdName(m), origin: e === undefined ? `https://${urlHost}` : `https://${urlHost}:${portOf(e)}` };
  };
  const restartTimers = new Set<NodeJS.Timeout>();
  for (const [i, node] of nodesWithListener.entries()) {
    const handler = createConfdHandler({
      model, readings, users, controlCredentials: credentials, hosts, store, rules, calls, now,
      lifetime: () => listener.signal,
      hasQuorum: () => masterNode(model) !== undefined,
      isMaster: () => node === undefined || masterNode(model) === node,
      master: masterInfo,
      changed,
      goDown: () => {
        late.availability?.set('down-after-calls', true).catch(onError);
      },
      restart: (seconds) => {
        late.availability?.set('restart', true).catch(onError);
        const t = setTimeout(() => {
          restartTimers.delete(t);
          late.availability?.set('restart', false).catch(onError);
        }, scaledMs(seconds, model.config.timeScale));
        restartTimers.add(t);
      },
    });
    const server = createHttpsServer({ cert: certificate.cert, key: certificate.key, minVersion: 'TLSv1.2' }, handler);
    server.keepAliveTimeout = keepAlive;
    server.headersTimeout = Math.max(server.headersTimeout, 60_000);
    const base = options.port ?? 0;
    const listener = new SwitchableListener(server, host, base === 0 ? 0 : base + i);
    endpoints.push({ node, listener });
  }
  // Every listener opens once to learn its port, then follows the model.
  for (const e of endpoints) await e.listener.setOpen(true);
  const controlServer = createHttpsServer({ cert: certificate.cert, key: certificate.key, minVersion: 'TLSv1.2' }, (req, res) => handleControl(req, res, credentials, hosts));
  const control = new SwitchableListener(controlServer, host, options.controlPort ?? 0);
  await control.setOpen(true);
  const availability = new ConfdAvailability(endpoints, model, readings, now, onError);
  late.availability = availability;
  await availability.refresh();

  const origin = (e: ConfdEndpoint): string => `https://${urlHost}:${portOf(e)}/`;
  const first = endpoints[0] as ConfdEndpoint;
  return {
    url: origin(first),
    port: portOf(first),
    nodeUrls: Object.fromEntries(endpoints.map((e) => [e.node === undefined ? 'cluster' : confdId(e.node), origin(e)])),
    controlUrl: `https://${urlHost}:${control.boundPort}`,
    user,
    certificatePem: certificate.cert,
    certificateFingerprint256: certificate.fingerprint256,
    model,
    faults: createFaults(rules, model, () => {
      availability.set('down-after-calls', true).catch(onError);
    }),
    calls: calls.calls,
    get jobs() {
      return store.all;
    },
    violations: model.violations,
    hosts,
    stop: async () => {
      for (const t of restartTimers) clearTimeout(t);
      await availability.stop();
      await control.setOpen(false);
    },
    goOffline: () => availability.set('manual', true),
    comeBack: async () => {
      await availability.set('down-after-calls', false);
      await availability.set('manual', false);
    },
  };
}
