// The app's Home tab (issue 16): one card per cluster, for the person looking. What the cluster
// looks like now (nodes, storage, databases with their state and connections), what runs and waits
// on it, and the last operations with their outcome and who asked and approved.
import { formatUntil, type Freeze } from '../change-control/change-gate.js';
import type { ClusterSnapshot } from '../lifecycle/snapshot.js';
import type { OperationRecord, OperationStatus } from '../operations/operation-record.js';
import { connectionLabel, databaseStateLabel, formatTimestamp, operationTitle } from './labels.js';
import { channelRef, context, header, people, peopleContext, table, text, user, type Block, type Inline, type Message } from './message.js';
import { summary } from './status-view.js';

export interface HomeCard {
  readonly cluster: string;
  /** The live state, or why it could not be read (a cluster that is shut down cannot be). */
  readonly state: { readonly kind: 'read'; readonly snapshot: ClusterSnapshot } | { readonly kind: 'unreadable'; readonly why: string };
  readonly running: OperationRecord | undefined;
  readonly pending: readonly OperationRecord[];
  readonly awaitingApproval: readonly OperationRecord[];
  /** Finished operations, newest first. */
  readonly recent: readonly OperationRecord[];
  /** Where its operations are requested (`/exa` there), when a channel is configured for it. */
  readonly channel: string | undefined;
  /** The viewer may request operations on it: the card offers the request form (posted in `channel`). */
  readonly requestable?: boolean;
  /** A hold or freeze window that refuses its shut-down now. */
  readonly frozen?: Freeze;
}

/** At most this many finished operations per card: a Home tab holds 100 blocks for every cluster. */
export const RECENT_PER_CARD = 3;

export function renderHome(cards: readonly HomeCard[], now: number): Message {
  return {
    title: `exa-chatops: ${cards.length} cluster(s)`,
    blocks: [
      header('Exasol clusters'),
      context(`Updated ${formatTimestamp(now)}: when an operation changes, and each time you open this tab.`),
      ...cards.flatMap(card),
      ...(cards.length === 0 ? [text('There is no cluster you may view: ask an admin for the viewer role.', 'warning')] : []),
      context('Type /exa help in a channel for the commands; write me here for a short help.'),
    ],
  };
}

function card(c: HomeCard): Block[] {
  const where: Inline[] = c.channel ? ['Requested with /exa in ', channelRef(c.channel)] : ['Requested with /exa in any channel the bot serves'];
  const request: Block[] =
    c.requestable && c.channel ? [{ kind: 'actions', buttons: [{ actionId: 'request', value: c.cluster, label: `Request an operation on ${c.cluster}…`, formOnly: true }] }] : [];
  return [header(`Cluster ${c.cluster}`), ...frozenBlocks(c.frozen), ...stateBlocks(c), ...workBlocks(c), ...recentBlocks(c.recent), ...request, peopleContext(where)];
}

function frozenBlocks(frozen: Freeze | undefined): Block[] {
  if (!frozen) return [];
  if (frozen.kind === 'hold') return [people(['On hold until ', formatUntil(frozen.until, 'UTC'), ', set by ', user(frozen.by), `: ${frozen.reason}`], 'warning')];
  return [text(`Freeze window '${frozen.name}' until ${formatUntil(frozen.until, frozen.timeZone)}: ${frozen.reason}`, 'warning')];
}

function stateBlocks(c: HomeCard): Block[] {
  if (c.state.kind === 'unreadable') return [text(`State not readable right now: ${c.state.why}`, 'warning')];
  const { snapshot } = c.state;
  return [
    text(summary(snapshot)),
    table(
      ['database', 'state', 'connections'],
      snapshot.databases.map((db) => [db.name, databaseStateLabel(db.state), connectionLabel(db.connection)]),
    ),
  ];
}

function workBlocks(c: HomeCard): Block[] {
  const lines: Block[] = [];
  if (c.running) lines.push(people([`Running: ${c.running.id} ${operationTitle(c.running.operation, c.cluster)}${step(c.running.status)} · requested by `, user(c.running.requestedBy), because(c.running)]));
  else lines.push(text('Nothing running.'));
  for (const op of c.pending) lines.push(people([`Queued: ${op.id} ${operationTitle(op.operation, c.cluster)} · requested by `, user(op.requestedBy), because(op)]));
  for (const op of c.awaitingApproval) lines.push(people([`Waiting for approval: ${op.id} ${operationTitle(op.operation, c.cluster)} · requested by `, user(op.requestedBy), because(op)]));
  return lines;
}

function because(op: OperationRecord): string {
  return op.reason ? ` · “${op.reason}”` : '';
}

function step(status: OperationStatus): string {
  return status.kind === 'running' && status.stepId !== undefined ? `, step ${status.stepId}${status.stepTitle ? ` (${status.stepTitle})` : ''}` : '';
}

function recentBlocks(recent: readonly OperationRecord[]): Block[] {
  if (recent.length === 0) return [];
  return [
    text('Last operations', 'strong'),
    ...recent.slice(0, RECENT_PER_CARD).map((op) =>
      peopleContext([
        `${op.id} ${operationTitle(op.operation, op.cluster)}: ${outcome(op.status)} · requested by `,
        user(op.requestedBy),
        ...(op.approvedBy ? [', approved by ', user(op.approvedBy)] : []),
        because(op),
        ` · ${formatTimestamp(op.requestedAt)}`,
      ]),
    ),
  ];
}

function outcome(status: OperationStatus): string {
  if (status.kind !== 'finished') return status.kind;
  return status.outcome.kind;
}

/** The answer to a direct message: what the bot does and where to go, short (the full help is /exa help). */
export function renderDirectMessageHelp(clusters: readonly string[]): Message {
  return {
    title: 'exa-chatops help',
    blocks: [
      text('I start, stop and watch Exasol clusters, with approvals. I do not take commands here in the chat:'),
      text(
        [
          '• /exa status — the state of a cluster (only you see it)',
          '• /exa shutdown, /exa startup, /exa db stop NAME … — request an operation; destructive ones wait for an approver',
          '• /exa queue — what runs and waits; /exa help — every command, with examples',
        ].join('\n'),
      ),
      context(`Type them in a channel I am in. Clusters: ${clusters.join(', ') || 'none configured'}. My Home tab shows each one's state and its last operations.`),
    ],
  };
}
