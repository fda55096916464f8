import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogEntry } from '../../../src/exaoperation/types.js';
import type { Logger } from '../../../src/logging/logger.js';
import type { ClusterEvent } from '../../../src/watch/events.js';

/** A data directory per test, removed afterwards. */
export function createTempDirs(): { make(): string; cleanUp(): void } {
  const dirs: string[] = [];
  return {
    make() {
      const dir = mkdtempSync(join(tmpdir(), 'exa-watch-'));
      dirs.push(dir);
      return dir;
    },
    cleanUp() {
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RecordingLogger extends Logger {
  readonly lines: { level: string; message: string }[];
}

export function recordingLogger(): RecordingLogger {
  const lines: { level: string; message: string }[] = [];
  const at = (level: string) => (message: string) => lines.push({ level, message });
  return { lines, error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}

/** An entry with its own second, so every one has a distinct key. */
export function errorEntry(n: number, node = 'n0012'): LogEntry {
  const t = new Date(Date.UTC(2024, 4, 1, 12, 0, 0) + n * 10);
  return {
    strtime: t.toISOString().replace('T', ' ').replace('Z', '000'),
    system: 'Storage',
    node,
    message: `Disk error ${n} on /dev/sdb`,
    priority: 'Error',
  };
}

export const kinds = (events: readonly ClusterEvent[], kind: ClusterEvent['kind']): ClusterEvent[] => events.filter((e) => e.kind === kind);
