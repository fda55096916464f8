// Composition root of the EXAoperation simulator: a pure cluster model behind a real XML-RPC
// server (node:http or node:https). Imports nothing from src/, so it can test the bot's client
// without sharing its assumptions.
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createObjectTree } from './api/object-tree.js';
import { createFaults, type Faults } from './faults.js';
import { ClusterModel } from './model/cluster-model.js';
import type { ClusterModelOptions } from './model/model-options.js';
import type { Violation } from './model/violations.js';
import { Availability } from './server/availability.js';
import { CallLog, type RecordedCall } from './server/call-log.js';
import { FaultRules } from './server/fault-rules.js';
import { createRequestHandler } from './server/request-handler.js';
import { SwitchableListener } from './server/switchable-listener.js';
import { describeCertificate, selfSignedCertificate, type Certificate, type TlsMaterial } from './server/tls.js';

export type { Faults, FailOptions, TimesOptions } from './faults.js';
export type { ClusterModel } from './model/cluster-model.js';
export type { DurationsSeconds } from './model/durations.js';
export type {
  AlreadyInStateStyle,
  BootMessageStyle,
  ClusterModelOptions,
  ComingUpStyle,
  PoweringOffStatus,
  StorageCallStyle,
} from './model/model-options.js';
export type { Violation } from './model/violations.js';
export type { CallOutcome, RecordedCall } from './server/call-log.js';
export type { TlsMaterial } from './server/tls.js';

export interface SimulatorOptions extends Omit<ClusterModelOptions, 'now'> {
  /** Basic-auth password clients must send. Required: the simulator never runs open. */
  readonly password: string;
  /** @default 'admin' */
  readonly user?: string;
  /** @default 0 (the OS picks a free port) */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** First URL segment, as in https://host/cluster1. @default 'cluster1' */
  readonly clusterName?: string;
  /**
   * How long an idle keep-alive connection stays open. Exasol's scripts reuse one proxy across
   * sleeps, so the server must not drop it quietly after a few seconds. @default 300
   */
  readonly keepAliveSeconds?: number;
  /** Serve HTTPS; with no `tls`, a self-signed certificate is generated. @default false */
  readonly https?: boolean;
  /** PEM certificate and key to serve (implies https). */
  readonly tls?: TlsMaterial;
  /** Clock in ms. @default Date.now */
  readonly now?: () => number;
  /** Called whenever a recorded call gets its outcome. */
  readonly onCall?: (call: RecordedCall) => void;
  /** Background errors (reopening the port after the license server came back). @default console.error */
  readonly onError?: (error: unknown) => void;
}

export interface Simulator {
  /** Cluster URL without credentials, e.g. https://127.0.0.1:8443/cluster1 */
  readonly url: string;
  readonly port: number;
  readonly user: string;
  /** PEM of the served certificate (https only). */
  readonly certificatePem: string | undefined;
  /** SHA-256 fingerprint of that certificate, colon-separated hex (https only). */
  readonly certificateFingerprint256: string | undefined;
  readonly model: ClusterModel;
  readonly faults: Faults;
  /** Every XML-RPC call received, in arrival order. */
  readonly calls: readonly RecordedCall[];
  /** Unsafe transitions the cluster accepted. */
  readonly violations: readonly Violation[];
  /** Closes the port and every connection; idempotent. */
  stop(): Promise<void>;
  /** Stops answering (connection refused) until comeBack(). */
  goOffline(): Promise<void>;
  /** Answers again on the same port (unless the simulated license server is off). */
  comeBack(): Promise<void>;
  /** Powers the license server on; EXAoperation answers again after durations.exaoperationStart. */
  powerOnLicenseServer(): void;
  /** EXAoperation restarts now: silent for `seconds` simulated seconds, then back with its log cursors reset. */
  restartExaoperation(seconds: number): void;
}

export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  if (typeof options.password !== 'string' || options.password === '') {
    throw new TypeError('password: expected a non-empty string');
  }
  const keepAliveSeconds = options.keepAliveSeconds ?? 300;
  if (!(Number.isFinite(keepAliveSeconds) && keepAliveSeconds > 0)) {
    throw new RangeError(`keepAliveSeconds: expected a positive number of seconds, got ${String(keepAliveSeconds)}`);
  }
  const now = options.now ?? Date.now;
  const host = options.host ?? '127.0.0.1';
  const clusterName = options.clusterName ?? 'cluster1';
  const user = options.user ?? 'admin';
  const onError = options.onError ?? ((error: unknown) => console.error('exaoperation simulator:', error));
  const model = new ClusterModel({ ...options, now });
  const certificate: Certificate | undefined =
    options.tls !== undefined
      ? describeCertificate(options.tls)
      : options.https === true
        ? describeCertificate(await selfSignedCertificate(host))
        : undefined;

  const rules = new FaultRules();
  const calls = new CallLog(options.onCall);
  // The handler needs the availability object and vice versa; both exist before the first request.
  const late: { availability?: Availability; listener?: SwitchableListener } = {};
  const handler = createRequestHandler({
    clusterName,
    credentials: { user, password: options.password },
    root: createObjectTree(model, clusterName),
    now,
    rules,
    calls,
    lifetime: () => (late.listener as SwitchableListener).signal,
    afterDispatch: () => {
      late.availability?.watchModel().catch(onError);
    },
    goDown: () => {
      late.availability?.set('down-after-calls', true).catch(onError);
    },
    comingUp: () => model.exaoperationPhase() === 'starting',
    restart: (seconds) => restartExaoperation(seconds),
  });
  const restartExaoperation = (seconds: number): void => {
    model.restartExaoperation(seconds);
    late.availability?.watchModel().catch(onError);
  };
  const server =
    certificate === undefined
      ? createHttpServer(handler)
      : createHttpsServer({ cert: certificate.cert, key: certificate.key, minVersion: 'TLSv1.2' }, handler);
  server.keepAliveTimeout = keepAliveSeconds * 1000;
  // Headers of a request on a reused connection must still be read within the usual limit.
  server.headersTimeout = Math.max(server.headersTimeout, 60_000);
  const listener = new SwitchableListener(server, host, options.port ?? 0);
  const availability = new Availability(listener, model, now, onError);
  late.listener = listener;
  late.availability = availability;
  await availability.watchModel();

  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  const scheme = certificate === undefined ? 'http' : 'https';
  return {
    url: `${scheme}://${urlHost}:${listener.boundPort}/${encodeURIComponent(clusterName)}`,
    port: listener.boundPort,
    user,
    certificatePem: certificate?.cert,
    certificateFingerprint256: certificate?.fingerprint256,
    model,
    faults: createFaults(rules, model, () => {
      availability.set('down-after-calls', true).catch(onError);
    }),
    calls: calls.calls,
    violations: model.violations,
    stop: () => availability.stop(),
    goOffline: () => availability.set('manual', true),
    comeBack: async () => {
      await availability.set('down-after-calls', false);
      await availability.set('manual', false);
    },
    powerOnLicenseServer: () => {
      model.powerOnLicenseServer();
      availability.watchModel().catch(onError);
    },
    restartExaoperation,
  };
}

// ConfD (Exasol 8) mode: a sibling composition root over the same model and faults.
export { startConfdSimulator } from './confd/start-confd-simulator.js';
export type { ConfdSimulator, ConfdSimulatorOptions } from './confd/start-confd-simulator.js';
export type { ConfdGroup, ConfdReadings, ConfdUser } from './confd/confd-options.js';
export type { HostPower, HostState } from './confd/host-power.js';
export { JOB_FAILURES } from './confd/job-result.js';
