import { closeSync, existsSync, fsyncSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Above this a journal is compacted and an audit log rotated when the bot starts. */
export const DEFAULT_ROTATE_BYTES = 8 * 1024 * 1024;

/**
 * Moves `path` aside as `<name>-<stamp>.jsonl` (kept for people, never read again by the bot) and
 * starts it anew with `carry` (the records that must survive, e.g. operations still open), written
 * to a temporary file, synced and renamed into place, so a crash leaves one or the other, whole.
 * Returns the archive's path, or undefined when the file was under the limit.
 */
export function rotateIfLarge(path: string, limitBytes: number, stamp: string, carry: () => readonly object[]): string | undefined {
  if (!existsSync(path) || statSync(path).size <= limitBytes) return undefined;
  const kept = carry();
  const archive = join(dirname(path), `${basename(path, '.jsonl')}-${stamp.replace(/[:.]/g, '-')}.jsonl`);
  const fresh = `${path}.new`;
  const fd = openSync(fresh, 'w', 0o600);
  try {
    for (const record of kept) writeSync(fd, `${JSON.stringify(record)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(path, archive);
  renameSync(fresh, path);
  return archive;
}
