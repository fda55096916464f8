import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../errors/app-error.js';

export interface DataDirLock {
  readonly path: string;
  /** Removes the lock if it is still ours; idempotent. */
  release(): void;
}

interface Owner {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
}

/**
 * One bot per DATA_DIR. Two processes appending to one journal would each run the queue they
 * know, so the same cluster could be shut down twice and a restart would report nonsense. The
 * lock is a file created exclusively (O_EXCL) holding the owner's pid and host; one left by a
 * process that is gone (kill -9, power loss) is taken over. On another host (a shared volume)
 * a live owner cannot be checked, so it is never taken over: the message says what to remove.
 */
export function lockDataDir(dataDir: string, now: () => number = Date.now): DataDirLock {
  const path = join(dataDir, 'exa-chatops.lock');
  const me: Owner = { pid: process.pid, host: hostname(), startedAt: new Date(now()).toISOString() };
  for (let attempt = 0; attempt < 2; attempt += 1) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new AppError('DATA_DIR_LOCK_FAILED', `Could not lock the data directory ${dataDir}: ${(error as Error).message}. Check its permissions.`);
      }
      const owner = readOwner(path);
      if (owner && isAlive(owner)) {
        throw new AppError(
          'DATA_DIR_LOCKED',
          `Another exa-chatops (pid ${owner.pid} on ${owner.host}, started ${owner.startedAt}) uses the data directory ${dataDir}. ` +
            'Two bots on one journal would run operations twice: stop the other one first, or give this one its own DATA_DIR. ' +
            `If that process is really gone, remove ${path}.`,
        );
      }
      unlinkSync(path); // stale: its owner is dead (or the file is unreadable)
      continue;
    }
    try {
      writeSync(fd, `${JSON.stringify(me)}\n`);
    } finally {
      closeSync(fd);
    }
    let released = false;
    return {
      path,
      release() {
        if (released) return;
        released = true;
        const owner = readOwner(path);
        if (owner?.pid === me.pid && owner.host === me.host) unlinkSync(path);
      },
    };
  }
  throw new AppError('DATA_DIR_LOCKED', `Could not lock the data directory ${dataDir}: another process keeps taking the lock ${path}.`);
}

function readOwner(path: string): Owner | undefined {
  try {
    const raw = JSON.parse(readFileSync(path, 'utf8')) as Partial<Owner>;
    return typeof raw.pid === 'number' && typeof raw.host === 'string' && typeof raw.startedAt === 'string'
      ? { pid: raw.pid, host: raw.host, startedAt: raw.startedAt }
      : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(owner: Owner): boolean {
  if (owner.host !== hostname()) return true; // cannot check: assume alive
  // Our own pid in the file is a lock left by an earlier run of this same pid (pid 1 in a container).
  if (owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
