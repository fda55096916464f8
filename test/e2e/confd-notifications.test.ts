// Exasol 8 notifications in Slack: the watcher reads ConfD's log_collect with a cursor tag and the
// node and database states, and posts to the notification channel what happened outside the bot
// (a database stopped and started by someone else, a node's host powered off and back on), once each.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { createConfdClient, type ConfdClient } from '../../src/confd/client.js';
import { createConfdTransport } from '../../src/confd/transport.js';
import { botMessages, CHANNELS, startStack, textOf, type Stack } from './harness.js';

describe('Exasol 8 notifications in the channel', () => {
  let stack: Stack;
  let admin: ConfdClient;
  before(async () => {
    stack = await startStack({
      backend: 'confd',
      env: { EXA_NOTIFY_CHANNEL: CHANNELS.other, EXA_WATCH_INTERVAL_MS: '100' },
      bot: { editIntervalMs: 100 },
    });
    const confd = stack.confd;
    assert.ok(confd);
    const password = readFileSync(stack.env['EXA_PASSWORD_FILE'] ?? '', 'utf8').trim();
    // Someone else's session: what they do is news to the bot.
    admin = createConfdClient(createConfdTransport({ url: confd.url, user: 'admin', password, tls: { caPem: confd.certificatePem } }));
    await new Promise((r) => setTimeout(r, 500)); // the watcher's first read sets its baseline
  });
  after(async () => {
    await stack.close();
  });

  it('reports a database stopped and started outside the bot', async () => {
    const { fake } = stack;
    await admin.job('db_stop', { db_name: 'DB2' });
    await fake.waitFor(() => botMessages(fake, CHANNELS.other, /DB2/).find((m) => /stop|setup|no longer accepts|rejecting/i.test(textOf(m))), 8000, 'a notice about DB2 going down');
    await admin.job('db_start', { db_name: 'DB2' });
    await fake.waitFor(() => botMessages(fake, CHANNELS.other, /DB2/).find((m) => /accept/i.test(textOf(m))), 8000, 'a notice that DB2 accepts connections');
    assert.equal(botMessages(fake, CHANNELS.ops, /DB2/).length, 0, 'notices go to the notification channel only');
  });

  it('reports a node going offline and coming back online', async () => {
    const { fake, confd } = stack;
    assert.ok(confd);
    confd.hosts.powerOff('n13');
    await fake.waitFor(() => botMessages(fake, CHANNELS.other, /n13/).find((m) => /offline|down|not running|lost/i.test(textOf(m))), 8000, 'a notice that n13 went offline');
    const before = botMessages(fake, CHANNELS.other, /n13/).length;
    await new Promise((r) => setTimeout(r, 300));
    confd.hosts.powerOn('n13');
    await fake.waitFor(() => botMessages(fake, CHANNELS.other, /n13/).slice(before).find((m) => /online|booted|running|back/i.test(textOf(m))), 10_000, 'a notice that n13 is back');
    // The simulator records the power cut under running databases as unsafe: the test did that, not the bot.
    assert.deepEqual(confd.violations.map((v) => v.kind), ['data-node-shutdown-with-database-running']);
    // In Exasol 8's words: volumes, not EXAStorage; ConfD's 'offline' is a known state.
    const texts = botMessages(fake, CHANNELS.other, /./).map(textOf).join('\n');
    assert.match(texts, /cluster1: storage volumes offline/);
    assert.match(texts, /cluster1\/n13: Running → offline/);
    assert.doesNotMatch(texts, /EXAStorage|unrecognised|EXAoperation/);
  });
});
