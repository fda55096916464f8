// The e2e stack: the EXAoperation simulator, the loopback fake of Slack and the REAL bot
// (createBot → Bolt in HTTP or Socket Mode), wired only through what production reads: an
// environment parsed by loadConfig, with secrets in *_FILE files. Everything the bot says or logs
// is collected, so every scenario file can check that no secret ever left the process.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBot, type Bot, type BotOverrides } from '../../src/bot.js';
import type { AppConfig } from '../../src/config/app-config.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { Logger } from '../../src/logging/logger.js';
import { fileURLToPath } from 'node:url';
import { startConfdSimulator, startSimulator, type ConfdGroup, type ConfdSimulator, type ConfdSimulatorOptions, type Simulator, type SimulatorOptions } from '../../simulator/index.js';
import { startFakeSlack, type FakeMessage, type FakeSlack, type FakeSlackOptions, type JsonObject } from '../fakes/slack/index.js';
import { FAST } from '../helpers/sim-cluster.js';

export { mutatingCalls } from '../helpers/sim-cluster.js';

/** Slack ids of the people in the test workspace (config only accepts U…/W… ids). */
export const USERS = {
  /** Operator: may request operations. */
  op: 'U0OP',
  /** Approver. */
  app: 'U0APP',
  /** A second approver. */
  app2: 'U0APPTWO',
  /** Operator and approver at once (for the four-eyes rule). */
  both: 'U0BOTH',
  /** Viewer only. */
  view: 'U0VIEW',
  /** In the channel, but holds no role. */
  nobody: 'U0NOBODY',
} as const;

/** Where /exa is enabled (OPS, OTHER) and where it is not (RANDOM). */
export const CHANNELS = { ops: 'C0OPS', other: 'C0OTHER', random: 'C0RANDOM' } as const;

export const CLUSTER = 'cluster1';

export interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly meta: Record<string, unknown> | undefined;
}

export interface RecordingLogger extends Logger {
  readonly lines: LogLine[];
}

/** Keeps every line (debug included: Bolt and the Socket Mode client log through it) for assertions. */
export function recordingLogger(): RecordingLogger {
  const lines: LogLine[] = [];
  const log =
    (level: string) =>
    (message: string, meta?: Record<string, unknown>): void =>
      void lines.push({ level, message, meta });
  return { lines, error: log('error'), warn: log('warn'), info: log('info'), debug: log('debug') };
}

export interface StackOptions {
  readonly mode?: 'http' | 'socket';
  /** Simulator options on top of 4 data nodes, exa_db1 + exa_db2, FAST time scale. */
  readonly sim?: Partial<Omit<SimulatorOptions, 'password'>>;
  /** The cluster's kind: the EXAoperation simulator (default) or the ConfD one (Exasol 8). */
  readonly backend?: 'exaoperation' | 'confd';
  /** ConfD simulator options on top of 4 nodes, DB1 + DB2, FAST time scale. */
  readonly confd?: Partial<Omit<ConfdSimulatorOptions, 'password'>>;
  /** ConfD: the bot logs in as a user of these groups (default: admin, in exaadm). */
  readonly confdGroups?: readonly ConfdGroup[];
  /** ConfD: host actions configured (EXA_HOST_POWER_FILE), powering simulated hosts through scripts/sim-host-power.mjs. */
  readonly confdHostPower?: { readonly off?: boolean; readonly on?: boolean; readonly timeoutSeconds?: number };
  /** Environment entries on top of the defaults below (e.g. EXA_TIMEOUT_MS). */
  readonly env?: Readonly<Record<string, string>>;
  /** Test hooks of the bot; logger and host are always set by the harness. */
  readonly bot?: Omit<BotOverrides, 'logger' | 'host'>;
  readonly fake?: FakeSlackOptions;
  /** Start the bot in this process. False: a test runs it elsewhere (a child process), then maybe here. @default true */
  readonly startBot?: boolean;
}

