import type { LogEntry } from '../exaoperation/types.js';
import { logPriorityLabel } from './labels.js';
import { context, header, table, text, type Message } from './message.js';

/** The newest log entries, newest first, exactly as the logservice wrote them. */
export function renderLogs(cluster: string, entries: readonly LogEntry[]): Message {
  const title = `Newest ${entries.length} log entr${entries.length === 1 ? 'y' : 'ies'} of cluster ${cluster}`;
  if (entries.length === 0) {
    return { title, blocks: [header(title), text(`The logservice of cluster ${cluster} has no entries.`)] };
  }
  return {
    title,
    blocks: [
      header(title),
      table(
        ['time', 'node', 'system', 'priority', 'message'],
        entries.map((e) => [e.strtime, e.node, e.system, logPriorityLabel(e.priority), e.message]),
      ),
      context(`From the logservice the bot follows, newest first.`),
    ],
  };
}
