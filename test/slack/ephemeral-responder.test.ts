// A form's answers have no response_url: they go as ephemeral messages, and where those cannot
// reach the person (not in the channel, or the bot is not), as a direct message from the app.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ephemeralResponder } from '../../src/slack/slack-deps.js';
import type { SlackPoster } from '../../src/slack/slack-poster.js';

function poster(ephemeralFails: boolean): SlackPoster & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    post: async (channel, message) => {
      sent.push(`post ${channel}: ${message.text}`);
      return '1.2';
    },
    update: async () => undefined,
    ephemeral: async (channel, user, message) => {
      if (ephemeralFails) throw Object.assign(new Error('An API error occurred: user_not_in_channel'), { data: { error: 'user_not_in_channel' } });
      sent.push(`ephemeral ${channel}/${user}: ${message.text}`);
    },
  };
}

describe('ephemeralResponder', () => {
  it('answers in the channel, to the person alone', async () => {
    const p = poster(false);
    await ephemeralResponder(p, 'C0OPS', 'U0OP')({ response_type: 'ephemeral', text: 'Queued as op-1', blocks: [] });
    assert.deepEqual(p.sent, ['ephemeral C0OPS/U0OP: Queued as op-1']);
  });

  it('falls back to a direct message when the channel cannot take it', async () => {
    const p = poster(true);
    await ephemeralResponder(p, 'C0PRIVATE', 'U0OP')({ text: 'Not allowed: …', blocks: [] });
    assert.deepEqual(p.sent, ['post U0OP: Not allowed: …']);
  });
});
