import { hostPowerFrom, hostPowerFromFile } from './host-power-config.js';
import type { BackendKind } from '../backend/cluster-backend.js';
import { resolveConfdEndpoint } from '../confd/endpoint.js';
import { readFileSync } from 'node:fs';
import { loadProfile } from '../credentials/load-profile.js';
import { AppError, isAppError } from '../errors/app-error.js';
import { readMasterKey } from '../credentials/master-key.js';
import { resolveEndpoint } from '../exaoperation/transport-options.js';
import { defaultProfile, type PluginProfile } from '../lifecycle/cluster-profile.js';
import { OPERATION_NAMES, type OperationKind } from '../lifecycle/operation-kind.js';
import { DEFAULT_APPROVAL_KINDS } from '../operations/approval-policy.js';
import type { LogPriority } from '../exaoperation/types.js';
import type { AppConfig, ApprovalConfig, ClusterConfig, SlackConfig, WatchConfig } from './app-config.js';
import { accessConfig } from './access-config.js';
import { stepTimeouts, WAIT_FILE_KEYS } from './step-timeouts.js';
import { readBool, readInt, readList } from './parse-env.js';
import { schemaProblems, type ClusterEntry } from './file-schemas.js';
import { LOG_LEVELS, unknownEnvProblems } from './known-env.js';
import { didYouMean } from './suggest.js';

/**
 * The call budget per cluster (README, "Polite to EXAoperation"): a 64-node status read is 77 calls
 * that go out together to answer within a few round-trips, and a wait over 32 nodes polls 33 at a
 * time; 100 lets one of each through in the same second and caps everything the bot does together
 * at that. A 5-s polling script makes about 1 call per second on average, and bursts of its own.
 */
const DEFAULT_MAX_CALLS_PER_SECOND = 100;
import { readSecret } from './secret-source.js';
import { storeConfig } from './store-config.js';
import { DEFAULT_MAX_BODY_BYTES } from '../slack/request-guard.js';
import { proxyConfig } from './proxy-config.js';
import { changeControlConfig } from './change-control-config.js';

/**
 * Validates the whole environment and reports every problem in one error, each with the fix,
 * so an operator corrects the configuration in one go rather than one restart per mistake.
 */
export function loadConfig(env: NodeJS.ProcessEnv): AppConfig {
  const problems: string[] = [...unknownEnvProblems(env)];
  const warnings: string[] = [];
  const secrets: string[] = [];
  const logLevel = env['LOG_LEVEL'] || 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got '${logLevel}'`);
  const slack = slackConfig(env, problems, secrets);
  const clusters = criticalClusters(env, clusterConfigs(env, problems, warnings, secrets), problems);
  checkClusters(clusters, problems, secrets);
  masterKeySecret(env, secrets);
  const channelClusters = new Map<string, string>();
  for (const pair of readList(env, 'EXA_CHANNEL_CLUSTERS')) {
    const [channel, cluster] = pair.split('=').map((s) => s.trim());
    if (!channel || !cluster) problems.push(`EXA_CHANNEL_CLUSTERS entry '${pair}' must look like C0123456=cluster1`);
    else if (!/^[CGD][A-Z0-9]+$/.test(channel)) problems.push(`EXA_CHANNEL_CLUSTERS entry '${pair}': '${channel}' is not a Slack channel id (C…/G…); copy it from the channel's details`);
    else if (!clusters.some((c) => c.name === cluster)) problems.push(`EXA_CHANNEL_CLUSTERS names unknown cluster '${cluster}'`);
    else channelClusters.set(channel, cluster);
  }
  const changeControl = changeControlConfig(env, clusters, problems, warnings);
  const config: AppConfig = {
    slack,
    port: readInt(env, 'PORT', 3000, problems),
    health: {
      port: env['HEALTH_PORT'] ? readInt(env, 'HEALTH_PORT', 0, problems) : undefined,
      host: env['HEALTH_HOST'] || '0.0.0.0',
    },
    clusters,
    channelClusters,
    access: accessConfig(env, clusters.map((c) => c.name), problems),
    approval: { ...approvalConfig(env, problems), confirmByName: new Set(clusters.filter((c) => c.critical).map((c) => c.name)), rules: changeControl.rules },
    changeControl: { freezes: changeControl.freezes, schedules: changeControl.schedules },
    watch: watchConfig(env, problems),
    dataDir: env['DATA_DIR'] || './data',
    store: storeConfig(env, problems, warnings, secrets),
    logLevel,
    warnings,
    secrets: secrets.filter((s) => s.length >= 4),
  };
  // A critical cluster promises that its shut-down is approved with its name typed.
  if (config.approval.confirmByName.size > 0 && !config.approval.requireApprovalFor.has('cluster-shutdown')) {
    problems.push(
      `clusters ${[...config.approval.confirmByName].join(', ')} are marked critical (their shut-down is approved with the cluster name typed), but EXA_APPROVAL_REQUIRED_FOR leaves cluster-shutdown out: add it, or unmark them`,
    );
  }
  if (problems.length > 0) {
    throw new AppError(
      'CONFIG_INVALID',
      `The configuration has ${problems.length} problem(s):\n- ${problems.join('\n- ')}\nSee .env.example for every setting.`,
    );
  }
  return config;
}

