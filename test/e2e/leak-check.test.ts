// Scenario 10, the check itself: every scenario file runs assertNoSecretsLeaked in its after()
// hook (through stack.close()). These tests show that the check finds a planted secret wherever
// the harness collects text, and that a secret a user types is redacted on its way out.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertNoSecretsLeaked, CHANNELS, collectTexts, nextEphemeral, startStack, textOf, USERS, type Stack } from './harness.js';

describe('the secret leak check', () => {
  it('finds a secret, raw or URL-encoded, and names where without repeating it', () => {
    const secret = 'xoxb-1234-abcd/efgh';
    assert.doesNotThrow(() => assertNoSecretsLeaked([{ where: 'log line 0', text: 'all fine' }], [secret]));
    for (const text of [`token=${secret}`, `token=${encodeURIComponent(secret)}`]) {
      assert.throws(
        () => assertNoSecretsLeaked([{ where: 'log line 7', text }], ['other-secret', secret]),
        (error: Error) => /secret #1 in log line 7/.test(error.message) && !error.message.includes(secret),
      );
    }
  });

  describe('against a running stack', () => {
    let stack: Stack;
    before(async () => {
      stack = await startStack();
    });
    after(async () => {
      await stack.close();
    });

    it('sees what the bot logs', () => {
      assert.doesNotThrow(() => assertNoSecretsLeaked(collectTexts(stack), stack.secrets));
      const lines = stack.logger.lines.length;
      stack.bot.logger.info('planted', { token: stack.fake.botToken });
      try {
        assert.throws(() => assertNoSecretsLeaked(collectTexts(stack), stack.secrets), /secret #0 in log line/);
      } finally {
        stack.logger.lines.splice(lines); // take it back, or this file's own after() check fails
      }
    });

    it('sees what the bot posts', async () => {
      const { fake } = stack;
      const posted = fake.postAsUser(USERS.op, CHANNELS.ops, `oops: ${stack.secrets[3] ?? ''}`);
      assert.throws(() => assertNoSecretsLeaked(collectTexts(stack), stack.secrets), /secret #3 in message C0OPS\//);
      fake.reset(); // take it back (messages and recorded calls), or this file's own after() check fails
      assert.equal(fake.message(CHANNELS.ops, posted), undefined);
    });

    it('redacts a secret a user types, in the reply and in the audit log', async () => {
      const { fake } = stack;
      const password = stack.secrets[3] ?? '';
      // The password is a valid cluster name, so the answer would echo it: it must go out redacted.
      await fake.slashCommand({ user: USERS.view, channel: CHANNELS.ops, text: `status ${password}` });
      const reply = await nextEphemeral(fake, USERS.view, CHANNELS.ops, 0);
      assert.match(textOf(reply), /There is no cluster '\[redacted\]'/);
      // Someone without a role types it: the denial is audited with the command, redacted.
      await fake.slashCommand({ user: USERS.nobody, channel: CHANNELS.ops, text: `status ${password}` });
      await nextEphemeral(fake, USERS.nobody, CHANNELS.ops, 0);
      const denied = stack.audit().find((e) => e['action'] === 'denied');
      assert.equal(denied?.['detail'], '/exa status [redacted]: you do not have the viewer role; ask an admin to grant it');
    });
  });
});
