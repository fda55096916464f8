// The demo's cluster: an in-process simulator of the chosen kind and the backend that drives it,
// built the same way the bot builds one from configuration (createBackend).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startConfdSimulator, startSimulator, type ConfdSimulator } from '../../simulator/index.js';
import type { HostPower } from '../hosts/host-power.js';
import type { BackendKind, ClusterBackend } from '../backend/cluster-backend.js';
import { createBackend } from '../backend/create-backend.js';
import { defaultProfile, type ClusterProfile } from '../lifecycle/cluster-profile.js';
import type { Logger } from '../logging/logger.js';

export interface DemoCluster {
  readonly backend: ClusterBackend;
  readonly profile: ClusterProfile;
  /** What the banner says about the cluster, one line each. */
  readonly describe: readonly string[];
  /**
   * A start-up waits for the service: what the demo's operator does by hand meanwhile (power the
   * license server on), said in one line; undefined when there is nothing to do.
   */
  whileStartupWaits(): string | undefined;
  stop(): Promise<void>;
}

export interface DemoClusterOptions {
  readonly name: string;
  readonly kind: BackendKind;
  readonly cold: boolean;
  /** Real ms per simulated ms. */
  readonly timeScale: number;
  readonly logger: Logger;
  readonly onError: (error: unknown) => void;
}

/**
 * The host actions an operator would configure, calling the simulator's control endpoint instead
 * of IPMI: the password and certificate go into files of a private temporary directory, never argv.
 */
function demoHostPower(sim: ConfdSimulator, password: string, dir: string): HostPower {
  const passwordFile = join(dir, 'sim-password');
  writeFileSync(passwordFile, password, { mode: 0o600 });
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, sim.certificatePem, { mode: 0o600 });
  const script = fileURLToPath(new URL('../../scripts/sim-host-power.mjs', import.meta.url));
  const command = (action: string) => ({ argv: [process.execPath, script, sim.controlUrl, action, '{id}'], timeoutMs: 30_000 });
  return { nodes: sim.hosts.list().map((h) => h.name), off: command('poweroff'), on: command('poweron'), env: { SIM_PASSWORD_FILE: passwordFile, SIM_CAFILE: caFile } };
}

export async function startDemoCluster(options: DemoClusterOptions): Promise<DemoCluster> {
  // A throwaway password: it protects nothing beyond this process and is never printed.
  const password = randomBytes(24).toString('base64url');
  const speed = `time runs ${Math.round(1 / options.timeScale)}x faster`;
  const base = { user: 'admin', password, timeoutMs: 5_000, maxCallsPerSecond: 20, passwordSource: 'env' as const, notifyChannel: undefined, critical: false };
  if (options.kind === 'confd') {
    // ConfD is HTTPS only, as on a real cluster: the simulator's own certificate is the CA.
    const sim = await startConfdSimulator({ nodes: 4, databases: ['DB1', 'DB2'], password, timeScale: options.timeScale, host: '127.0.0.1', port: 0, cold: options.cold, onError: options.onError });
    const hostsDir = mkdtempSync(join(tmpdir(), 'exa-chatops-demo-hosts-'));
    const profile: ClusterProfile = { ...defaultProfile(options.name), licenseServers: [], pollIntervalMs: 200, hostPower: demoHostPower(sim, password, hostsDir) };
    const backend = createBackend(
      { ...base, name: options.name, backend: 'confd', url: sim.url, tls: { caPem: sim.certificatePem }, profile },
      { logger: options.logger },
    );
    return {
      backend,
      profile,
      describe: [
        `  cluster '${options.name}' (Exasol 8): nodes n11 to n14, databases DB1 and DB2 (${options.cold ? 'hosts powered off' : 'running'})`,
        `  ConfD simulator at ${sim.url} over HTTPS (${speed})`,
        '  host actions: scripts/sim-host-power.mjs powers the simulated hosts off and on (your IPMI script in real life)',
      ],
      // The host actions power the hosts on: nothing to do by hand.
      whileStartupWaits: () => undefined,
      stop: async () => {
        backend.close();
        await sim.stop();
        rmSync(hostsDir, { recursive: true, force: true });
      },
    };
  }
  // Plain HTTP is fine here: the simulator listens on 127.0.0.1 only, so the password never
  // leaves this machine's loopback interface. Real EXAoperation is always reached over HTTPS.
  const sim = await startSimulator({
    nodes: 4,
    databases: ['exa_db1', 'exa_db2'],
    user: 'admin',
    password,
    timeScale: options.timeScale,
    cold: options.cold,
    https: false,
    host: '127.0.0.1',
    port: 0,
    onError: options.onError,
  });
  const profile: ClusterProfile = {
    ...defaultProfile(options.name),
    pollIntervalMs: 200,
    plugins: [{ name: 'Administration.vmware-tools', runningText: 'is running' }],
  };
  const backend = createBackend({ ...base, name: options.name, backend: 'exaoperation', url: sim.url, tls: {}, profile }, { logger: options.logger });
  return {
    backend,
    profile,
    describe: [
      `  cluster '${options.name}': 4 data nodes, license server n0010, databases exa_db1 and exa_db2 (${options.cold ? 'powered off' : 'running'})`,
      `  EXAoperation simulator at ${sim.url} (${speed})`,
    ],
    whileStartupWaits: () => {
      if (sim.model.exaoperationPhase() !== 'down') return undefined;
      // On a real cluster a person powers the license server on (power button, iLO/iDRAC); the bot cannot.
      sim.powerOnLicenseServer();
      return 'demo: the license server n0010 is off, so the demo powers it on for you, as you would with its power button or iLO; the start-up goes on once EXAoperation answers.';
    },
    stop: async () => {
      backend.close();
      await sim.stop();
    },
  };
}
