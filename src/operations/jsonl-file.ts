import {
  closeSync,
  existsSync,
  fchmodSync,
  fdatasyncSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../errors/app-error.js';

export interface JsonlAppender {
  readonly path: string;
  /** Writes one JSON line and returns only once it is on disk. Throws an AppError if it is not. */
  append(record: object): void;
  /** Idempotent. */
  close(): void;
}

export interface JsonlContents {
  readonly records: unknown[];
  /** Lines that did not parse: a torn last line after a kill, or damage by hand. */
  readonly skipped: number;
  /** Their line numbers (1-based), so they can be reported, never silently dropped. */
  readonly damaged: readonly number[];
}

/**
 * Opens (creating if needed) an append-only JSON-lines file. The directory is created 0700 and
 * the file 0600: both only hold ids, names and reasons, but who did what to which cluster is
 * still nobody else's business on a shared host.
 */
export function openJsonlAppender(path: string): JsonlAppender {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const existed = existsSync(path);
  let fd: number | undefined = openSync(path, 'a', 0o600);
  // The open mode is filtered by the umask and ignored for an existing file; set it exactly.
  fchmodSync(fd, 0o600);
  if (!existed) syncDirectory(dirname(path));
  // A kill -9 in the middle of a write leaves a line without its '\n'. Without this the next
  // record would be glued to the torn one and both would be lost when reading.
  let needsNewline = !endsWithNewline(path, fstatSync(fd).size);

  return {
    path,
    append(record) {
      if (fd === undefined) {
        throw new AppError('data-file-closed', `The data file ${path} is closed; nothing more can be recorded.`);
      }
      const line = `${needsNewline ? '\n' : ''}${JSON.stringify(record)}\n`;
      try {
        writeAll(fd, line);
        // Synchronous on purpose: the caller runs the action a record describes (approve, stop a
        // database) only after append() returns, so a crash can never leave an action on the
        // cluster that the journal does not know about. fdatasync, not just write: the page
        // cache does not survive a power loss, and kill -9 must not depend on a later flush.
        fdatasyncSync(fd);
        needsNewline = false;
      } catch (error) {
        // A partial write may have left half a line; start the next record on a fresh line.
        needsNewline = true;
        throw new AppError(
          'data-write-failed',
          `Could not record to ${path}, so the action was not taken. Check free disk space and the permissions of the data directory.`,
          { detail: error instanceof Error ? error.message : String(error), cause: error },
        );
      }
    },
    close() {
      if (fd === undefined) return;
      closeSync(fd);
      fd = undefined;
    },
  };
}

/** Every line that parses as JSON, in file order. A missing file is an empty one. */
export function readJsonl(path: string): JsonlContents {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], skipped: 0, damaged: [] };
    throw error;
  }
  const records: unknown[] = [];
  const damaged: number[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      records.push(JSON.parse(line));
    } catch {
      damaged.push(index + 1);
    }
  });
  return { records, skipped: damaged.length, damaged };
}

function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}

function endsWithNewline(path: string, size: number): boolean {
  if (size === 0) return true;
  const fd = openSync(path, 'r');
  try {
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] === 0x0a;
  } finally {
    closeSync(fd);
  }
}

/** A new file's directory entry is only durable once the directory itself is synced. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms and file systems cannot fsync a directory; the data itself is still synced.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
