// `npm run demo`: the whole bot against an in-process simulator (EXAoperation, or ConfD with
// `--backend confd`), driven from the terminal. Same service, commands and views as the Slack app; only the adapter differs.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BackendKind } from './backend/cluster-backend.js';
import { runConsole } from './console/console-app.js';
import { startDemoCluster } from './console/demo-cluster.js';
import { renderText } from './console/render-text.js';
import type { Logger } from './logging/logger.js';
import { renderError } from './messages/error-view.js';
import { renderRecovery } from './messages/recovery-view.js';
import { DEFAULT_APPROVAL_KINDS, DEFAULT_APPROVAL_TTL_MS, type ApprovalPolicy } from './operations/approval-policy.js';
import { createCore, filesIn } from './operations/create-core.js';
import { systemClock } from './util/clock.js';

const CLUSTER = 'demo';
const USER = 'console';
/** Real ms per simulated ms: a shut-down (about 85 simulated seconds) takes about 7 s. */
const TIME_SCALE = 0.08;

const USAGE = [
  'usage: npm run demo [-- [--backend exaoperation|confd] [--cold]]',
  '  --backend  exaoperation (Exasol 6/7, the default) or confd (Exasol 8)',
  '  --cold     start from a powered-off cluster (try startup)',
  '',
].join('\n');

interface DemoArgs {
  readonly kind: BackendKind;
  readonly cold: boolean;
}

/** The arguments, or every problem with them in one message. */
function parseArgs(argv: readonly string[]): DemoArgs | { readonly problems: readonly string[] } {
  const problems: string[] = [];
  let kind: BackendKind = 'exaoperation';
  let cold = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.startsWith('--backend=') ? ['--backend', arg.slice('--backend='.length)] : [arg, undefined];
    if (flag === '--cold') cold = true;
    else if (flag === '--backend') {
      const value = inline ?? argv[++i];
      if (value === 'exaoperation' || value === 'confd') kind = value;
      else problems.push(value === undefined ? '--backend needs a value: exaoperation or confd' : `--backend must be exaoperation or confd, not '${value}'`);
    } else problems.push(`unknown option '${arg}'`);
  }
  return problems.length > 0 ? { problems } : { kind, cold };
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const args = parseArgs(argv);
  if ('problems' in args) {
    process.stderr.write(`The demo cannot start: ${args.problems.join('; ')}.\n${USAGE}`);
    return 2;
  }
  const out = (text: string): void => void process.stdout.write(text);

  const cluster = await startDemoCluster({
    name: CLUSTER,
    kind: args.kind,
    cold: args.cold,
    timeScale: TIME_SCALE,
    logger: demoLogger,
    onError: (error) => process.stderr.write(`simulator: ${error instanceof Error ? error.message : String(error)}\n`),
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'exa-chatops-demo-'));
  const store = filesIn(dataDir, systemClock);
  // A single-user demo: the console user may approve their own requests. In Slack the default is
  // four eyes (allowSelfApproval off): a second person must approve.
  const approval: ApprovalPolicy = {
    requireApprovalFor: DEFAULT_APPROVAL_KINDS,
    allowSelfApproval: true,
    ttlMs: DEFAULT_APPROVAL_TTL_MS,
    isApprover: () => true,
  };
  const service = createCore({
    clusters: new Map([[CLUSTER, { backend: cluster.backend, profile: cluster.profile }]]),
    store,
    clock: systemClock,
    approval,
    logger: demoLogger,
  });

  // A start-up after the demo's own shut-down would wait for a license server nobody can power on.
  const unsubscribe = service.subscribe((event) => {
    if (event.type !== 'preparing') return;
    const note = cluster.whileStartupWaits();
    if (note) out(`${note}\n`);
  });
  const interrupt = new AbortController();
  const onSignal = (name: string) => () => interrupt.abort(new Error(`interrupted by ${name}`));
  const onSigint = onSignal('SIGINT');
  const onSigterm = onSignal('SIGTERM');
  process.once('SIGINT', onSigint);
  process.once('SIGTERM', onSigterm);
  try {
    const reports = await service.recover();
    if (reports.length > 0) out(renderText(renderRecovery(reports)));
    out(
      [
        'exa-chatops demo: the ChatOps bot against a simulated Exasol cluster',
        ...cluster.describe,
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
    unsubscribe();
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
    await service.shutdown('the demo is ending');
    await cluster.stop();
    await store.close();
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
