// Two replicas of `npm start` on one PostgreSQL (issue 15), both taking Slack traffic, as a load
// balancer (or Socket Mode's spread over connections) sends it: commands and clicks alternate
// between them. The executor runs everything: what reached the standby is forwarded through the
// database and answered through its response_url; a click on a message the executor posted works
// through the standby; a Slack retry delivered to the other replica does nothing twice.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { postToBot } from '../fakes/slack/http-delivery.js';
import { slackDeliveryHeaders } from '../fakes/slack/signing.js';
import { botMessages, CHANNELS, mutatingCalls, nextEphemeral, textOf, USERS } from './harness.js';
import { replicas, useHaLab, TAKEOVER_BOUND_MS } from './ha-lab.js';

const ha = useHaLab();

/** Sends `form` again, freshly signed, as Slack retries a delivery whose ack it did not see. */
async function retry(port: string, signingSecret: string, form: string): Promise<number> {
  // A retry is signed anew, seconds after the first delivery: a timestamp 2 s ahead keeps the two
  // signatures apart even when both are sent within one second (the same bytes would be a replay).
  const timestampSec = Math.floor(Date.now() / 1000) + 2;
  const headers = { ...slackDeliveryHeaders(signingSecret, form, { timestampSec }), 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' };
  return (await postToBot(`http://127.0.0.1:${port}/slack/events`, headers, form, 3000)).status;
}

describe('two replicas taking Slack traffic in turn', { timeout: 120_000 }, () => {
  it('the executor runs what either receives; a click through the standby works; a retry at the other replica does nothing twice', async () => {
    const p = await ha.lab.pair('alternate', { databaseStop: 300 });
    try {
      const { fake, sim } = p.stack;
      const url = ha.server.urlFor('alternate');
      const { first, second, firstPort, secondPort } = await replicas(p, url, url);
      const to = (port: string): void => fake.setRequestUrl(`http://127.0.0.1:${port}/slack/events`);

      // Reads, one through each replica: both answered, by the executor.
      let seen = 0;
      for (const port of [firstPort, secondPort, firstPort, secondPort]) {
        to(port);
        const sent = await fake.slashCommand({ user: USERS.view, channel: CHANNELS.ops, text: 'queue' });
        assert.equal(sent.outcome, 'ok', `acked by the replica on port ${port}`);
        assert.match(textOf(await nextEphemeral(fake, USERS.view, CHANNELS.ops, seen, 5000)), /Nothing is running or waiting on cluster cluster1/);
        seen += 1;
      }

      // A request through the standby: the executor posts the approval request.
      to(secondPort);
      const requested = await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'db stop exa_db2' });
      const request = await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /Approval needed for op-1:/)[0], 8000, 'the approval request');
      // Slack retries the command at the executor: no second request.
      assert.equal(await retry(firstPort, fake.signingSecret, new URLSearchParams(requested.payload as Record<string, string>).toString()), 200);

      // Approve, clicked through the standby, on the message the executor posted.
      const clicked = await fake.clickButton({ user: USERS.app, channel: CHANNELS.ops, messageTs: request.ts, actionId: 'exa_approve' });
      assert.equal(clicked.outcome, 'ok');
      await fake.waitFor(() => (/Approved by <@U0APP>/.test(textOf(fake.message(CHANNELS.ops, request.ts))) ? true : undefined), 8000, 'the approval request edited');
      // A copy of the click, signed once, sent to the standby (a repeat: dropped by its trigger_id)
      // and then, the very same bytes, to the executor: refused there by the shared replay window.
      const form = new URLSearchParams({ payload: JSON.stringify(clicked.payload) }).toString();
      // (1 s ahead: the fake sent these very bytes a moment ago, maybe within this second.)
      const signed = slackDeliveryHeaders(fake.signingSecret, form, { timestampSec: Math.floor(Date.now() / 1000) + 1 });
      assert.equal((await postToBot(`http://127.0.0.1:${secondPort}/slack/events`, signed, form, 3000)).status, 200);
      assert.equal((await postToBot(`http://127.0.0.1:${firstPort}/slack/events`, signed, form, 3000)).status, 401);
      // …and retried at the executor: not a second decision (nor a refusal of one).
      assert.equal(await retry(firstPort, fake.signingSecret, form), 200);
      await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /op-1: Stop of database exa_db2/).find((m) => /Succeeded/.test(textOf(m))), 20_000, 'the stop to finish');
      await sleep(500); // what a retry would have done, it would have done by now

      assert.deepEqual(mutatingCalls(sim), ['db_exa_db2.stopDatabase()'], 'one stop');
      assert.deepEqual(sim.violations, []);
      assert.deepEqual(botMessages(fake, CHANNELS.ops, /op-2/), [], 'no second operation');
      assert.deepEqual(fake.ephemerals(USERS.app, CHANNELS.ops).map(textOf), [], 'the approver got no refusal of a second decision');
      assert.deepEqual(fake.ephemerals(USERS.op, CHANNELS.ops).map(textOf).filter((t) => /already|pending/i.test(t)), [], 'nor the requester a refusal of a second request');
      const audit = await p.audit();
      assert.equal(audit.filter((e) => e['action'] === 'requested').length, 1);
      assert.equal(audit.filter((e) => e['action'] === 'approved').length, 1);
      assert.equal(first.output().match(/a Slack delivery another replica already took arrived again/g)?.length, 2, 'the repeats are logged where they arrived');
      assert.match(second.output(), /a Slack delivery already forwarded arrived again/);
      p.stack.capturedTexts.push(first.output(), second.output());
      for (const bot of [first, second]) bot.proc.kill('SIGTERM');
      for (const bot of [first, second]) assert.equal((await bot.exited).code, 0);
    } finally {
      await p.db.end();
      await p.stack.close();
    }
  });
});

