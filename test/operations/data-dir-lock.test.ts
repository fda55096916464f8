// One owner per DATA_DIR: a second bot on the same directory refuses to start and says who holds
// it; a lock left by a dead process is taken over.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterEach, describe, it } from 'node:test';
import { lockDataDir } from '../../src/operations/data-dir-lock.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function holder(pid: number): string {
  return JSON.stringify({ pid, host: hostname(), startedAt: '2026-12-01T10:00:00.000Z' });
}

describe('lockDataDir', () => {
  it('refuses while another live process holds the directory, naming it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'exa-lock-'));
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)']);
    try {
      writeFileSync(join(dir, 'exa-chatops.lock'), holder(other.pid ?? 0));
      assert.throws(() => lockDataDir(dir as string), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'DATA_DIR_LOCKED');
        assert.match(error.message, new RegExp(`Another exa-chatops \\(pid ${other.pid} on ${hostname()}, started 2026-12-01T10:00:00.000Z\\) uses the data directory`));
        assert.match(error.message, /stop the other one first, or give this one its own DATA_DIR/);
        return true;
      });
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('takes over a lock whose process is gone, and releases only its own', async () => {
    dir = mkdtempSync(join(tmpdir(), 'exa-lock-'));
    const gone = spawn(process.execPath, ['-e', '0']);
    await once(gone, 'exit');
    const path = join(dir, 'exa-chatops.lock');
    writeFileSync(path, holder(gone.pid ?? 0));
    const lock = lockDataDir(dir);
    assert.equal(JSON.parse(readFileSync(path, 'utf8')).pid, process.pid);
    lock.release();
    assert.equal(existsSync(path), false);
    lock.release(); // idempotent
  });
});