/**
 * What the transport would refuse at start (credentials in the URL, an unreadable CA file, a bad
 * pin) is found here, so it joins the one list of problems instead of crashing later; and each
 * cluster's Basic-auth header value becomes a secret the redactor knows.
 */
function checkClusters(clusters: readonly ClusterConfig[], problems: string[], secrets: string[]): void {
  const seen = new Set<string>();
  for (const cluster of clusters) {
    if (seen.has(cluster.name)) problems.push(`cluster name '${cluster.name}' is used twice; each cluster needs its own name`);
    seen.add(cluster.name);
    if (!cluster.url || !cluster.user || !cluster.password) continue; // already reported
    try {
      const settings = { url: cluster.url, user: cluster.user, password: cluster.password, tls: cluster.tls };
      if (cluster.backend === 'confd') resolveConfdEndpoint(settings);
      else resolveEndpoint(settings);
    } catch (error) {
      const lines = isAppError(error) ? error.message.split('\n').slice(1).map((l) => l.replace(/^- /, '')) : [String(error)];
      for (const line of lines) problems.push(`cluster ${cluster.name}: ${line}`);
    }
    secrets.push(Buffer.from(`${cluster.user}:${cluster.password}`).toString('base64'));
  }
}

/** The master key unlocks every profile: it is a secret like the passwords themselves. */
function masterKeySecret(env: NodeJS.ProcessEnv, secrets: string[]): void {
  if (!env['EXA_MASTER_KEY'] && !env['EXA_MASTER_KEY_FILE']) return;
  try {
    secrets.push(readMasterKey(env));
  } catch {
    // Reported by the profile loader when a profile needs it.
  }
}

