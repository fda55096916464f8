import { formatDuration } from '../lifecycle/wait-until.js';
import type { ClusterEvent } from '../watch/events.js';
import { isOnline } from '../watch/events.js';
import {
  connectionLabel,
  databaseOperationLabel,
  databaseStateLabel,
  formatTimestamp,
  logPriorityLabel,
  nodeStatusLabel,
  serviceStateLabel,
} from './labels.js';
import { context, text, type Emphasis, type Message } from './message.js';

export interface RenderedNotification {
  /** The top-level post: a title that sums the whole batch up. */
  readonly message: Message;
  /** Replies in its thread, one line per event; empty for a single event. */
  readonly thread: readonly Message[];
}

export interface NotificationViewOptions {
  /** Events dropped before rendering (the batcher's overflow), to be mentioned. */
  readonly omitted?: number;
  /** @default 20 */
  readonly linesPerReply?: number;
  /** Each reply is a Slack message under the same per-channel rate limit, so they are capped. @default 5 */
  readonly maxReplies?: number;
}

// Most urgent first: the title leads with what someone has to act on.
type Category = 'lost' | 'alerts' | 'offline' | 'rejecting' | 'service' | 'back' | 'booted' | 'accepting' | 'other';
const ORDER: readonly Category[] = ['lost', 'alerts', 'offline', 'rejecting', 'service', 'back', 'booted', 'accepting', 'other'];
const EMPHASIS: Readonly<Record<Category, Emphasis | undefined>> = {
  lost: 'danger',
  alerts: 'danger',
  offline: 'warning',
  rejecting: 'warning',
  service: 'warning',
  back: 'success',
  booted: 'success',
  accepting: 'success',
  other: undefined,
};

function categorise(event: ClusterEvent): Category {
  switch (event.kind) {
    case 'contact-lost':
      return 'lost';
    case 'contact-restored':
      return 'back';
    case 'log-entry':
      return 'alerts';
    case 'node-booted':
      return 'booted';
    case 'node-status-changed':
      return isOnline(event.from) && !isOnline(event.to) ? 'offline' : 'other';
    case 'database-connections':
      return event.accepting ? 'accepting' : 'rejecting';
    case 'connection-state-changed':
      return event.to.kind === 'accepting' ? 'accepting' : event.to.kind === 'rejecting' ? 'rejecting' : 'other';
    case 'service-state-changed':
      return event.to.kind === 'ok' ? 'other' : 'service';
    default:
      return 'other';
  }
}

const LINE_MAX = 300;
const cut = (value: string, max: number): string => (value.length <= max ? value : `${value.slice(0, max - 1)}…`);
const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** One group of same-category events of one cluster, as a phrase for the title. */
function phrase(category: Category, cluster: string, events: readonly ClusterEvent[]): string {
  const [first] = events;
  const n = events.length;
  const service = first?.service ?? 'EXAoperation';
  switch (category) {
    case 'lost':
      return first?.kind === 'contact-lost' ? `Lost contact with ${service} of cluster ${cluster} (${first.reason})` : '';
    case 'back':
      if (first?.kind !== 'contact-restored') return '';
      return first.planned === true
        ? `${service} of cluster ${cluster} is back after the planned shut-down (down ${formatDuration(first.downMs)})`
        : `Back in contact with ${service} of cluster ${cluster} after ${formatDuration(first.downMs)}`;
    case 'alerts': {
      if (n === 1 && first?.kind === 'log-entry') {
        return `${logPriorityLabel(first.entry.priority)} on ${cluster}: ${cut(first.entry.message, 120)}`;
      }
      const priorities = [...new Set(events.map((e) => (e.kind === 'log-entry' ? logPriorityLabel(e.entry.priority) : '')))];
      return `${n} log entries on ${cluster} (${priorities.join(', ')})`;
    }
    case 'booted': {
      const boots = events.flatMap((e) => (e.kind === 'node-booted' ? [e] : []));
      const slowest = boots.reduce((a, b) => (b.seconds > a.seconds ? b : a));
      return n === 1
        ? `${slowest.node} booted on ${cluster} in ${slowest.seconds} s`
        : `${n} nodes booted on ${cluster}, slowest ${slowest.node} in ${slowest.seconds} s`;
    }
    case 'offline':
      return n === 1 && first?.kind === 'node-status-changed'
        ? `${first.node} went offline on ${cluster}`
        : `${n} nodes went offline on ${cluster}`;
    case 'accepting':
    case 'rejecting': {
      const names = [...new Set(events.map((e) => ('database' in e ? e.database : '')))];
      return names.length === 1
        ? `Database ${names[0] ?? ''} on ${cluster} is ${category} connections`
        : `${names.length} databases on ${cluster} are ${category} connections (${names.join(', ')})`;
    }
    case 'service':
      return n === 1 && first?.kind === 'service-state-changed'
        ? `Service ${first.service} on ${cluster} is ${serviceStateLabel(first.to)}`
        : `${n} services on ${cluster} are not OK`;
    case 'other':
      return n === 1 && first !== undefined ? notificationLine(first) : `${n} state changes on ${cluster}`;
  }
}

