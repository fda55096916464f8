import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppError } from '../errors/app-error.js';
import type { ClusterSnapshot } from '../lifecycle/snapshot.js';
import type { LostContact } from './contact.js';
import type { ToldState } from './reported-facts.js';
import type { SeenEntriesState } from './seen-entries.js';

/** Everything a watcher needs to continue after a restart without repeating or missing anything. */
export interface WatchState {
  /** logEntriesTagged cursor name, fixed per installation and cluster. */
  readonly tag: string;
  readonly seen: SeenEntriesState;
  /** The last polled state, the baseline for the next diff. */
  readonly snapshot: ClusterSnapshot | undefined;
  readonly told: ToldState;
  readonly lostContact: LostContact | undefined;
}

const VERSION = 1;

export function watchStatePath(dataDir: string, cluster: string): string {
  return join(dataDir, `watch-${cluster.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`);
}

export type LoadResult =
  | { readonly kind: 'missing' }
  | { readonly kind: 'loaded'; readonly state: WatchState }
  | { readonly kind: 'unusable'; readonly problem: string };

/**
 * Reads the state file. A missing file is a first start; a damaged one is reported and then
 * treated like a first start (the watcher takes a fresh baseline and posts nothing old), which is
 * safer than guessing from half a file.
 */
export function loadWatchState(path: string): LoadResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'unusable', problem: error instanceof Error ? error.message : String(error) };
  }
  try {
    return { kind: 'loaded', state: parseState(JSON.parse(text) as unknown) };
  } catch (error) {
    return { kind: 'unusable', problem: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Replaces the file atomically (write a temporary file, fsync, rename, fsync the directory): a
 * kill at any moment leaves either the old state or the new one, never a torn file.
 */
export function saveWatchState(path: string, state: WatchState): void {
  const body = `${JSON.stringify({ version: VERSION, ...state, seen: { floorMs: state.seen.floorMs ?? null, keys: state.seen.keys } })}\n`;
  const temporary = `${path}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const fd = openSync(temporary, 'w', 0o600);
    try {
      const bytes = Buffer.from(body, 'utf8');
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
    syncDirectory(dirname(path));
  } catch (error) {
    throw new AppError(
      'data-write-failed',
      `Could not save the watcher state to ${path}. Check free disk space and the permissions of the data directory.`,
      { detail: error instanceof Error ? error.message : String(error), cause: error },
    );
  }
}

function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Not every platform can fsync a directory; the file itself is synced.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function fail(expected: string): never {
  throw new Error(`the state file is damaged: expected ${expected}`);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function booleans(value: unknown, what: string): Record<string, boolean> {
  if (!isRecord(value) || !Object.values(value).every((v) => typeof v === 'boolean')) fail(`${what} as name → true/false`);
  return value as Record<string, boolean>;
}

/** Checks the shape we wrote; the snapshot's inner values are our own parsed unions, checked loosely. */
function parseState(raw: unknown): WatchState {
  if (!isRecord(raw) || raw['version'] !== VERSION) fail(`version ${VERSION}`);
  const { tag, seen, snapshot, told, lostContact } = raw;
  if (typeof tag !== 'string' || tag === '') fail('a tag');
  if (!isRecord(seen) || !Array.isArray(seen['keys']) || !seen['keys'].every((k) => typeof k === 'string')) fail('seen keys');
  const floorMs = seen['floorMs'];
  if (floorMs !== null && typeof floorMs !== 'number') fail('a floor time or null');
  if (snapshot !== undefined && !isSnapshot(snapshot)) fail('a cluster snapshot');
  if (!isRecord(told)) fail('the told facts');
  if (lostContact !== undefined && !(isRecord(lostContact) && typeof lostContact['lostAt'] === 'number' && typeof lostContact['reason'] === 'string' && (lostContact['planned'] === undefined || lostContact['planned'] === true))) {
    fail('a lost-contact record');
  }
  return {
    tag,
    seen: { floorMs: floorMs ?? undefined, keys: seen['keys'] as string[] },
    snapshot,
    told: { connections: booleans(told['connections'], 'connections'), online: booleans(told['online'], 'online') },
    lostContact: lostContact as LostContact | undefined,
  };
}

function isSnapshot(value: unknown): value is ClusterSnapshot {
  return (
    isRecord(value) &&
    typeof value['master'] === 'string' &&
    typeof value['storageOnline'] === 'boolean' &&
    [value['services'], value['nodes'], value['databases']].every((list) => Array.isArray(list) && list.every(isRecord))
  );
}
