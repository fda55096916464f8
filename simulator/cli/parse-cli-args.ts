// Command-line parsing for `npm run simulator`. Pure (argv, env and file reading are injected) and
// reports every problem at once, so one run shows everything to fix.
import {
  MAX_DATA_NODES,
  type AlreadyInStateStyle,
  type BootMessageStyle,
  type ComingUpStyle,
  type PoweringOffStatus,
  type StorageCallStyle,
} from '../model/model-options.js';
import { CONFD_USAGE, CONFD_VALUE_FLAGS, parseConfdFlags, type Backend, type ConfdCliOptions } from './parse-confd-args.js';

export type PasswordSource = '--password' | '--password-file' | 'SIM_PASSWORD' | 'generated';

export interface CliOptions {
  readonly backend: Backend;
  /** Set with --backend confd only. */
  readonly confd: ConfdCliOptions | undefined;
  readonly port: number;
  readonly host: string;
  readonly clusterName: string;
  readonly nodes: number;
  readonly databases: readonly string[];
  readonly user: string;
  readonly password: string;
  readonly passwordSource: PasswordSource;
  readonly timeScale: number;
  readonly https: boolean;
  readonly cold: boolean;
  readonly tls: { readonly cert: string; readonly key: string; readonly certFile: string } | undefined;
  readonly plugins: readonly string[];
  readonly bootMessage: BootMessageStyle;
  readonly poweringOffStatus: PoweringOffStatus;
  readonly licenseServers: number;
  readonly storageCalls: StorageCallStyle;
  readonly alreadyInState: AlreadyInStateStyle;
  readonly comingUp: ComingUpStyle;
  readonly pluginFailureStatus: number;
  readonly databasePortBase: number;
  readonly missingBootMessage: readonly string[];
  readonly keepAliveSeconds: number;
  /** Added to every answer, like a slow network or a busy EXAoperation. */
  readonly latencyMs: number;
  /** Do not print each call (benchmarks). */
  readonly quiet: boolean;
}

export type CliParse =
  | { readonly kind: 'run'; readonly options: CliOptions }
  | { readonly kind: 'help' }
  | { readonly kind: 'invalid'; readonly problems: readonly string[] };

export interface CliEnvironment {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly readFile: (path: string) => string;
  readonly generatePassword: () => string;
}

const VALUE_FLAGS = [
  'port', 'nodes', 'databases', 'user', 'password', 'password-file', 'time-scale',
  'cert', 'key', 'host', 'cluster', 'plugins', 'boot-message', 'latency-ms',
  'powering-off-status', 'license-servers', 'storage-calls', 'already-in-state', 'coming-up',
  'plugin-failure-status', 'database-port-base', 'missing-boot-message', 'keep-alive-seconds',
  ...CONFD_VALUE_FLAGS,
] as const;
const BOOLEAN_FLAGS = ['https', 'no-https', 'cold', 'help', 'quiet'] as const;
type ValueFlag = (typeof VALUE_FLAGS)[number];

export const USAGE = `Usage: npm run simulator -- [options]
  --port N             TCP port, 0 = any free port (default 8443)
  --host H             address to listen on (default 127.0.0.1)
  --cluster NAME       cluster URL segment (default cluster1)
  --nodes N            data nodes n0011... (default 4, max ${MAX_DATA_NODES})
  --databases A,B      database names (default exa_db1)
  --user U             EXAoperation user (default admin)
  --password-file F    read the password from F (or set SIM_PASSWORD; --password P also works
                       but shows it to \`ps\`); none given = a random one is generated
  --time-scale X       real seconds per simulated second, e.g. 0.05 (default 1)
  --https              serve HTTPS (self-signed certificate unless --cert/--key)
  --cert F --key F     PEM certificate and key to serve (implies --https)
  --cold               start with every data node off, storage offline, databases stopped
  --plugins A,B        installed plugins (default Administration.vmware-tools)
  --boot-message S     v7 ("Boot process stages 1 to 3 took N seconds.") or kb (default v7)
  --powering-off-status S
                       what a node powering off reports: Running or Suspended (default Running)
  --license-servers N  license servers n0010, n0009, … (default 1; the first is the master)
  --storage-calls S    blocking: startEXAStorage/stopEXAStorage answer once done (default);
                       immediate: they answer at once and startDatabase waits for storage
  --already-in-state S power/storage call on what is already in that state: usage-error
                       (default) or no-op
  --coming-up S        while EXAoperation starts: refused (default) or html-503 (its web
                       server answers 503 pages for the second half of the start)
  --plugin-failure-status N
                       callPlugin status for a failing plugin or unreachable node (default 256)
  --database-port-base N
                       client port of the first database, the next ones count up (default 8563)
  --missing-boot-message A,B
                       data nodes that boot but never log the boot-finished message
  --keep-alive-seconds N
                       idle keep-alive connections stay open this long (default 300)
  --latency-ms N       add N ms to every answer (default 0)
  --no-https           plain HTTP (the default of the EXAoperation mode)
  --quiet              do not print each call
  --help               this text
${CONFD_USAGE}`;

