// Entry point of the Slack bot: configuration from the environment, then the bot, then signals.
import 'dotenv/config';
import { createBot } from './bot.js';
import { loadConfig } from './config/load-config.js';
import { isAppError } from './errors/app-error.js';
import { installProcessGuards } from './process-guards.js';

const SLACK_VARS = ['SLACK_BOT_TOKEN', 'SLACK_BOT_TOKEN_FILE', 'SLACK_APP_TOKEN', 'SLACK_APP_TOKEN_FILE', 'SLACK_SIGNING_SECRET', 'SLACK_SIGNING_SECRET_FILE'];

if (!SLACK_VARS.some((name) => process.env[name])) {
  console.error(
    'exa-chatops: no Slack configuration found (SLACK_BOT_TOKEN plus SLACK_APP_TOKEN or SLACK_SIGNING_SECRET).\n' +
      'To see the bot work without Slack or a cluster, run:  npm run demo\n' +
      'To connect it to Slack, copy .env.example to .env and follow the README, section "Run it in Slack".',
  );
  process.exit(2);
}

let config;
try {
  config = loadConfig(process.env);
} catch (error) {
  console.error(isAppError(error) ? error.message : String(error));
  process.exit(2);
}

let bot: ReturnType<typeof createBot>;
try {
  bot = createBot(config);
} catch (error) {
  // Nothing secret can be in here: configuration errors carry names and paths, never values.
  console.error(`exa-chatops could not start: ${isAppError(error) ? error.message : String(error)}`);
  process.exit(2);
}
installProcessGuards(process, { logger: bot.logger, redact: bot.redact, count: () => bot.metrics.unhandledRejections.inc() });
let stopping = false;
const stop = (signal: string): void => {
  if (stopping) return;
  stopping = true;
  bot.logger.info(`${signal} received: no new commands; running operations stop at their next safe point`);
  bot.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      bot.logger.error('shutdown failed', { error: String(error) });
      process.exit(1);
    },
  );
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));

// PostgreSQL store: a replica that lost an executor lock must not act on another call; it stops at
// once (what runs is cut and recorded as interrupted by the replica that takes over) and exits, so
// its supervisor starts it again as a standby.
void bot.executorLost().then((why) => {
  if (stopping) return;
  stopping = true;
  bot.logger.error(`${why}; stopping now`);
  void bot.stop(0).finally(() => process.exit(1));
});

try {
  await bot.start();
} catch (error) {
  // A stop while the start still waited (for PostgreSQL, or as a standby) is no failure: the
  // stop in progress exits.
  if (!stopping) {
    bot.logger.error(`exa-chatops could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
