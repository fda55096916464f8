import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReplayGuard } from '../../src/slack/replay-guard.js';

const HEX = 'ab'.repeat(32);
const T = 1_700_000_000;
const signed = (ts = T, signature = `v0=${HEX}`) => ({ 'x-slack-signature': signature, 'x-slack-request-timestamp': String(ts) });

describe('ReplayGuard', () => {
  it('refuses a remembered signature until well past Slack’s window, then forgets it', () => {
    let now = T * 1000;
    const guard = new ReplayGuard(() => now);
    assert.deepEqual(guard.screen(signed()), { ok: true });
    assert.equal(guard.remember(signed()), true);
    now = (T + 300.9) * 1000; // Bolt, rounding down, still accepts this
    assert.equal(guard.screen(signed()).ok, false);
    now = (T + 362) * 1000;
    assert.equal(guard.screen(signed()).ok, true, 'forgotten once Bolt would call it stale anyway');
  });

  it('only the first of two copies that passed the screen together is kept', () => {
    const guard = new ReplayGuard(() => T * 1000);
    assert.equal(guard.screen(signed()).ok && guard.screen(signed()).ok, true);
    assert.equal(guard.remember(signed()), true);
    assert.equal(guard.remember(signed()), false);
  });

  it('refuses signatures not exactly v0=<64 hex>, and future timestamps', () => {
    const guard = new ReplayGuard(() => T * 1000);
    for (const bad of [`v0=${HEX}=1`, `v0=${HEX}x`, `v1=${HEX}`, 'v0=abc']) {
      assert.deepEqual(guard.screen(signed(T, bad)), { ok: false, reason: 'request signature is not in Slack’s v0 format' }, bad);
    }
    assert.deepEqual(guard.screen(signed(T + 301)), { ok: false, reason: 'request timestamp is in the future' });
    assert.deepEqual(guard.screen({}), { ok: true }, 'unsigned requests are left to Bolt');
  });
});
