// `npm run simulator -- ...`: runs the EXAoperation simulator until SIGINT/SIGTERM. Exit codes:
// 0 after a clean stop, 1 when the simulator cannot start, 2 for bad command-line flags.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCliArgs, USAGE, type CliOptions } from './cli/parse-cli-args.js';
import { renderBanner, renderCall } from './cli/render-banner.js';
import { renderConfdBanner } from './cli/render-confd-banner.js';
import { startConfdSimulator, startSimulator } from './index.js';

async function untilSignal(): Promise<void> {
  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      console.log(`\n${signal} received, stopping the simulator.`);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

async function runConfd(options: CliOptions): Promise<void> {
  const c = options.confd;
  if (c === undefined) throw new Error('ConfD options missing');
  const sim = await startConfdSimulator({
    password: options.password,
    user: options.user,
    userGroups: c.userGroups,
    port: options.port,
    host: options.host,
    nodes: options.nodes,
    databases: options.databases,
    timeScale: options.timeScale,
    cold: options.cold,
    ...(options.tls === undefined ? {} : { tls: { cert: options.tls.cert, key: options.tls.key } }),
    ...(c.nodesListen === undefined ? {} : { nodesListen: c.nodesListen }),
    ...c.readings,
    poweringOffStatus: options.poweringOffStatus,
    alreadyInState: options.alreadyInState,
    databasePortBase: options.databasePortBase,
    databasesWithoutAutoStart: c.databasesWithoutAutoStart,
    backupSeconds: c.backupSeconds,
    controlPort: c.controlPort,
    keepAliveSeconds: options.keepAliveSeconds,
    ...(options.quiet ? {} : { onCall: (call: Parameters<typeof renderCall>[0]) => console.log(renderCall(call)) }),
  });
  if (options.latencyMs > 0) sim.faults.latency(options.latencyMs);
  let tempDir: string | undefined;
  let certificateFile = options.tls?.certFile;
  if (certificateFile === undefined) {
    tempDir = mkdtempSync(join(tmpdir(), 'confd-simulator-'));
    certificateFile = join(tempDir, 'cert.pem');
    writeFileSync(certificateFile, sim.certificatePem);
  }
  console.log(
    renderConfdBanner(options, {
      url: sim.url,
      nodeUrls: sim.nodeUrls,
      controlUrl: sim.controlUrl,
      certificateFile,
      certificateFingerprint256: sim.certificateFingerprint256,
    }),
  );
  await untilSignal();
  await sim.stop();
  if (tempDir !== undefined) rmSync(tempDir, { recursive: true, force: true });
}

async function run(options: CliOptions): Promise<void> {
  if (options.backend === 'confd') {
    await runConfd(options);
    return;
  }
  const sim = await startSimulator({
    password: options.password,
    user: options.user,
    port: options.port,
    host: options.host,
    clusterName: options.clusterName,
    nodes: options.nodes,
    databases: options.databases,
    timeScale: options.timeScale,
    cold: options.cold,
    https: options.https,
    ...(options.tls === undefined ? {} : { tls: { cert: options.tls.cert, key: options.tls.key } }),
    plugins: options.plugins,
    bootMessage: options.bootMessage,
    poweringOffStatus: options.poweringOffStatus,
    licenseServers: options.licenseServers,
    storageCalls: options.storageCalls,
    alreadyInState: options.alreadyInState,
    comingUp: options.comingUp,
    pluginFailureStatus: options.pluginFailureStatus,
    databasePortBase: options.databasePortBase,
    missingBootMessage: options.missingBootMessage,
    keepAliveSeconds: options.keepAliveSeconds,
    ...(options.quiet ? {} : { onCall: (call: Parameters<typeof renderCall>[0]) => console.log(renderCall(call)) }),
  });
  if (options.latencyMs > 0) sim.faults.latency(options.latencyMs);
  // A generated certificate goes to a private temp dir so clients can verify against it.
  let tempDir: string | undefined;
  let certificateFile = options.tls?.certFile;
  if (sim.certificatePem !== undefined && certificateFile === undefined) {
    tempDir = mkdtempSync(join(tmpdir(), 'exaoperation-simulator-'));
    certificateFile = join(tempDir, 'cert.pem');
    writeFileSync(certificateFile, sim.certificatePem);
  }
  console.log(renderBanner(options, { url: sim.url, certificateFile, certificateFingerprint256: sim.certificateFingerprint256 }));

  await untilSignal();
  await sim.stop();
  if (tempDir !== undefined) rmSync(tempDir, { recursive: true, force: true });
}

const parsed = parseCliArgs(process.argv.slice(2), {
  env: process.env,
  readFile: (path) => readFileSync(path, 'utf8'),
  generatePassword: () => randomBytes(18).toString('base64url'),
});
switch (parsed.kind) {
  case 'help':
    console.log(USAGE);
    break;
  case 'invalid':
    console.error(`exaoperation simulator: invalid arguments:\n  - ${parsed.problems.join('\n  - ')}\n\n${USAGE}`);
    process.exitCode = 2;
    break;
  case 'run':
    try {
      await run(parsed.options);
    } catch (error) {
      console.error(`exaoperation simulator: cannot start: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    }
    break;
}