export interface Stack {
  readonly fake: FakeSlack;
  /** The EXAoperation simulator (throws for a ConfD stack). */
  readonly sim: Simulator;
  /** The ConfD simulator of a ConfD stack. */
  readonly confd: ConfdSimulator | undefined;
  readonly bot: Bot;
  readonly config: AppConfig;
  /** The environment the config was loaded from (paths only; secrets live in files). */
  readonly env: Readonly<Record<string, string>>;
  readonly logger: RecordingLogger;
  readonly dataDir: string;
  /** The bot's HTTP port: /slack/events and health in HTTP mode, health only in Socket Mode. */
  readonly port: number;
  readonly botUrl: string;
  /** Every secret the bot knows, for the leak check. */
  readonly secrets: readonly string[];
  /** Other text that left the bot: errors a test saw, a child bot's output. Scanned for secrets too. */
  readonly capturedTexts: string[];
  /** Journal and audit file contents, captured at close() for the leak check. */
  readonly dataFiles: string[];
  audit(): Array<Record<string, unknown>>;
  journal(): Array<Record<string, unknown>>;
  /**
   * Starts a new bot on the same config and DATA_DIR, as a restart does, after the test stopped
   * (or killed) the previous one; it becomes `bot`. HTTP mode: deliveries go to the new one.
   */
  startAnotherBot(overrides?: Omit<BotOverrides, 'logger' | 'host'>): Promise<Bot>;
  /** bot.stop(), then fake.close(), then the simulator; then the leak check. Idempotent. */
  close(): Promise<void>;
}

/** A password that looks real and occurs nowhere else. */
const randomSecret = (prefix: string): string => `${prefix}${randomBytes(12).toString('hex')}`;

