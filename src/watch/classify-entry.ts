import { parseBootFinished } from '../exaoperation/parse.js';
import type { LogEntry, LogPriority } from '../exaoperation/types.js';
import type { EntryEvent } from './events.js';

const RANK: Readonly<Record<LogPriority, number>> = { Information: 0, Notice: 1, Warning: 2, Error: 3 };

/**
 * Whether an entry is at or above the threshold. A priority EXAoperation never documented counts
 * as above: it is more likely a new severity (say, 'Critical') than noise, and hiding it would be
 * the worse mistake.
 */
export function meetsPriority(priority: LogEntry['priority'], minimum: LogPriority): boolean {
  return typeof priority !== 'string' || RANK[priority] >= RANK[minimum];
}

// Reference §4.3: both with and without the trailing period occur in real logs. The name is taken
// from the text rather than from `system`, which is the database too but is not documented as such.
const CONNECTIONS = /^EXASolution (\S+) is (accepting|rejecting) connections\.?\s*$/;

/**
 * What one logservice entry means to the watcher. Boot and connection messages are recognised
 * whatever their priority (EXAoperation writes them as Notice); everything else is shown only at
 * or above `minPriority`.
 */
export function classifyEntry(entry: LogEntry, minPriority: LogPriority = 'Error'): EntryEvent {
  const boot = parseBootFinished(entry.message);
  if (boot !== undefined && entry.node !== '') return { kind: 'node-booted', node: entry.node, seconds: boot.seconds, entry };
  const connections = CONNECTIONS.exec(entry.message.trim());
  if (connections !== null) {
    return { kind: 'database-connections', database: connections[1] ?? '', accepting: connections[2] === 'accepting', entry };
  }
  return meetsPriority(entry.priority, minPriority) ? { kind: 'log-entry', entry } : { kind: 'ignored', entry };
}
