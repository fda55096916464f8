// Scenario 1: `/exa status` against the real bot, in HTTP mode and in Socket Mode. The ack is
// measured by the fake (Slack's 3 s rule); the answer is an ephemeral sent through response_url
// with the services and databases tables read from the simulator over XML-RPC.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FakeMessage } from '../fakes/slack/index.js';
import { CHANNELS, CLUSTER, nextEphemeral, startStack, textOf, USERS, type Stack } from './harness.js';

function assertStatusReply(reply: FakeMessage, port: number): void {
  assert.equal(reply.kind, 'ephemeral');
  assert.equal(reply.recipient, USERS.view);
  assert.equal(reply.history[0]?.via, 'response_url', 'answered through response_url, not chat.postEphemeral');
  const text = textOf(reply);
  assert.match(text, new RegExp(`Cluster ${CLUSTER}`));
  assert.match(text, /4\/4 nodes online, EXAStorage online, 2\/2 databases accepting connections/);
  // The services table (a fixed-width code block) …
  assert.match(text, /\*Services\*/);
  assert.match(text, /service\s+state/);
  assert.match(text, /Storaged\s+OK/);
  // … and the databases table with both databases, running and accepting connections.
  assert.match(text, /\*Databases\*/);
  assert.match(text, /database\s+state\s+operation\s+accepting connections\s+connection string/);
  assert.match(text, /exa_db1\s+running\s+None\s+Yes/);
  assert.match(text, /exa_db2\s+running\s+None\s+Yes/);
  assert.match(text, /EXAoperation master: n0010/);
  assert.ok(port > 0);
}

for (const mode of ['http', 'socket'] as const) {
  describe(`/exa status in ${mode === 'http' ? 'HTTP mode' : 'Socket Mode'}`, () => {
    let stack: Stack;
    before(async () => {
      stack = await startStack({ mode });
    });
    after(async () => {
      await stack.close();
    });

    it('acks within 3 s and answers with an ephemeral holding the services and databases tables', async () => {
      const { fake } = stack;
      const delivered = await fake.slashCommand({ user: USERS.view, channel: CHANNELS.ops, text: 'status' });
      assert.equal(delivered.via, mode);
      assert.equal(delivered.outcome, 'ok');
      assert.equal(delivered.status, 200);
      assert.ok(delivered.elapsedMs < 3000, `ack took ${delivered.elapsedMs} ms`);
      assert.equal(delivered.reply, undefined, 'the ack itself is empty: the answer comes after it');

      const reply = await nextEphemeral(fake, USERS.view, CHANNELS.ops, 0);
      assertStatusReply(reply, stack.port);
      assert.deepEqual(fake.messages(CHANNELS.ops), [], 'nothing is posted to the channel for a read');
      assert.ok(stack.sim.calls.some((c) => c.method === 'getNodeList'), 'the state was read from EXAoperation');
    });
  });
}