/**
 * Starts simulator, fake Slack and bot. The environment goes through loadConfig, exactly as
 * main.ts does, so configuration parsing is part of every scenario.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const mode = options.mode ?? 'http';
  const exaPassword = randomSecret('exa-pw-');
  // ConfD: the bot's own user, in the groups the scenario asks for (admin is in exaadm).
  const confdUser = options.confdGroups ? 'chatops' : 'admin';
  const exa =
    options.backend === 'confd'
      ? {
          kind: 'confd' as const,
          sim: await startConfdSimulator({
            password: exaPassword,
            nodes: 4,
            databases: ['DB1', 'DB2'],
            timeScale: FAST,
            onError: () => undefined,
            ...(options.confdGroups ? { users: [{ name: confdUser, password: exaPassword, groups: [...options.confdGroups] }] } : {}),
            ...options.confd,
          }),
        }
      : {
          kind: 'exaoperation' as const,
          sim: await startSimulator({
            password: exaPassword,
            nodes: 4,
            databases: ['exa_db1', 'exa_db2'],
            timeScale: FAST,
            onError: () => undefined,
            ...options.sim,
          }),
        };
  // The fake must answer auth.test before the App is constructed (Slack notes §10.5).
  const fake = await startFakeSlack(options.fake);
  seedWorkspace(fake);

  const dir = mkdtempSync(join(tmpdir(), 'exa-chatops-e2e-'));
  /** The host actions a real operator would write, calling the simulator's control endpoint instead of IPMI. */
  const hostPowerFile = (confd: ConfdSimulator, wanted: NonNullable<StackOptions['confdHostPower']>): string => {
    const script = fileURLToPath(new URL('../../scripts/sim-host-power.mjs', import.meta.url));
    const command = (action: string) => ({ command: [process.execPath, script, confd.controlUrl, action, '{id}'], timeoutSeconds: wanted.timeoutSeconds ?? 30 });
    const config = {
      nodes: confd.hosts.list().map((h) => h.name),
      ...(wanted.off === false ? {} : { off: command('poweroff') }),
      ...(wanted.on === false ? {} : { on: command('poweron') }),
      env: { SIM_PASSWORD_FILE: join(dir, 'exa-password'), SIM_CAFILE: join(dir, 'confd-ca.pem') },
    };
    return secretFile('host-power.json', JSON.stringify(config));
  };
  const secretFile = (name: string, value: string): string => {
    const path = join(dir, name);
    writeFileSync(path, `${value}\n`, { mode: 0o600 });
    chmodSync(path, 0o600); // the umask may have widened it
    return path;
  };
  const dataDir = join(dir, 'data');
  const env: Record<string, string> = {
    SLACK_BOT_TOKEN_FILE: secretFile('bot-token', fake.botToken),
    ...(mode === 'http'
      ? { SLACK_SIGNING_SECRET_FILE: secretFile('signing-secret', fake.signingSecret) }
      : { SLACK_APP_TOKEN_FILE: secretFile('app-token', fake.appToken) }),
    SLACK_API_URL: fake.apiUrl,
    PORT: '0',
    EXA_URL: exa.sim.url,
    EXA_USER: exa.kind === 'confd' ? confdUser : exa.sim.user,
    EXA_PASSWORD_FILE: secretFile('exa-password', exaPassword),
    ...(exa.kind === 'confd' ? { EXA_BACKEND: 'confd', EXA_CLUSTER_NAME: CLUSTER, EXA_CA_FILE: secretFile('confd-ca.pem', exa.sim.certificatePem) } : {}),
    ...(exa.kind === 'confd' && options.confdHostPower ? { EXA_HOST_POWER_FILE: hostPowerFile(exa.sim, options.confdHostPower) } : {}),
    EXA_TIMEOUT_MS: '2000',
    EXA_POLL_INTERVAL_MS: '20',
    EXA_OPERATORS: [USERS.op, USERS.both].join(','),
    EXA_APPROVERS: [USERS.app, USERS.app2, USERS.both].join(','),
    EXA_VIEWERS: USERS.view,
    EXA_ALLOWED_CHANNELS: [CHANNELS.ops, CHANNELS.other].join(','),
    // Written before reasons existed; test/e2e/reasons.test.ts runs the default (required for the destructive ones).
    EXA_REASON_REQUIRED_FOR: 'none',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'debug',
    ...options.env,
  };
  const bots: Bot[] = [];
  /** If start-up fails, leave nothing listening: a live simulator or fake keeps the test process alive. */
  const abandon = async (error: unknown): Promise<never> => {
    for (const bot of bots) await bot.stop(0).catch(() => undefined);
    await fake.close();
    await exa.sim.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  };
  let config: AppConfig;
  try {
    config = loadConfig(env);
  } catch (error) {
    return abandon(error);
  }
  const logger = recordingLogger();
  const secrets = [
    fake.botToken,
    fake.signingSecret,
    fake.appToken,
    exaPassword,
    // The Basic-auth header the transport builds: a leak of it is a leak of the password.
    Buffer.from(`${exa.kind === 'confd' ? confdUser : exa.sim.user}:${exaPassword}`).toString('base64'),
  ];
  const capturedTexts: string[] = [];

  let port = 0;
  const boot = async (overrides: Omit<BotOverrides, 'logger' | 'host'> = options.bot ?? {}): Promise<Bot> => {
    const bot = createBot(config, { drainMs: 100, ...overrides, logger, host: '127.0.0.1' });
    bots.push(bot);
    port = await bot.start();
    if (mode === 'http') fake.setRequestUrl(`http://127.0.0.1:${port}/slack/events`);
    return bot;
  };
  let current: Bot | undefined;
  try {
    if (options.startBot !== false) current = await boot();
  } catch (error) {
    return abandon(error);
  }
  const running = (): Bot => {
    if (!current) throw new Error('no bot runs in this process yet; call startAnotherBot()');
    return current;
  };

  let closed = false;
  const dataFiles: string[] = [];
  const stack: Stack = {
    fake,
    get sim() {
      if (exa.kind !== 'exaoperation') throw new Error('this stack runs the ConfD simulator: use stack.confd');
      return exa.sim;
    },
    confd: exa.kind === 'confd' ? exa.sim : undefined,
    get bot() {
      return running();
    },
    config,
    env,
    logger,
    dataDir,
    get port() {
      return port;
    },
    get botUrl() {
      return `http://127.0.0.1:${port}`;
    },
    secrets,
    capturedTexts,
    dataFiles,
    audit: () => readJsonLines(join(dataDir, 'audit.jsonl')),
    journal: () => readJsonLines(join(dataDir, 'journal.jsonl')),
    async startAnotherBot(overrides) {
      current = await boot(overrides);
      return current;
    },
    async close() {
      if (closed) return;
      closed = true;
      const leftRunning: string[] = [];
      try {
        // Order matters: a Socket Mode client whose server vanished first reconnects forever.
        for (const bot of bots) {
          await bot.stop(2000).catch((error: unknown) => capturedTexts.push(errorText(error)));
          // bot.stop() must leave nothing running. If it did, halt it here so this process can
          // still exit (a shut-down's waits last minutes), and fail below.
          const left = bot.service.queue(CLUSTER).running;
          if (left) {
            leftRunning.push(left.id);
            await bot.service.shutdown('e2e teardown', 0);
          }
        }
        await fake.close();
        await exa.sim.stop();
        // Journal and audit are scanned too; read them before the directory goes.
        for (const file of ['journal.jsonl', 'audit.jsonl']) dataFiles.push(readText(join(dataDir, file)));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      assertNoSecretsLeaked(collectTexts(stack), secrets);
      if (leftRunning.length > 0) throw new Error(`bot.stop() left ${leftRunning.join(', ')} running`);
    },
  };
  return stack;
}

