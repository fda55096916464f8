// manifest.yml must create an app the bot can run with: every subcommand in the usage hint, and
// exactly the bot scopes the Web API methods the bot calls need (no more, no fewer).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { VERBS } from '../../src/commands/command-catalogue.js';

const manifest = readFileSync(join(import.meta.dirname, '..', '..', 'manifest.yml'), 'utf8');

/** The Web API methods src/ calls, and the bot scope each needs (Slack's method reference). */
const SCOPE_OF: Record<string, readonly string[]> = {
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'usergroups.users.list': ['usergroups:read'],
  // Public channels need channels:read, private ones groups:read.
  'conversations.info': ['channels:read', 'groups:read'],
};

/** The bot events the code listens to, and the scope each needs (Slack's event reference). */
const EVENT_SCOPE: Record<string, readonly string[]> = {
  app_home_opened: [],
  'message.im': ['im:history'],
};

describe('manifest.yml', () => {
  it('declares /exa with every subcommand in its usage hint', () => {
    assert.match(manifest, /- command: \/exa\n/);
    const hint = /usage_hint: "([^"]+)"/.exec(manifest)?.[1] ?? '';
    for (const verb of VERBS) assert.match(hint, new RegExp(`\\b${verb}\\b`), verb);
    assert.ok(hint.length <= 1000);
  });

  it('asks for exactly the bot scopes the code needs', () => {
    const scopes = [...(/bot:\n((?:\s+- [\w:.]+.*\n)+)/.exec(manifest)?.[1] ?? '').matchAll(/- ([\w:.]+)/g)].map((m) => m[1]);
    const src = (file: string): string => readFileSync(join(import.meta.dirname, '..', '..', 'src', file), 'utf8');
    const code = src('slack/slack-poster.ts') + src('bot.ts') + src('slack/channel-membership.ts');
    const used = Object.keys(SCOPE_OF).filter((method) => code.includes(method));
    assert.ok(used.includes('usergroups.users.list') && used.includes('chat.update') && used.includes('conversations.info'), used.join(', '));
    // And the scopes of the events the code listens to (slack/features/home.ts).
    const listened = src('slack/features/home.ts');
    const events = Object.keys(EVENT_SCOPE).filter((e) => listened.includes(`app.event('${e === 'message.im' ? 'message' : e}'`));
    assert.deepEqual(events.sort(), ['app_home_opened', 'message.im']);
    const needed = new Set(['commands', ...used.flatMap((m) => SCOPE_OF[m] ?? []), ...events.flatMap((e) => EVENT_SCOPE[e] ?? [])]);
    assert.deepEqual([...scopes].sort(), [...needed].sort());
  });

  it('is ready for Socket Mode with interactivity on', () => {
    assert.match(manifest, /socket_mode_enabled: true/);
    assert.match(manifest, /interactivity:\n\s+is_enabled: true/);
  });

  it('has the Home tab, and the messages tab open for writing (the bot answers direct messages)', () => {
    assert.match(manifest, /app_home:\n(?:\s+#.*\n|\s+\w+: \w+\n)*\s+home_tab_enabled: true\n/);
    assert.match(manifest, /app_home:\n(?:\s+#.*\n|\s+\w+: \w+\n)*\s+messages_tab_enabled: true\n\s+messages_tab_read_only_enabled: false/);
    assert.match(manifest, /event_subscriptions:\n\s+bot_events:\n\s+- app_home_opened.*\n\s+- message\.im/);
  });
});