function slackConfig(env: NodeJS.ProcessEnv, problems: string[], secrets: string[]): SlackConfig {
  const bot = readSecret(env, 'SLACK_BOT_TOKEN', problems);
  const app = readSecret(env, 'SLACK_APP_TOKEN', problems);
  const signing = readSecret(env, 'SLACK_SIGNING_SECRET', problems);
  for (const s of [bot.value, app.value, signing.value]) if (s) secrets.push(s);
  if (!bot.value) problems.push('SLACK_BOT_TOKEN (or SLACK_BOT_TOKEN_FILE) is missing: the bot token from OAuth & Permissions, xoxb-…');
  else if (!bot.value.startsWith('xoxb-')) problems.push('SLACK_BOT_TOKEN must be a bot token starting with xoxb- (not a user or app token)');
  if (app.value && !app.value.startsWith('xapp-')) problems.push('SLACK_APP_TOKEN must be an app-level token starting with xapp- (Basic Information → App-Level Tokens, scope connections:write)');
  if (!app.value && !signing.value) {
    problems.push('set SLACK_APP_TOKEN for Socket Mode, or SLACK_SIGNING_SECRET for HTTP mode (Basic Information → Signing Secret)');
  }
  const apiUrl = env['SLACK_API_URL'] || undefined;
  if (apiUrl && !/^https?:\/\//.test(apiUrl)) problems.push(`SLACK_API_URL must be an http(s) URL, got '${apiUrl}'`);
  const teamId = env['SLACK_TEAM_ID'] || undefined;
  if (teamId && !/^[TE][A-Z0-9]+$/.test(teamId)) problems.push(`SLACK_TEAM_ID must be a workspace id like T0123456, got '${teamId}'`);
  const mode = app.value ? { kind: 'socket' as const, appToken: app.value } : { kind: 'http' as const, signingSecret: signing.value ?? '' };
  const maxBodyBytes = readInt(env, 'SLACK_MAX_BODY_BYTES', DEFAULT_MAX_BODY_BYTES, problems, 1024);
  const proxy = proxyConfig(env, problems, secrets);
  return { botToken: bot.value ?? '', mode, apiUrl, teamId, maxBodyBytes, proxy, dmRequester: readBool(env, 'EXA_NOTIFY_REQUESTER_DM', false, problems) };
}


function clusterConfigs(env: NodeJS.ProcessEnv, problems: string[], warnings: string[], secrets: string[]): ClusterConfig[] {
  const timeoutMs = readInt(env, 'EXA_TIMEOUT_MS', 30_000, problems, 100);
  const pollIntervalMs = readInt(env, 'EXA_POLL_INTERVAL_MS', 5000, problems, 10);
  const maxCallsPerSecond = readInt(env, 'EXA_MAX_CALLS_PER_SECOND', DEFAULT_MAX_CALLS_PER_SECOND, problems, 1);
  const file = env['EXA_CLUSTERS_FILE'];
  if (file) return clustersFromFile(env, file, problems, secrets, timeoutMs, pollIntervalMs, maxCallsPerSecond);
  const backend = readBackend(env['EXA_BACKEND'], problems);
  const url = env['EXA_URL'];
  if (!url) {
    problems.push('EXA_URL is missing: EXAoperation\'s XML-RPC base URL without credentials, e.g. https://10.0.0.10/cluster1');
    return [];
  }
  const profileName = env['EXA_CREDENTIAL_PROFILE'];
  const profile = profileName ? loadProfile(env, profileName, problems) : undefined;
  const user = env['EXA_USER'] || profile?.user || '';
  if (!user && !profileName) problems.push('EXA_USER is missing: the EXAoperation user (Administrator role)');
  const password = profile
    ? { value: profile.password, source: 'profile' as const }
    : profileName
      ? { value: undefined, source: 'profile' as const }
      : readSecret(env, 'EXA_PASSWORD', problems);
  if (!password.value && !profileName) {
    problems.push('the EXAoperation password is missing: use an encrypted profile (EXA_CREDENTIAL_PROFILE, see npm run credentials) or EXA_PASSWORD_FILE (mode 600)');
  }
  if (password.source === 'env') {
    warnings.push('EXA_PASSWORD is set in plain text in the environment; prefer EXA_PASSWORD_FILE (a file readable only by the bot)');
  }
  if (password.value) secrets.push(password.value);
  const name = env['EXA_CLUSTER_NAME'] || clusterNameFromUrl(url);
  const plugins = readList(env, 'EXA_PLUGINS').map(parsePlugin);
  const tlsInsecure = readBool(env, 'EXA_TLS_INSECURE', false, problems);
  const hostPower = hostPowerFromFile(env['EXA_HOST_POWER_FILE'], backend, problems);
  return [
    {
      name,
      backend,
      url,
      user,
      password: password.value ?? '',
      passwordSource: password.source === 'profile' ? 'profile' : password.source === 'file' ? 'file' : 'env',
      tls: {
        ...(env['EXA_CA_FILE'] ? { caFile: env['EXA_CA_FILE'] } : {}),
        ...(env['EXA_TLS_PIN_SHA256'] ? { pinSha256: env['EXA_TLS_PIN_SHA256'] } : {}),
        insecure: tlsInsecure,
      },
      timeoutMs,
      critical: false,
      maxCallsPerSecond,
      notifyChannel: notifyChannel(env['EXA_NOTIFY_CHANNEL'], 'EXA_NOTIFY_CHANNEL', problems),
      profile: {
        ...defaultProfile(name),
        licenseServers: readList(env, 'EXA_LICENSE_SERVERS').length ? readList(env, 'EXA_LICENSE_SERVERS') : ['n0010'],
        outOfBandManagement: outOfBand(env['EXA_OUT_OF_BAND_MANAGEMENT'], 'EXA_OUT_OF_BAND_MANAGEMENT', problems),
        plugins,
        logservice: readInt(env, 'EXA_LOGSERVICE', 1, problems, 1),
        pollIntervalMs,
        timeouts: stepTimeouts((key) => env[`EXA_WAIT_${key}_MINUTES`], (key) => `EXA_WAIT_${key}_MINUTES`, problems),
        ...(hostPower ? { hostPower } : {}),
      },
    },
  ];
}

function clustersFromFile(
  env: NodeJS.ProcessEnv,
  file: string,
  problems: string[],
  secrets: string[],
  timeoutMs: number,
  pollIntervalMs: number,
  maxCallsPerSecond: number,
): ClusterConfig[] {
  let entries: unknown;
  try {
    entries = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    problems.push(`EXA_CLUSTERS_FILE ${file} is not readable JSON (${error instanceof Error ? error.message : String(error)})`);
    return [];
  }
  const fileProblems = schemaProblems('clustersFileSchema', entries, () => `EXA_CLUSTERS_FILE ${file} must hold a non-empty JSON array of clusters`);
  if (fileProblems.length > 0) {
    problems.push(fileProblems[0] as string);
    return [];
  }
  return (entries as unknown[]).flatMap((value, index): ClusterConfig[] => {
    const at = `EXA_CLUSTERS_FILE entry ${index + 1}`;
    const entryProblems = schemaProblems('clusterEntrySchema', value, (path) => (path.length === 0 ? at : `${at} "${path.join('.')}"`));
    if (entryProblems.length > 0) {
      problems.push(...entryProblems);
      return [];
    }
    const raw = value as ClusterEntry;
    const { name, url, user } = raw;
    let password: { value: string | undefined };
    if (raw.credentialProfile !== undefined && raw.passwordFile !== undefined) {
      problems.push(`${at} has both "credentialProfile" and "passwordFile"; keep one`);
      return [];
    } else if (raw.credentialProfile !== undefined) {
      password = { value: loadProfile(env, raw.credentialProfile, problems)?.password };
    } else if (raw.passwordFile !== undefined) {
      password = readSecret({ P_FILE: raw.passwordFile }, 'P', problems, `${at} "passwordFile"`);
    } else {
      problems.push(`${at} needs "credentialProfile" or "passwordFile" (passwords are never stored in the clusters file)`);
      return [];
    }
    if (password.value) secrets.push(password.value);
    const waits = raw.waitMinutes ?? {};
    const hostPower = raw.hostPower === undefined ? undefined : hostPowerFrom(raw.hostPower, `${at} "hostPower"`, raw.backend ?? 'exaoperation', problems);
    return [
      {
        name,
        backend: raw.backend ?? 'exaoperation',
        url,
        user,
        password: password.value ?? '',
        passwordSource: raw.credentialProfile !== undefined ? 'profile' : 'file',
        tls: {
          ...(raw.caFile !== undefined ? { caFile: raw.caFile } : {}),
          ...(raw.tlsPinSha256 !== undefined ? { pinSha256: raw.tlsPinSha256 } : {}),
          insecure: raw.tlsInsecure === true,
        },
        timeoutMs,
        critical: raw.critical === true,
        maxCallsPerSecond: raw.maxCallsPerSecond ?? maxCallsPerSecond,
        notifyChannel: raw.notifyChannel,
        profile: {
          ...defaultProfile(name),
          licenseServers: raw.licenseServers ?? ['n0010'],
          outOfBandManagement: raw.outOfBandManagement ?? true,
          plugins: (raw.plugins ?? []).map(parsePlugin),
          logservice: raw.logservice ?? 1,
          pollIntervalMs,
          timeouts: stepTimeouts(
            (key) => (waits as Record<string, unknown>)[WAIT_FILE_KEYS[key]],
            (key) => `${at} "waitMinutes.${WAIT_FILE_KEYS[key]}"`,
            problems,
          ),
          ...(hostPower ? { hostPower } : {}),
        },
      },
    ];
  });
}

/** EXA_CRITICAL_CLUSTERS marks clusters critical besides the clusters file's "critical": true; each must exist. */
function criticalClusters(env: NodeJS.ProcessEnv, clusters: ClusterConfig[], problems: string[]): ClusterConfig[] {
  const listed = readList(env, 'EXA_CRITICAL_CLUSTERS');
  const names = clusters.map((c) => c.name);
  for (const name of listed) {
    if (!names.includes(name)) problems.push(`EXA_CRITICAL_CLUSTERS names unknown cluster '${name}'${didYouMean(name, names)}; known: ${names.join(', ') || 'none'}`);
  }
  return clusters.map((c) => (listed.includes(c.name) ? { ...c, critical: true } : c));
}

function approvalConfig(env: NodeJS.ProcessEnv, problems: string[]): Omit<ApprovalConfig, 'confirmByName' | 'rules'> {
  const listed = readList(env, 'EXA_APPROVAL_REQUIRED_FOR');
  for (const kind of listed) {
    if (!(OPERATION_NAMES as readonly string[]).includes(kind)) {
      problems.push(`EXA_APPROVAL_REQUIRED_FOR entry '${kind}' is not one of ${OPERATION_NAMES.join(', ')}`);
    }
  }
  return {
    requireApprovalFor: listed.length ? new Set(listed.filter((k): k is OperationKind['kind'] => (OPERATION_NAMES as readonly string[]).includes(k))) : DEFAULT_APPROVAL_KINDS,
    allowSelfApproval: readBool(env, 'EXA_ALLOW_SELF_APPROVAL', false, problems),
    ttlMs: readInt(env, 'EXA_APPROVAL_TTL_MINUTES', 15, problems, 1) * 60_000,
    requireReasonFor: reasonKinds(env, problems),
  };
}

/** Which operations need a reason: a list of kinds, `none`, or (unset) the destructive ones. */
function reasonKinds(env: NodeJS.ProcessEnv, problems: string[]): ReadonlySet<OperationKind['kind']> {
  const listed = readList(env, 'EXA_REASON_REQUIRED_FOR');
  if (listed.length === 0) return DEFAULT_APPROVAL_KINDS;
  if (listed.length === 1 && listed[0] === 'none') return new Set();
  const known = (k: string): k is OperationKind['kind'] => (OPERATION_NAMES as readonly string[]).includes(k);
  for (const kind of listed) if (!known(kind)) problems.push(`EXA_REASON_REQUIRED_FOR entry '${kind}' is not one of ${OPERATION_NAMES.join(', ')} (or 'none' alone)`);
  return new Set(listed.filter(known));
}

const PRIORITIES: readonly LogPriority[] = ['Information', 'Notice', 'Warning', 'Error'];

function watchConfig(env: NodeJS.ProcessEnv, problems: string[]): WatchConfig {
  const raw = env['EXA_NOTIFY_MIN_PRIORITY'] || 'Error';
  const minPriority = PRIORITIES.find((p) => p.toLowerCase() === raw.toLowerCase());
  if (!minPriority) problems.push(`EXA_NOTIFY_MIN_PRIORITY must be one of ${PRIORITIES.join(', ')}, got '${raw}'`);
  return { pollIntervalMs: readInt(env, 'EXA_WATCH_INTERVAL_MS', 10_000, problems, 100), minPriority: minPriority ?? 'Error' };
}

function notifyChannel(value: unknown, name: string, problems: string[]): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !/^[CG][A-Z0-9]+$/.test(value)) {
    problems.push(`${name} must be a Slack channel id like C0123456, got '${String(value)}'`);
    return undefined;
  }
  return value;
}