export function parseCliArgs(argv: readonly string[], environment: CliEnvironment): CliParse {
  const problems: string[] = [];
  const values = new Map<ValueFlag, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const match = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
    const name = match?.[1];
    if (arg === '-h') {
      flags.add('help');
    } else if (match === null || name === undefined) {
      problems.push(`unexpected argument '${arg}'`);
    } else if ((BOOLEAN_FLAGS as readonly string[]).includes(name)) {
      if (match[2] !== undefined) problems.push(`--${name} takes no value`);
      flags.add(name);
    } else if ((VALUE_FLAGS as readonly string[]).includes(name)) {
      const inline = match[2];
      const next = argv[i + 1];
      const value = inline ?? (next !== undefined && !next.startsWith('--') ? (i++, next) : undefined);
      if (value === undefined) problems.push(`--${name} needs a value`);
      else if (values.has(name as ValueFlag)) problems.push(`--${name} given more than once`);
      else values.set(name as ValueFlag, value);
    } else {
      problems.push(`unknown option --${name}`);
    }
  }
  if (flags.has('help')) return { kind: 'help' };

  const int = (flag: ValueFlag, fallback: number, min: number, max: number): number => {
    const raw = values.get(flag);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < min || n > max) problems.push(`--${flag}: expected an integer from ${min} to ${max}, got '${raw}'`);
    return n;
  };
  const list = (flag: ValueFlag, fallback: readonly string[], pattern: RegExp, what: string): string[] => {
    const raw = values.get(flag);
    if (raw === undefined) return [...fallback];
    const items = raw.split(',').map((s) => s.trim());
    for (const item of items) if (!pattern.test(item)) problems.push(`--${flag}: expected ${what}, got '${item}'`);
    return items;
  };

  const backend = values.get('backend') ?? 'exaoperation';
  if (backend !== 'exaoperation' && backend !== 'confd') problems.push(`--backend: expected exaoperation or confd, got '${backend}'`);
  const isConfd = backend === 'confd';
  if (flags.has('no-https') && (isConfd || flags.has('https'))) {
    problems.push(isConfd ? '--no-https: ConfD only listens on HTTPS' : 'give either --https or --no-https, not both');
  }
  const confdOnly = CONFD_VALUE_FLAGS.filter((f) => f !== 'backend' && values.has(f));
  if (!isConfd && confdOnly.length > 0) problems.push(`${confdOnly.map((f) => `--${f}`).join(', ')}: only with --backend confd`);
  const port = int('port', isConfd ? 20003 : 8443, 0, 65535);
  const nodes = int('nodes', 4, 1, MAX_DATA_NODES);
  const confd = isConfd ? parseConfdFlags((f) => values.get(f as ValueFlag), problems, nodes) : undefined;
  const latencyMs = int('latency-ms', 0, 0, 60_000);
  const databases = list('databases', [isConfd ? 'DB1' : 'exa_db1'], /^[A-Za-z0-9_-]+$/, 'comma-separated names of letters, digits, _ and -');
  const plugins = list('plugins', ['Administration.vmware-tools'], /^[\w.+-]+$/, 'comma-separated plugin names');
  const rawScale = values.get('time-scale') ?? '1';
  const timeScale = Number(rawScale);
  if (rawScale.trim() === '' || !(Number.isFinite(timeScale) && timeScale > 0)) {
    problems.push(`--time-scale: expected a positive number, got '${rawScale}'`);
  }
  const bootMessage = values.get('boot-message') ?? 'v7';
  if (bootMessage !== 'v7' && bootMessage !== 'kb') problems.push(`--boot-message: expected v7 or kb, got '${bootMessage}'`);
  const poweringOffStatus = values.get('powering-off-status') ?? 'Running';
  if (poweringOffStatus !== 'Running' && poweringOffStatus !== 'Suspended') {
    problems.push(`--powering-off-status: expected Running or Suspended, got '${poweringOffStatus}'`);
  }
  const licenseServers = int('license-servers', 1, 1, 9);
  const choice = <T extends string>(flag: ValueFlag, allowed: readonly T[], fallback: T): T => {
    const raw = values.get(flag) ?? fallback;
    if (!(allowed as readonly string[]).includes(raw)) problems.push(`--${flag}: expected ${allowed.join(' or ')}, got '${raw}'`);
    return raw as T;
  };
  const storageCalls = choice<StorageCallStyle>('storage-calls', ['blocking', 'immediate'], 'blocking');
  const alreadyInState = choice<AlreadyInStateStyle>('already-in-state', ['usage-error', 'no-op'], 'usage-error');
  const comingUp = choice<ComingUpStyle>('coming-up', ['refused', 'html-503'], 'refused');
  const pluginFailureStatus = int('plugin-failure-status', 256, 1, 65535);
  const databasePortBase = int('database-port-base', 8563, 1, 65535);
  const missingBootMessage = list('missing-boot-message', [], /^n\d{4}$/, "comma-separated data node names like 'n0012'");
  const keepAliveSeconds = int('keep-alive-seconds', 300, 1, 86_400);
  const user = values.get('user') ?? 'admin';
  if (user === '' || user.includes(':')) problems.push(`--user: expected a non-empty name without ':'`);
  const clusterName = values.get('cluster') ?? 'cluster1';
  if (!/^[A-Za-z0-9_-]+$/.test(clusterName)) problems.push(`--cluster: expected letters, digits, _ and -, got '${clusterName}'`);

  const password = resolvePassword(values, environment, problems);
  const tls = readTls(values, environment, problems);
  if (problems.length > 0) return { kind: 'invalid', problems };
  return {
    kind: 'run',
    options: {
      backend: isConfd ? 'confd' : 'exaoperation',
      confd,
      port,
      host: values.get('host') ?? '127.0.0.1',
      clusterName,
      nodes,
      databases,
      user,
      password: password.value,
      passwordSource: password.source,
      timeScale,
      https: isConfd || flags.has('https') || tls !== undefined,
      cold: flags.has('cold'),
      tls,
      plugins,
      bootMessage: bootMessage as BootMessageStyle,
      poweringOffStatus: poweringOffStatus as PoweringOffStatus,
      licenseServers,
      storageCalls,
      alreadyInState,
      comingUp,
      pluginFailureStatus,
      databasePortBase,
      missingBootMessage,
      keepAliveSeconds,
      latencyMs,
      quiet: flags.has('quiet'),
    },
  };
}

