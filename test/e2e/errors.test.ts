// Scenarios 6 and 7: what a user sees when something is wrong. EXAoperation hangs (the ack is
// still immediate, the answer is a clear timeout, no stack trace); a typo, an unknown database or
// cluster (an answer that says how to fix it); a user without a role or in a channel where /exa
// is off ("Not allowed", audited); and /exa help for anyone in an allowed channel.
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import { CHANNELS, nextEphemeral, startStack, textOf, USERS, type Stack } from './harness.js';

const STACK_TRACE = /\n\s+at |Error:|\.ts:\d+/;

describe('errors users can run into', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ env: { EXA_TIMEOUT_MS: '500' } });
  });
  after(async () => {
    await stack.close();
  });

  /** Sends `/exa <text>` and resolves with the ephemeral answer, its text and the ack time. */
  async function ask(user: string, text: string, channel: string = CHANNELS.ops) {
    const seen = stack.fake.ephemerals(user, channel).length;
    const started = performance.now();
    const delivered = await stack.fake.slashCommand({ user, channel, text });
    assert.equal(delivered.outcome, 'ok', `ack of '/exa ${text}'`);
    const reply = await nextEphemeral(stack.fake, user, channel, seen);
    return { delivered, reply, text: textOf(reply), answeredMs: performance.now() - started };
  }

  it('acks at once when EXAoperation hangs, then says clearly that it did not answer', async () => {
    stack.sim.faults.hang('getNodeList', { times: 1 });
    const { delivered, reply, text, answeredMs } = await ask(USERS.view, 'status');
    // A bot that waited for EXAoperation before acking would need the whole 500 ms timeout.
    assert.ok(delivered.elapsedMs < 400, `ack took ${delivered.elapsedMs} ms`);
    assert.ok(answeredMs >= 500, `the answer came after the call timed out (${Math.round(answeredMs)} ms)`);
    assert.equal(reply.kind, 'ephemeral');
    assert.match(text, /EXAoperation did not answer getNodeList on cluster within 0\.5 s/);
    assert.match(text, /Check that EXAoperation is up at http:\/\/127\.0\.0\.1:\d+\/cluster1/);
    assert.match(text, /EXA_TIMEOUT/);
    assert.doesNotMatch(text, STACK_TRACE);
    assert.equal(stack.sim.calls.find((c) => c.method === 'getNodeList')?.outcome, 'hang', 'the simulator really hung');
    // The next status works again.
    const again = await ask(USERS.view, 'status');
    assert.match(again.text, /4\/4 nodes online/);
  });

  it('answers a typo with a suggestion and the way to help', async () => {
    const { text } = await ask(USERS.view, 'stauts');
    assert.match(text, /Unknown subcommand 'stauts'\. Did you mean 'status'\? Try \/exa help\./);
    assert.doesNotMatch(text, STACK_TRACE);
  });

  it('answers an unknown database with the databases the cluster has, and queues nothing', async () => {
    const { text } = await ask(USERS.op, 'db stop exa_db9');
    assert.match(text, /Cluster cluster1 has no database 'exa_db9'\. Its databases: exa_db1, exa_db2\./);
    assert.equal(stack.fake.messages(CHANNELS.ops).length, 0, 'no approval request');
    assert.equal(stack.sim.calls.filter((c) => c.method === 'stopDatabase').length, 0);
    assert.equal(stack.audit().filter((e) => e['action'] === 'requested').length, 0);
  });

  it('answers an unknown cluster with the known clusters', async () => {
    const { text } = await ask(USERS.view, 'status cluster9');
    assert.match(text, /There is no cluster 'cluster9'\. Known clusters: cluster1\./);
  });

  it('refuses a user without a role ("Not allowed") and audits the denial', async () => {
    const { text } = await ask(USERS.nobody, 'status');
    assert.match(text, /Not allowed: you do not have the viewer role on cluster cluster1 in this channel; ask an admin to grant it\./);
    const denied = stack.audit().filter((e) => e['action'] === 'denied' && e['actor'] === USERS.nobody);
    assert.equal(denied.length, 1);
    assert.equal(denied[0]?.['channel'], CHANNELS.ops);
    assert.match(String(denied[0]?.['detail']), /\/exa status: you do not have the viewer role/);
  });

  it('refuses a viewer who asks for a shut-down, and anyone in a channel where /exa is off', async () => {
    const shutdown = await ask(USERS.view, 'shutdown');
    assert.match(shutdown.text, /Not allowed: you do not have the operator role/);
    const elsewhere = await ask(USERS.op, 'status', CHANNELS.random);
    assert.match(elsewhere.text, /Not allowed: \/exa is not enabled in this channel; ask an admin to add C0RANDOM to EXA_ALLOWED_CHANNELS/);
    const denied = stack.audit().filter((e) => e['action'] === 'denied');
    assert.ok(denied.some((e) => e['actor'] === USERS.view && /\/exa shutdown/.test(String(e['detail']))));
    assert.ok(denied.some((e) => e['actor'] === USERS.op && e['channel'] === CHANNELS.random));
    assert.equal(stack.fake.messages(CHANNELS.ops).length, 0);
  });

  it('shows help to anyone in an allowed channel, also for an empty /exa from someone who may not request (operators get the form)', async () => {
    for (const text of ['help', '']) {
      const help = await ask(USERS.nobody, text);
      assert.match(help.text, /exa-chatops: start and stop Exasol clusters through EXAoperation or ConfD/);
      assert.match(help.text, /\/exa status \[cluster\]\nThe state of the cluster: services, EXAStorage, every database/);
      // Whole descriptions, grouped, each with an example: nothing cut at a column width.
      assert.match(help.text, /Shut the whole cluster down: every database, EXAStorage, the data nodes, and the license server last \(Exasol 8: every database\)\. Checks before each step and waits for its approvers\./);
      assert.match(help.text, /\*Look \(changes nothing\)\*[\s\S]*\*Change the cluster[\s\S]*\*Decide on a request\*/);
      assert.match(help.text, /Example: \/exa db start exa_db1 · needs operator/);
      assert.match(help.text, /\/exa shutdown \[--abort-backup\] \[--break-glass\] \[cluster\]/);
      assert.match(help.text, /\/exa approve ID/);
      assert.match(help.text, /\[cluster\] defaults to cluster1/);
      assert.match(help.text, /You hold no role on cluster cluster1 in this channel: ask an admin/);
      assert.match(help.text, /needs viewer/);
    }
    const operator = await ask(USERS.op, 'help');
    assert.match(operator.text, /Your roles on cluster cluster1 in this channel: viewer, operator\./);
    assert.match(operator.text, /needs approver/);
    assert.doesNotMatch(operator.text, /needs (viewer|operator)/);
  });
});