/** true (every data node has iLO/iDRAC/IPMI), false (none), or the nodes that have one. */
function outOfBand(raw: unknown, name: string, problems: string[]): boolean | readonly string[] {
  if (raw === undefined || raw === '' || raw === true) return true;
  if (raw === false) return false;
  const list = typeof raw === 'string' ? raw.split(',').map((s) => s.trim()).filter(Boolean) : Array.isArray(raw) ? raw.map(String) : undefined;
  if (list?.length === 1 && ['true', 'yes', '1', 'on'].includes(list[0]?.toLowerCase() ?? '')) return true;
  if (list?.length === 1 && ['false', 'no', '0', 'off'].includes(list[0]?.toLowerCase() ?? '')) return false;
  if (!list || list.some((node) => !/^n\d{4}$/.test(node))) {
    problems.push(`${name} must be true, false or a list of the data nodes that have out-of-band management (e.g. n0011,n0012), got '${String(raw)}'`);
    return true;
  }
  return list;
}

function parsePlugin(spec: string): PluginProfile {
  const [name, runningText] = spec.split(':');
  return { name: (name ?? spec).trim(), runningText: (runningText ?? 'is running').trim() };
}

/** EXA_BACKEND: which service drives the cluster. */
function readBackend(value: string | undefined, problems: string[]): BackendKind {
  if (value === undefined || value === '' || value === 'exaoperation') return 'exaoperation';
  if (value === 'confd') return 'confd';
  problems.push(`EXA_BACKEND must be exaoperation (Exasol 6/7, the default) or confd (Exasol 8), not '${value}'`);
  return 'exaoperation';
}

function clusterNameFromUrl(url: string): string {
  try {
    return new URL(url).pathname.split('/').filter(Boolean).pop() ?? 'cluster1';
  } catch {
    return 'cluster1';
  }
}
