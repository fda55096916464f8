// Every environment variable the bot reads. A variable that starts with EXA_ or SLACK_ and is not
// one of these is a mistake (EXA_LISENCE_SERVERS), not something to ignore: it is refused at start
// with the nearest valid name.
import { didYouMean } from './suggest.js';

const WAITS = ['EXAOPERATION', 'NODE_BOOT', 'STORAGE', 'DATABASE_START', 'DATABASE_STOP', 'NODE_SHUTDOWN'].map((k) => `EXA_WAIT_${k}_MINUTES`);

export const KNOWN_ENV: readonly string[] = [
  'SLACK_BOT_TOKEN', 'SLACK_BOT_TOKEN_FILE', 'SLACK_APP_TOKEN', 'SLACK_APP_TOKEN_FILE', 'SLACK_SIGNING_SECRET', 'SLACK_SIGNING_SECRET_FILE',
  'SLACK_TEAM_ID', 'SLACK_API_URL', 'SLACK_MAX_BODY_BYTES',
  'EXA_URL', 'EXA_BACKEND', 'EXA_USER', 'EXA_PASSWORD', 'EXA_PASSWORD_FILE', 'EXA_CREDENTIAL_PROFILE', 'EXA_CREDENTIALS_FILE', 'EXA_MASTER_KEY', 'EXA_MASTER_KEY_FILE',
  'EXA_CLUSTER_NAME', 'EXA_CLUSTERS_FILE', 'EXA_CA_FILE', 'EXA_TLS_PIN_SHA256', 'EXA_TLS_INSECURE', 'EXA_TIMEOUT_MS', 'EXA_POLL_INTERVAL_MS', 'EXA_MAX_CALLS_PER_SECOND',
  'EXA_LICENSE_SERVERS', 'EXA_OUT_OF_BAND_MANAGEMENT', 'EXA_PLUGINS', 'EXA_LOGSERVICE', 'EXA_HOST_POWER_FILE', ...WAITS,
  'EXA_NOTIFY_CHANNEL', 'EXA_NOTIFY_MIN_PRIORITY', 'EXA_NOTIFY_REQUESTER_DM', 'EXA_WATCH_INTERVAL_MS', 'EXA_CHANNEL_CLUSTERS',
  'EXA_OPERATORS', 'EXA_APPROVERS', 'EXA_VIEWERS', 'EXA_ACCESS_FILE', 'EXA_ALLOWED_CHANNELS',
  'EXA_APPROVAL_REQUIRED_FOR', 'EXA_ALLOW_SELF_APPROVAL', 'EXA_CRITICAL_CLUSTERS', 'EXA_APPROVAL_TTL_MINUTES', 'EXA_REASON_REQUIRED_FOR',
  'EXA_EXECUTOR_POLL_SECONDS', 'EXA_CHANGE_CONTROL_FILE',
];

/**
 * Kubernetes injects service links for every Service in the namespace (a Service "exa-chatops"
 * gives EXA_CHATOPS_SERVICE_HOST, EXA_CHATOPS_PORT_3000_TCP_ADDR, …): not settings, not mistakes.
 */
const SERVICE_LINK = /_(?:SERVICE_HOST|SERVICE_PORT(?:_[A-Z0-9_]+)?|PORT(?:_\d+_(?:TCP|UDP|SCTP)(?:_(?:PROTO|PORT|ADDR))?)?)$/;

/** One problem per EXA_/SLACK_ variable the bot does not know. */
export function unknownEnvProblems(env: NodeJS.ProcessEnv): string[] {
  return Object.keys(env)
    .filter((name) => /^(EXA|SLACK)_/.test(name) && !KNOWN_ENV.includes(name) && !SERVICE_LINK.test(name))
    .sort()
    .map((name) => `${name} is not a setting of exa-chatops${didYouMean(name, KNOWN_ENV)}; remove it or fix its name (see .env.example)`);
}

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
