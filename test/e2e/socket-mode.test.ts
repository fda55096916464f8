// Scenario 8: Socket Mode. Slack asks the client to reconnect (`disconnect`, refresh_requested):
// the bot opens a new connection by itself, readiness says "not connected" in between, and a
// command after the reconnect works. Health routes live on the side server in this mode.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { CHANNELS, nextEphemeral, startStack, textOf, USERS, type Stack } from './harness.js';

describe('Socket Mode', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ mode: 'socket' });
  });
  after(async () => {
    await stack.close();
  });

  const readyz = async (): Promise<{ status: number; body: { ready: boolean; slack: { connected: boolean } } }> => {
    const res = await fetch(`${stack.botUrl}/readyz`);
    return { status: res.status, body: (await res.json()) as { ready: boolean; slack: { connected: boolean } } };
  };

  /** Polls /readyz until it answers `status` (the client learns of a close or a hello a moment after the fake). */
  const readyzUntil = async (status: number, timeoutMs: number): ReturnType<typeof readyz> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const answer = await readyz();
      if (answer.status === status || Date.now() > deadline) return answer;
      await sleep(20);
    }
  };

  it('serves health on its own port and is ready once connected', async () => {
    assert.ok(stack.fake.isSocketConnected());
    const ready = await readyz();
    assert.equal(ready.status, 200);
    assert.equal(ready.body.slack.connected, true);
  });

  it('reconnects after Slack asks it to (refresh_requested), and a later command works', async () => {
    const { fake } = stack;
    assert.equal(fake.connections().length, 1);
    fake.disconnect('refresh_requested');

    // The client closes the old connection and, after its back-off, opens a new one.
    await fake.waitFor(() => !fake.isSocketConnected(), 2000, 'the old connection to close');
    const gap = await readyzUntil(503, 1000);
    assert.equal(gap.status, 503, 'not ready while Slack cannot reach the bot');
    assert.equal(gap.body.slack.connected, false);

    await fake.waitFor(() => fake.isSocketConnected(), 12_000, 'the bot to reconnect');
    const connections = fake.connections();
    assert.equal(connections.length, 2);
    assert.equal(connections[0]?.open, false);
    assert.equal(connections[1]?.open, true);
    assert.equal(fake.apiCalls('apps.connections.open').length, 2, 'a fresh URL for the new connection');
    assert.equal((await readyzUntil(200, 1000)).status, 200, 'ready again');

    const delivered = await fake.slashCommand({ user: USERS.view, channel: CHANNELS.ops, text: 'status' });
    assert.equal(delivered.via, 'socket');
    assert.equal(delivered.outcome, 'ok');
    assert.ok(delivered.elapsedMs < 3000);
    const reply = await nextEphemeral(fake, USERS.view, CHANNELS.ops, 0);
    assert.match(textOf(reply), /4\/4 nodes online/);
    assert.match(textOf(reply), /exa_db1\s+running/);
  });
});