/** The thread line of one event: time, where, what. Plain text; adapters escape it. */
export function notificationLine(event: ClusterEvent): string {
  const at = formatTimestamp(event.observedAt);
  const c = event.cluster;
  const service = event.service ?? 'EXAoperation';
  const result = ((): string => {
    switch (event.kind) {
      case 'node-booted':
        return `${event.entry.strtime} ${c}/${event.node}: boot finished after ${event.seconds} s`;
      case 'database-connections':
        return `${event.entry.strtime} ${c}/${event.database}: ${event.accepting ? 'accepting' : 'rejecting'} connections`;
      case 'log-entry': {
        const e = event.entry;
        return `${e.strtime} ${c}/${e.node || '-'} ${e.system || '-'} [${logPriorityLabel(e.priority)}]: ${e.message}`;
      }
      case 'master-changed':
        return `${at} ${c}: ${service} master moved from ${event.from} to ${event.to}`;
      case 'storage-changed':
        return `${at} ${c}: ${event.volumes === true ? 'storage volumes' : 'EXAStorage'} ${event.online ? 'online' : 'offline'}`;
      case 'service-state-changed':
        return `${at} ${c}: service ${event.service} ${serviceStateLabel(event.from)} → ${serviceStateLabel(event.to)}`;
      case 'node-status-changed':
        // ConfD's own word is already 'offline'; EXAoperation's states need the gloss.
        return event.to.kind === 'offline' || event.from.kind === 'offline'
          ? `${at} ${c}/${event.node}: ${nodeStatusLabel(event.from)} → ${nodeStatusLabel(event.to)}`
          : `${at} ${c}/${event.node}: ${nodeStatusLabel(event.from)} → ${nodeStatusLabel(event.to)} (${isOnline(event.to) ? 'online' : 'offline'})`;
      case 'database-state-changed':
        return `${at} ${c}/${event.database}: state ${databaseStateLabel(event.from)} → ${databaseStateLabel(event.to)}`;
      case 'database-operation-changed':
        return `${at} ${c}/${event.database}: operation ${databaseOperationLabel(event.from)} → ${databaseOperationLabel(event.to)}`;
      case 'connection-state-changed':
        return `${at} ${c}/${event.database}: connectible ${connectionLabel(event.from)} → ${connectionLabel(event.to)}`;
      case 'contact-lost':
        return `${at} ${c}: lost contact with ${service}: ${event.detail}`;
      case 'contact-restored':
        return event.planned === true
          ? `${at} ${c}: ${service} is back after the planned shut-down (down ${formatDuration(event.downMs)})`
          : `${at} ${c}: back in contact with ${service} after ${formatDuration(event.downMs)}`;
    }
  })();
  return cut(result, LINE_MAX);
}

/**
 * A batch of watcher events as one Slack-sized post: a title that sums it up, e.g. "4 nodes booted
 * on cluster1, slowest n0013 in 141 s", and the details in thread replies, a bounded number of
 * them, however large the batch.
 */
export function renderNotification(events: readonly ClusterEvent[], options: NotificationViewOptions = {}): RenderedNotification {
  const omitted = options.omitted ?? 0;
  const groups = new Map<string, { category: Category; cluster: string; events: ClusterEvent[] }>();
  for (const event of events) {
    const category = categorise(event);
    const key = `${ORDER.indexOf(category)}|${event.cluster}`;
    const group = groups.get(key) ?? { category, cluster: event.cluster, events: [] };
    group.events.push(event);
    groups.set(key, group);
  }
  const ordered = [...groups.entries()].sort(([a], [b]) => Number(a.split('|')[0]) - Number(b.split('|')[0])).map(([, g]) => g);
  const shown = ordered.slice(0, 2);
  const rest = ordered.slice(2).reduce((sum, g) => sum + g.events.length, 0) + omitted;
  const phrases = shown.map((g) => phrase(g.category, g.cluster, g.events));
  if (rest > 0) phrases.push(`and ${plural(rest, 'other event', 'other events')}`);
  const title = phrases.join('; ') || 'No news from the watcher';
  const emphasis = ordered[0] === undefined ? undefined : EMPHASIS[ordered[0].category];
  const lines = events.map(notificationLine);

  if (lines.length <= 1 && omitted === 0) {
    return { message: { title, blocks: [text(title, emphasis), ...lines.map(context)] }, thread: [] };
  }
  const perReply = Math.max(1, options.linesPerReply ?? 20);
  const maxReplies = Math.max(1, options.maxReplies ?? 5);
  const total = lines.length + omitted;
  const thread: Message[] = [];
  for (let i = 0; i < lines.length && thread.length < maxReplies; i += perReply) {
    const chunk = lines.slice(i, i + perReply);
    const last = i + perReply >= lines.length || thread.length === maxReplies - 1;
    const notShown = total - (i + chunk.length);
    const tail = last && notShown > 0 ? [`…and ${plural(notShown, 'more event', 'more events')} not shown here.`] : [];
    thread.push({ title: `Details ${thread.length + 1} of: ${cut(title, 150)}`, blocks: [text([...chunk, ...tail].join('\n'))] });
  }
  const listed = Math.min(lines.length, perReply * maxReplies);
  const summary =
    listed === total
      ? `${plural(total, 'event', 'events')}, one line each in the thread.`
      : `${plural(total, 'event', 'events')}; the thread lists the first ${listed}.`;
  return { message: { title, blocks: [text(title, emphasis), context(summary)] }, thread };
}