function resolvePassword(
  values: ReadonlyMap<ValueFlag, string>,
  environment: CliEnvironment,
  problems: string[],
): { value: string; source: PasswordSource } {
  const flag = values.get('password');
  const file = values.get('password-file');
  if (flag !== undefined && file !== undefined) problems.push('give either --password or --password-file, not both');
  if (flag !== undefined) {
    if (flag === '') problems.push('--password: expected a non-empty password');
    return { value: flag, source: '--password' };
  }
  if (file !== undefined) {
    try {
      // Editors and `echo` add a final newline that is not part of the password.
      const value = environment.readFile(file).replace(/\r?\n$/, '');
      if (value === '') problems.push(`--password-file: ${file} is empty`);
      return { value, source: '--password-file' };
    } catch (error) {
      problems.push(`--password-file: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      return { value: '', source: '--password-file' };
    }
  }
  const fromEnv = environment.env.SIM_PASSWORD;
  if (fromEnv !== undefined && fromEnv !== '') return { value: fromEnv, source: 'SIM_PASSWORD' };
  return { value: environment.generatePassword(), source: 'generated' };
}

function readTls(values: ReadonlyMap<ValueFlag, string>, environment: CliEnvironment, problems: string[]): CliOptions['tls'] {
  const certFile = values.get('cert');
  const keyFile = values.get('key');
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined) {
    problems.push('--cert and --key go together');
    return undefined;
  }
  const read = (flag: string, path: string): string => {
    try {
      return environment.readFile(path);
    } catch (error) {
      problems.push(`${flag}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      return '';
    }
  };
  return { cert: read('--cert', certFile), key: read('--key', keyFile), certFile };
}
