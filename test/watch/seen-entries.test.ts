import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogEntry } from '../../src/exaoperation/types.js';
import { entryKey, SeenEntries, strtimeMs } from '../../src/watch/seen-entries.js';

const at = (second: number, message = `m${second}`): LogEntry => ({
  strtime: `2024-05-01 12:${String(Math.floor(second / 60)).padStart(2, '0')}:${String(second % 60).padStart(2, '0')}.250000`,
  system: 'Storage',
  node: 'n0011',
  message,
  priority: 'Error',
});

describe('SeenEntries', () => {
  it('parses the expected strtime shape and nothing else', () => {
    assert.equal(strtimeMs('2024-05-01 12:00:01.250000'), Date.UTC(2024, 4, 1, 12, 0, 1, 250));
    assert.equal(strtimeMs('2024-05-01T12:00:01'), Date.UTC(2024, 4, 1, 12, 0, 1));
    assert.equal(strtimeMs('Tue May  1 12:00:01 2024'), undefined);
  });

  it('knows entries it was given and not others', () => {
    const seen = new SeenEntries();
    seen.add(at(1));
    assert.equal(seen.has(at(1)), true);
    assert.equal(seen.has(at(2)), false);
    assert.equal(seen.has(at(1, 'another message in the same instant')), false);
  });

  it('counts everything well before the newest entry as seen, so a full re-delivery repeats nothing', () => {
    const seen = new SeenEntries(undefined, { toleranceMs: 60_000 });
    seen.add(at(0));
    seen.add(at(600));
    assert.equal(seen.has(at(30, 'never delivered but long past')), true);
    assert.equal(seen.has(at(590, 'a little out of order')), false, 'inside the tolerance it is still news');
  });

  it('stays bounded: evicted keys are covered by the floor', () => {
    const seen = new SeenEntries(undefined, { maxKeys: 10, toleranceMs: 3_600_000 });
    for (let i = 0; i < 100; i++) seen.add(at(i));
    const state = seen.toState();
    assert.ok(state.keys.length <= 10);
    for (let i = 0; i < 100; i++) assert.equal(seen.has(at(i)), true, `entry ${i}`);
    assert.equal(seen.has(at(100)), false);
  });

  it('survives a round trip through its state', () => {
    const seen = new SeenEntries(undefined, { toleranceMs: 60_000 });
    for (let i = 0; i < 5; i++) seen.add(at(i * 30));
    const again = new SeenEntries(JSON.parse(JSON.stringify(seen.toState())), { toleranceMs: 60_000 });
    for (let i = 0; i < 5; i++) assert.equal(again.has(at(i * 30)), true);
    assert.equal(again.has(at(200)), false);
  });

  it('falls back to keys alone when strtime has an unknown shape', () => {
    const seen = new SeenEntries(undefined, { maxKeys: 3 });
    const odd = (n: number): LogEntry => ({ ...at(0), strtime: `day ${n}` });
    for (let n = 0; n < 3; n++) seen.add(odd(n));
    assert.equal(seen.has(odd(0)), true);
    assert.equal(seen.has(odd(5)), false);
    assert.equal(entryKey(odd(1)), 'day 1|n0011|Storage|m0');
  });
});