describe('two replicas in Socket Mode', { timeout: 120_000 }, () => {
  it('both connect; what reaches the standby runs on the executor; after a kill -9 of the executor the standby takes over and answers itself', async () => {
    const p = await ha.lab.pair('socket', { databaseStop: 300 }, 'socket');
    try {
      const { fake, sim } = p.stack;
      const url = ha.server.urlFor('socket');
      const first = p.replica('a', url);
      await fake.waitFor(() => /exa-chatops started \(Socket Mode\)/.test(first.output()) || undefined, 30_000, `the executor to start (output: ${first.output().slice(-600)})`);
      const second = p.replica('b', url);
      await fake.waitFor(() => /standby: cluster cluster1 is executed by/.test(second.output()) || undefined, 30_000, `the standby (output: ${second.output().slice(-600)})`);
      assert.equal(fake.connections().filter((c) => c.open).length, 2, 'both replicas hold a Socket Mode connection');

      // The fake delivers on the newest connection: the standby's.
      await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'db stop exa_db2' });
      const request = await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /Approval needed for op-1:/)[0], 8000, 'the approval request');
      assert.equal((await fake.clickButton({ user: USERS.app, channel: CHANNELS.ops, messageTs: request.ts, actionId: 'exa_approve' })).outcome, 'ok');
      await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /op-1: Stop of database exa_db2/).find((m) => /Succeeded/.test(textOf(m))), 20_000, 'the stop to finish');
      assert.match(second.output(), /exa-chatops standing by \(Socket Mode\)/);
      // An event (the Home tab opened) reaches the standby too: forwarded, and published by the executor.
      await fake.openHome(USERS.op);
      assert.match(JSON.stringify((await fake.waitFor(() => fake.home(USERS.op), 5000, 'the Home tab')).view), /Cluster cluster1/);
      assert.doesNotMatch(second.output(), /exa-chatops started/, 'it ran nothing itself');

      // The executor dies; the standby takes over and answers what it receives itself.
      first.proc.kill('SIGKILL');
      await first.exited;
      await fake.waitFor(() => /exa-chatops started \(Socket Mode\)/.test(second.output()) || undefined, TAKEOVER_BOUND_MS + 5000, 'the takeover');
      const before = fake.ephemerals(USERS.view, CHANNELS.ops).length;
      await fake.slashCommand({ user: USERS.view, channel: CHANNELS.ops, text: 'queue' });
      assert.match(textOf(await nextEphemeral(fake, USERS.view, CHANNELS.ops, before, 5000)), /Nothing is running or waiting on cluster cluster1/);
      assert.deepEqual(mutatingCalls(sim), ['db_exa_db2.stopDatabase()']);
      p.stack.capturedTexts.push(first.output(), second.output());
      second.proc.kill('SIGTERM');
      assert.equal((await second.exited).code, 0);
    } finally {
      await p.db.end();
      await p.stack.close();
    }
  });
});
