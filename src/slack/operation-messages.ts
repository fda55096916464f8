import type { Logger } from '../logging/logger.js';
import { renderApprovalDecided, renderApprovalExpired, renderApprovalRequest, renderApprovalWithdrawn } from '../messages/approval-view.js';
import type { Message } from '../messages/message.js';
import { reduceProgress, startProgress, type ProgressState } from '../messages/progress-state.js';
import { renderProgress } from '../messages/progress-view.js';
import type { MessageRole } from '../operations/journal-record.js';
import type { OperationEvent } from '../operations/operation-record.js';
import { renderBlocks } from './render-blocks.js';
import type { SlackPoster } from './slack-poster.js';
import { ThrottledMessage } from './throttled-message.js';

interface Progress {
  state: ProgressState;
  message: ThrottledMessage | undefined;
  posting: Promise<void>;
  final: boolean;
}

/**
 * Keeps each operation's Slack messages current: the approval request is edited when decided or
 * expired (buttons gone), and one progress message per operation is posted when it starts and
 * edited in place — coalesced to one edit per second, the final state always delivered.
 */
export class OperationMessages {
  private readonly approvals = new Map<string, { channel: string; ts: string }>();
  private readonly progress = new Map<string, Progress>();
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    private readonly poster: SlackPoster,
    private readonly progressPoster: SlackPoster,
    private readonly logger: Logger,
    private readonly editIntervalMs = 1000,
    private readonly now: () => number = Date.now,
    /** Told where each message went, so it is in the journal for the next run (see recovery). */
    private readonly onPosted: (opId: string, role: MessageRole, channel: string, ts: string) => void = () => undefined,
  ) {}

  /** Called by the command listener once the approval request is posted. */
  rememberApproval(opId: string, channel: string, ts: string): void {
    this.approvals.set(opId, { channel, ts });
    this.onPosted(opId, 'approval', channel, ts);
  }

  handle(event: OperationEvent): void {
    const { op } = event;
    switch (event.type) {
      case 'approved':
      case 'rejected':
        this.editApproval(op.id, renderApprovalDecided(op, event.type, event.by));
        return;
      case 'expired':
        this.editApproval(op.id, renderApprovalExpired(op));
        return;
      case 'reapproval-needed': {
        // A new request, in the channel of the first: the old one already says it was approved.
        if (!op.channel) return;
        const channel = op.channel;
        this.track(
          this.poster
            .post(channel, renderBlocks(renderApprovalRequest(op, event.plan, event.changes)))
            .then((ts) => this.rememberApproval(op.id, channel, ts))
            .catch((error: unknown) => this.logger.error('could not post a new approval request', { opId: op.id, error: errorText(error) })),
        );
        return;
      }
      case 'started': {
        if (!op.channel) return;
        const channel = op.channel;
        const entry: Progress = { state: startProgress(op, event.plan), message: undefined, posting: Promise.resolve(), final: false };
        this.progress.set(op.id, entry);
        entry.posting = this.poster
          .post(channel, renderBlocks(renderProgress(entry.state, this.now())))
          .then((ts) => {
            this.onPosted(op.id, 'progress', channel, ts);
            entry.message = new ThrottledMessage(this.progressPoster, channel, ts, this.logger, this.editIntervalMs, this.now);
            this.push(op.id, entry);
          })
          .catch((error: unknown) => {
            this.logger.error('could not post a progress message', { opId: op.id, error: errorText(error) });
          });
        this.track(entry.posting);
        return;
      }
      case 'progress': {
        const entry = this.progress.get(op.id);
        if (event.event.type === 'finished' && this.approvals.has(op.id)) {
          // Ended while its request still had buttons (cancelled, or dropped by a stop).
          const outcome = event.event.outcome;
          const reason = outcome.kind === 'cancelled' ? `cancelled by ${outcome.by} ${outcome.where}` : outcome.kind === 'interrupted' ? outcome.reason : outcome.kind;
          this.editApproval(op.id, renderApprovalWithdrawn(op, reason));
        }
        if (!entry) return;
        entry.state = reduceProgress(entry.state, event.event);
        if (event.event.type === 'finished') entry.final = true;
        this.push(op.id, entry);
        return;
      }
      default:
        return;
    }
  }

  /** Waits until every pending post and final edit is on Slack (for a graceful shutdown, and tests). */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private push(opId: string, entry: Progress): void {
    if (!entry.message) return; // posted soon; the post's callback pushes the latest state
    entry.message.set(renderBlocks(renderProgress(entry.state, this.now())), entry.final);
    if (entry.final) {
      this.track(entry.message.delivered());
      this.progress.delete(opId);
    }
  }

  private editApproval(opId: string, message: Message): void {
    const target = this.approvals.get(opId);
    if (!target) return;
    this.approvals.delete(opId);
    this.track(
      this.poster
        .update(target.channel, target.ts, renderBlocks(message))
        .catch((error: unknown) => this.logger.error('could not update an approval message', { opId, error: errorText(error) })),
    );
  }

  private track(work: Promise<unknown>): void {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
