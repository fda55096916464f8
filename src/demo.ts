// `npm run demo`: the whole bot against an in-process EXAoperation simulator, driven from the
// terminal. Same service, commands and views as the Slack app; only the adapter differs.
import { exaoperationBackend } from './backend/exaoperation-backend.js';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator } from '../simulator/index.js';
import { runConsole } from './console/console-app.js';
import { renderText } from './console/render-text.js';
import { createExaOperationClient } from './exaoperation/client.js';
import { createTransport } from './exaoperation/transport.js';
import { defaultProfile, type ClusterProfile } from './lifecycle/cluster-profile.js';
import type { Logger } from './logging/logger.js';
import { renderError } from './messages/error-view.js';
import { renderRecovery } from './messages/recovery-view.js';
import { DEFAULT_APPROVAL_KINDS, DEFAULT_APPROVAL_TTL_MS, type ApprovalPolicy } from './operations/approval-policy.js';
import { createAuditLog } from './operations/audit-log.js';
import { createJournal } from './operations/journal.js';
import { OperationService } from './operations/operation-service.js';
import { systemClock } from './util/clock.js';

const CLUSTER = 'demo';
const USER = 'console';
/** Real ms per simulated ms: a shut-down (about 85 simulated seconds) takes about 7 s. */
const TIME_SCALE = 0.08;

const USAGE = 'usage: npm run demo [-- --cold]\n  --cold  start from a powered-off cluster (try /exa startup)\n';

async function main(argv: readonly string[]): Promise<number> {
  const unknown = argv.filter((a) => a !== '--cold');
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (unknown.length > 0) {
    process.stderr.write(`Unknown option ${unknown.map((a) => `'${a}'`).join(', ')}.\n${USAGE}`);
    return 2;
  }
  const cold = argv.includes('--cold');
  const out = (text: string): void => void process.stdout.write(text);

  // A throwaway password: it protects nothing beyond this process and is never printed.
  const password = randomBytes(24).toString('base64url');
  // Plain HTTP is fine here: the simulator listens on 127.0.0.1 only, so the password never
  // leaves this machine's loopback interface. Real EXAoperation is always reached over HTTPS.
  const simulator = await startSimulator({
    nodes: 4,
    databases: ['exa_db1', 'exa_db2'],
    user: 'admin',
    password,
    timeScale: TIME_SCALE,
    cold,
    https: false,
    host: '127.0.0.1',
    port: 0,
    onError: (error) => process.stderr.write(`simulator: ${error instanceof Error ? error.message : String(error)}\n`),
  });
  const transport = createTransport({ url: simulator.url, user: simulator.user, password, timeoutMs: 5_000 }, { logger: demoLogger });
  const profile: ClusterProfile = {
    ...defaultProfile(CLUSTER),
    pollIntervalMs: 200,
    plugins: [{ name: 'Administration.vmware-tools', runningText: 'is running' }],
  };
  const dataDir = mkdtempSync(join(tmpdir(), 'exa-chatops-demo-'));
  const journal = createJournal(dataDir);
  const audit = createAuditLog(dataDir);
  // A single-user demo: the console user may approve their own requests. In Slack the default is
  // four eyes (allowSelfApproval off): a second person must approve.
  const approval: ApprovalPolicy = {
    requireApprovalFor: DEFAULT_APPROVAL_KINDS,
    allowSelfApproval: true,
    ttlMs: DEFAULT_APPROVAL_TTL_MS,
    isApprover: () => true,
  };
  const service = new OperationService({
    clusters: new Map([[CLUSTER, { backend: exaoperationBackend(createExaOperationClient(transport), profile, () => transport.close()), profile }]]),
    journal,
    audit,
    clock: systemClock,
    approval,
    logger: demoLogger,
  });

  const interrupt = new AbortController();
  const onSignal = (name: string) => () => interrupt.abort(new Error(`interrupted by ${name}`));
  const onSigint = onSignal('SIGINT');
  const onSigterm = onSignal('SIGTERM');
  process.once('SIGINT', onSigint);
  process.once('SIGTERM', onSigterm);
  try {
    const reports = service.recover();
    if (reports.length > 0) out(renderText(renderRecovery(reports)));
    out(
      [
        'exa-chatops demo: the ChatOps bot against a simulated Exasol cluster',
        `  cluster '${CLUSTER}': 4 data nodes, license server n0010, databases exa_db1 and exa_db2 (${cold ? 'powered off' : 'running'})`,
        `  EXAoperation simulator at ${simulator.url} (time runs ${Math.round(1 / TIME_SCALE)}x faster)`,
        `  journal and audit log in ${dataDir}`,
        '  You may approve your own requests here; in Slack a second person must approve.',
        "Type 'help' for the commands, e.g. status, plan shutdown, shutdown; 'quit' to leave.",
        '',
      ].join('\n'),
    );
    const end = await runConsole({
      service,
      input: process.stdin,
      output: process.stdout,
      user: USER,
      defaultCluster: CLUSTER,
      interactive: process.stdin.isTTY === true,
      signal: interrupt.signal,
      logger: demoLogger,
    });
    return end === 'interrupted' ? 130 : 0;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
    await service.shutdown('the demo is ending');
    transport.close();
    await simulator.stop();
    journal.close();
    audit.close();
  }
}

/**
 * Only errors reach the terminal. Warnings are left out on purpose: the one the transport gives
 * (plain HTTP) does not apply to a loopback demo, and recovery reports are rendered as a view.
 */
const demoLogger: Logger = {
  error: (message, meta) => process.stderr.write(`error: ${message}${meta ? ` ${JSON.stringify(meta)}` : ''}\n`),
  warn: () => undefined,
  info: () => undefined,
  debug: () => undefined,
};

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`The demo could not run: ${renderError(error).title}\n`);
    if (!(error instanceof Error && 'code' in error)) process.stderr.write(`${String(error)}\n`);
    process.exitCode = 1;
  },
);