function seedWorkspace(fake: FakeSlack): void {
  for (const [key, id] of Object.entries(USERS)) fake.addUser(id, { name: key });
  const everyone = Object.values(USERS);
  fake.addChannel(CHANNELS.ops, { name: 'exa-ops', members: everyone });
  fake.addChannel(CHANNELS.other, { name: 'other-team', members: everyone });
  fake.addChannel(CHANNELS.random, { name: 'random', members: everyone });
}

function readText(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

function readJsonLines(path: string): Array<Record<string, unknown>> {
  return readText(path)
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

// ---- the leak check (scenario 10) ----

export interface TextSample {
  readonly where: string;
  readonly text: string;
}

/**
 * Everything that left the bot or was written by it: log lines with their metadata, every message
 * and ephemeral in every version, every Web API call's parameters, command acks and Socket Mode
 * frames, error texts the tests saw, and the journal and audit files.
 */
export function collectTexts(stack: Stack): TextSample[] {
  const { fake, logger } = stack;
  const samples: TextSample[] = [];
  const add = (where: string, value: unknown): void => {
    samples.push({ where, text: typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)) });
  };
  logger.lines.forEach((line, i) => add(`log line ${i} (${line.level})`, { message: line.message, meta: line.meta }));
  const messages: FakeMessage[] = [...Object.values(CHANNELS).flatMap((c) => fake.messages(c)), ...fake.ephemerals()];
  for (const m of messages) m.history.forEach((v, i) => add(`message ${m.channel}/${m.ts} version ${i}`, v));
  fake.apiCalls().forEach((call, i) => add(`API call ${i} ${call.method}`, call.params));
  fake.deliveries().forEach((d, i) => add(`delivery ${i} ack`, d.ackPayload ?? null));
  fake.socketFrames().forEach((f, i) => f.direction === 'from_app' && add(`socket frame ${i}`, f.data));
  stack.capturedTexts.forEach((e, i) => add(`captured text ${i}`, e));
  stack.dataFiles.forEach((t, i) => add(`data file ${i}`, t));
  return samples;
}

/** Throws naming where a secret (or its URL-encoded form) appeared, without repeating the secret. */
export function assertNoSecretsLeaked(samples: readonly TextSample[], secrets: readonly string[]): void {
  const needles = secrets.flatMap((s) => [s, encodeURIComponent(s)]);
  const leaks: string[] = [];
  for (const sample of samples) {
    needles.forEach((needle) => {
      const index = sample.text.indexOf(needle);
      if (index >= 0) {
        const before = sample.text.slice(Math.max(0, index - 60), index);
        leaks.push(`secret #${secrets.findIndex((s) => needle === s || needle === encodeURIComponent(s))} in ${sample.where}, after: …${before}`);
      }
    });
  }
  if (leaks.length > 0) throw new Error(`secrets leaked (${leaks.length}):\n${leaks.slice(0, 10).join('\n')}`);
}

// ---- small helpers the scenario files share ----

/**
 * All the visible text of a message version: fallback text plus every string inside its blocks,
 * without the zero-width joiners the mrkdwn escaper adds after * _ ~ ` (invisible in Slack).
 */
export function textOf(message: { readonly text: string; readonly blocks: readonly JsonObject[] } | undefined): string {
  if (!message) return '';
  const parts: string[] = [message.text];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') parts.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(message.blocks);
  return parts.join('\n').replace(/\u200d/g, '');
}

/** The buttons of a message, as action_id → element. */
export function buttonsOf(message: { readonly blocks: readonly JsonObject[] } | undefined): Map<string, JsonObject> {
  const found = new Map<string, JsonObject>();
  for (const block of message?.blocks ?? []) {
    if (block['type'] !== 'actions' || !Array.isArray(block['elements'])) continue;
    for (const el of block['elements'] as JsonObject[]) if (el['type'] === 'button') found.set(String(el['action_id']), el);
  }
  return found;
}

/** The bot's messages in a channel whose text matches. */
export function botMessages(fake: FakeSlack, channel: string, pattern: RegExp): FakeMessage[] {
  return fake.messages(channel).filter((m) => m.user === fake.botUserId && pattern.test(textOf(m)));
}

/** Waits for the newest ephemeral for `user` in `channel` after `after` of them existed. */
export async function nextEphemeral(fake: FakeSlack, user: string, channel: string, after: number, timeoutMs = 3000): Promise<FakeMessage> {
  return fake.waitFor(() => fake.ephemerals(user, channel)[after], timeoutMs, `ephemeral #${after + 1} for ${user} in ${channel}`);
}

/** Stringifies an unknown error for the leak check and assertion messages. */
export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error);
}
