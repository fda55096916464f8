import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { loadWatchState, saveWatchState, watchStatePath, type WatchState } from '../../src/watch/watch-state.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'watch-state-'));
  dirs.push(dir);
  return dir;
};

const state: WatchState = {
  tag: 'exa-chatops-watch-1',
  seen: { floorMs: 1000, keys: ['2024-05-01 12:00:00|n0011|Storage|x'] },
  snapshot: {
    takenAt: 5,
    master: 'n0010',
    storageOnline: true,
    services: [{ name: 'DWAd', state: { kind: 'ok' } }],
    nodes: [{ name: 'n0011', status: { kind: 'unknown', raw: 'Unknown' }, power: { kind: 'off' } }],
    databases: [],
  },
  told: { connections: { exa_db1: true }, online: { n0011: false } },
  lostContact: { lostAt: 7, reason: 'not reachable' },
};

describe('watch state file', () => {
  it('round-trips, with a file only its owner can read, and no temporary file left', () => {
    const dir = tempDir();
    const path = watchStatePath(dir, 'cluster 1/prod');
    assert.equal(path, join(dir, 'watch-cluster_1_prod.json'));
    saveWatchState(path, state);
    assert.deepEqual(loadWatchState(path), { kind: 'loaded', state });
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(dir), ['watch-cluster_1_prod.json']);
  });

  it('keeps the absence of optional parts', () => {
    const path = watchStatePath(tempDir(), 'c');
    const bare: WatchState = { ...state, seen: { floorMs: undefined, keys: [] }, snapshot: undefined, lostContact: undefined };
    saveWatchState(path, bare);
    assert.deepEqual(loadWatchState(path), { kind: 'loaded', state: bare });
  });

  it('reports a missing file as a first start and a damaged one as unusable', () => {
    const dir = tempDir();
    assert.deepEqual(loadWatchState(join(dir, 'nope.json')), { kind: 'missing' });
    for (const text of ['{"version":1,"tag":"t","se', '[]', '{"version":2}', '{"version":1,"tag":"t","seen":{"floorMs":null,"keys":[1]},"told":{}}']) {
      const path = join(dir, 'damaged.json');
      writeFileSync(path, text);
      const result = loadWatchState(path);
      assert.equal(result.kind, 'unusable', text);
    }
  });

  it('says what to check when it cannot write', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), '');
    assert.throws(() => saveWatchState(join(dir, 'file', 'watch-c.json'), state), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'data-write-failed');
      assert.match(error.message, /free disk space and the permissions/);
      return true;
    });
  });
});
