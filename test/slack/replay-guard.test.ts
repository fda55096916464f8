import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ReplayGuard } from '../../src/slack/replay-guard.js';

const HEX = 'ab'.repeat(32);
const T = 1_700_000_000;
const signed = (ts = T, signature = `v0=${HEX}`) => ({ 'x-slack-signature': signature, 'x-slack-request-timestamp': String(ts) });

describe('ReplayGuard', () => {
  it('refuses a remembered signature for the whole window, then refuses it as stale', () => {
    let now = T * 1000;
    const guard = new ReplayGuard(() => now);
    assert.deepEqual(guard.screen(signed()), { ok: true });
    assert.equal(guard.remember(signed()), true);
    now = (T + 299) * 1000;
    assert.deepEqual(guard.screen(signed()), { ok: false, reason: 'request was already received (replay)' });
    now = (T + 301) * 1000;
    assert.deepEqual(guard.screen(signed()), { ok: false, reason: 'request timestamp is more than 5 minutes old' });
  });

  it('only the first of two copies that passed the screen together is kept', () => {
    const guard = new ReplayGuard(() => T * 1000);
    assert.equal(guard.screen(signed()).ok && guard.screen(signed()).ok, true);
    assert.equal(guard.remember(signed()), true);
    assert.equal(guard.remember(signed()), false);
  });

  it("applies Slack's rule: more than 5 minutes from now in either direction is refused", () => {
    const guard = new ReplayGuard(() => T * 1000);
    for (const bad of [`v0=${HEX}=1`, `v0=${HEX}x`, `v1=${HEX}`, 'v0=abc']) {
      assert.deepEqual(guard.screen(signed(T, bad)), { ok: false, reason: 'request signature is not in Slack’s v0 format' }, bad);
    }
    assert.deepEqual(guard.screen(signed(T + 301)), { ok: false, reason: 'request timestamp is more than 5 minutes in the future' });
    assert.deepEqual(guard.screen(signed(T - 301)), { ok: false, reason: 'request timestamp is more than 5 minutes old' });
    assert.deepEqual(guard.screen(signed(T + 299)), { ok: true }, 'within 5 minutes ahead: Slack accepts it too');
    assert.deepEqual(guard.screen({ 'x-slack-signature': `v0=${HEX}`, 'x-slack-request-timestamp': '1e9' }), { ok: false, reason: 'request timestamp is missing' });
    assert.deepEqual(guard.screen({}), { ok: false, reason: 'request is not signed' });
  });

  it('remembers across a restart through its file, forgets what is past the window, and survives a cut-off line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'replay-'));
    try {
      const file = join(dir, 'slack-signatures.jsonl');
      let now = T * 1000;
      const first = new ReplayGuard(() => now, file);
      assert.equal(first.remember(signed()), true);
      assert.equal(first.remember(signed(T - 200, `v0=${'cd'.repeat(32)}`)), true);
      writeFileSync(file, `${readFileSync(file, 'utf8')}{"s":"ef`, { flag: 'w' });
      now = (T + 200) * 1000;
      const restarted = new ReplayGuard(() => now, file);
      assert.deepEqual(restarted.screen(signed()), { ok: false, reason: 'request was already received (replay)' });
      assert.equal(readFileSync(file, 'utf8').trim().split('\n').length, 1, 'compacted to the one signature still in its window');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('after compacting its file while running, writes what it learns next into the new file, not the old one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'replay-compact-'));
    try {
      const file = join(dir, 'slack-signatures.jsonl');
      let now = T * 1000;
      const guard = new ReplayGuard(() => now, file);
      for (let i = 0; i < 1002; i += 1) assert.equal(guard.remember(signed(T, `v0=${i.toString(16).padStart(64, '0')}`)), true);
      now = (T + 400) * 1000;
      assert.deepEqual(guard.screen(signed(T + 400)), { ok: true }, 'the sweep drops the expired ones and compacts the file');
      assert.equal(readFileSync(file, 'utf8'), '', 'nothing live is left in it');
      assert.equal(guard.remember(signed(T + 400)), true);
      guard.close();
      const restarted = new ReplayGuard(() => now, file);
      assert.deepEqual(restarted.screen(signed(T + 400)), { ok: false, reason: 'request was already received (replay)' });
      restarted.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('ReplayGuard on a disk that fails', () => {
  it('keeps guarding in memory when its file cannot be written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'replay-ro-'));
    try {
      // Its parent is a file, so every write to it fails (as on a full or read-only disk, even for root).
      writeFileSync(join(dir, 'x'), '');
      const guard = new ReplayGuard(() => T * 1000, join(dir, 'x', 'cannot-exist.jsonl'));
      assert.equal(guard.remember(signed()), true);
      assert.deepEqual(guard.screen(signed()), { ok: false, reason: 'request was already received (replay)' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
