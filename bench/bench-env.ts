// The bot's configuration for a benchmark, as production reads it: an environment with the secrets
// in *_FILE files (mode 600), loaded by loadConfig. The same environment configures a bot built in
// this process (createBot) and one in a process of its own (bot-process.ts).
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHANNELS, USERS } from '../test/e2e/harness.js';
import type { SimProcess } from './sim-process.js';

export interface BenchEnv {
  readonly env: Readonly<Record<string, string>>;
  remove(): void;
}

export interface SlackSecrets {
  readonly apiUrl: string;
  readonly botToken: string;
  readonly signingSecret: string;
}

export function benchEnv(sim: Pick<SimProcess, 'url' | 'user' | 'password'>, slack: SlackSecrets, extra: Readonly<Record<string, string>> = {}): BenchEnv {
  const dir = mkdtempSync(join(tmpdir(), 'exa-chatops-bench-'));
  const secretFile = (name: string, value: string): string => {
    const path = join(dir, name);
    writeFileSync(path, `${value}\n`, { mode: 0o600 });
    chmodSync(path, 0o600);
    return path;
  };
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    SLACK_BOT_TOKEN_FILE: secretFile('bot-token', slack.botToken),
    SLACK_SIGNING_SECRET_FILE: secretFile('signing-secret', slack.signingSecret),
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    EXA_URL: sim.url,
    EXA_USER: sim.user,
    EXA_PASSWORD_FILE: secretFile('exa-password', sim.password),
    EXA_OPERATORS: [USERS.op, USERS.both].join(','),
    EXA_APPROVERS: [USERS.app, USERS.app2, USERS.both].join(','),
    EXA_VIEWERS: USERS.view,
    EXA_ALLOWED_CHANNELS: [CHANNELS.ops, CHANNELS.other].join(','),
    // Written before reasons existed; test/e2e/reasons.test.ts runs the default (required for the destructive ones).
    EXA_REASON_REQUIRED_FOR: 'none',
    DATA_DIR: join(dir, 'data'),
    LOG_LEVEL: 'info',
    ...extra,
  };
  return { env, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
