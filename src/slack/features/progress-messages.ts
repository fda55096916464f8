import type { OperationOutcome } from '../../lifecycle/progress.js';
import type { Logger } from '../../logging/logger.js';
import { renderApprovalDecided, renderApprovalExpired, renderApprovalRequest, renderApprovalWithdrawn, withDeciders, type Deciders } from '../../messages/approval-view.js';
import type { Message } from '../../messages/message.js';
import { startProgress, type ProgressState } from '../../messages/progress-state.js';
import { ProgressTracker } from '../../messages/progress-tracker.js';
import { renderHostOutput } from '../../messages/host-output-view.js';
import { renderOutcomeDm } from '../../messages/outcome-notice-view.js';
import { renderThreadSummary } from '../../messages/thread-summary-view.js';
import { renderTakeover } from '../../messages/recovery-view.js';
import { renderProgress } from '../../messages/progress-view.js';
import type { MessageRole } from '../../operations/journal-record.js';
import type { OperationEvent } from '../../operations/operation-record.js';
import { renderBlocks } from '../render-blocks.js';
import type { SlackPoster } from '../slack-poster.js';
import { ThrottledMessage } from '../throttled-message.js';

interface Progress {
  state: ProgressState;
  message: ThrottledMessage | undefined;
  posting: Promise<void>;
  final: boolean;
  /** Where the progress message went, once posted: the end notice goes into its thread. */
  ts: string | undefined;
}

/**
 * Keeps each operation's Slack messages current: the approval request is edited when decided or
 * expired (buttons gone), and one progress message per operation is posted when it starts and
 * edited in place — coalesced to one edit per second, the final state always delivered.
 */
export class OperationMessages {
  private readonly approvals = new Map<string, { channel: string; ts: string }>();
  /**
   * An approved request's message, once its decision edit is done: the operation's progress is
   * shown in it (one message per operation in the channel), and its thread holds the details.
   */
  private readonly parents = new Map<string, { channel: string; ts: string; edited: Promise<number | undefined> }>();
  private readonly progress = new Map<string, Progress>();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly tracker: ProgressTracker;

  constructor(
    private readonly poster: SlackPoster,
    private readonly progressPoster: SlackPoster,
    private readonly logger: Logger,
    private readonly editIntervalMs = 1000,
    private readonly now: () => number = Date.now,
    /** Told where each message went, so it is in the journal for the next run (see recovery). */
    private readonly onPosted: (opId: string, role: MessageRole, channel: string, ts: string) => void = () => undefined,
    /** Who may decide on a cluster's requests in a channel, mentioned in a new approval request. */
    private readonly deciders: (cluster: string, channel: string) => Deciders = () => ({ users: [], groups: [] }),
    /** EXA_NOTIFY_REQUESTER_DM: the outcome also goes to the requester as a direct message. */
    private readonly dmRequester = false,
  ) {
    this.tracker = new ProgressTracker(now);
  }

  /** An approval request another replica posted (after a takeover): decisions edit it from now on. */
  adoptApproval(opId: string, channel: string, ts: string): void {
    this.approvals.set(opId, { channel, ts });
  }

  /** Called by the command listener once the approval request is posted. */
  rememberApproval(opId: string, channel: string, ts: string): void {
    this.approvals.set(opId, { channel, ts });
    this.onPosted(opId, 'approval', channel, ts);
  }

  handle(event: OperationEvent): void {
    const { op } = event;
    // The state to show comes from the tracker; this class only keeps the messages that show it.
    const change = this.tracker.apply(event);
    switch (event.type) {
      case 'approved': {
        const target = this.approvals.get(op.id);
        const edited = this.editApproval(op.id, renderApprovalDecided(op, event.type, event.by));
        if (target) this.parents.set(op.id, { ...target, edited });
        return;
      }
      case 'rejected':
        void this.editApproval(op.id, renderApprovalDecided(op, event.type, event.by));
        return;
      case 'approval-added': {
        // One of several approvals: the request stays open, showing who approved so far.
        const channel = this.approvals.get(op.id)?.channel;
        if (op.plan && channel) void this.editApproval(op.id, withDeciders(renderApprovalRequest(op, op.plan), this.deciders(op.cluster, channel), op.requestedBy), true);
        return;
      }
      case 'expired':
        void this.editApproval(op.id, renderApprovalExpired(op));
        return;
      case 'reapproval-needed': {
        // A start-up's progress message, posted while it waited for EXAoperation, ends here: the
        // operation goes back to approval, and a later start posts a message of its own.
        const shown = this.progress.get(op.id);
        if (shown && change) {
          shown.state = change.state;
          shown.final = true;
          this.push(op.id, shown);
        }
        // A new request, in the channel of the first: the old one already says it was approved.
        if (!op.channel) return;
        const channel = op.channel;
        this.track(
          this.poster
            .post(channel, renderBlocks(withDeciders(renderApprovalRequest(op, event.plan, event.changes), this.deciders(op.cluster, channel), op.requestedBy)))
            .then((ts) => this.rememberApproval(op.id, channel, ts))
            .catch((error: unknown) => this.logger.error('could not post a new approval request', { opId: op.id, error: errorText(error) })),
        );
        return;
      }
      case 'preparing':
        if (change) this.open(op, change.state);
        return;
      case 'reattached': {
        // The replica that died posted the progress message: this one goes on editing it, with
        // the steps the journal shows as finished, and says in its thread what happened.
        const state = change?.state ?? startProgress(op, event.plan);
        const at = event.progressMessage;
        const entry = at ? this.adopt(op.id, at.channel, at.ts, state) : this.open(op, state);
        if (entry) this.replyInThread(op, entry, renderTakeover(event.note));
        return;
      }
      case 'started': {
        const entry = this.progress.get(op.id);
        const state = change?.state ?? startProgress(op, event.plan);
        if (entry) {
          entry.state = state;
          this.push(op.id, entry);
        } else this.open(op, state);
        return;
      }
      case 'progress': {
        if (event.event.type === 'finished' && this.approvals.has(op.id)) {
          // Ended while its request still had buttons (cancelled, or dropped by a stop).
          const outcome = event.event.outcome;
          const reason = outcome.kind === 'cancelled' ? `cancelled by ${outcome.by} ${outcome.where}` : outcome.kind === 'interrupted' ? outcome.reason : outcome.kind;
          void this.editApproval(op.id, renderApprovalWithdrawn(op, reason));
        }
        let entry = this.progress.get(op.id);
        if (!entry && event.event.type === 'finished' && (!this.withdrawn(event.event.outcome) || this.parents.has(op.id))) {
          // Ended before it started (EXAoperation unreachable past its deadline, a 401, a TLS
          // failure, cancelled while queued): without this, Slack would still say "queued" for ever.
          entry = this.open(op, startProgress(op, undefined));
        }
        if (!entry) return;
        if (event.event.type === 'step-detail' && event.event.detail.kind === 'host-output') this.replyInThread(op, entry, renderHostOutput(op.id, event.event.detail));
        if (change) entry.state = change.state;
        if (event.event.type === 'finished') {
          entry.final = true;
          this.notifyRequester(op, event.event.outcome, entry);
        }
        this.push(op.id, entry);
        return;
      }
      default:
        return;
    }
  }

  /**
   * Shows the progress of an operation: in its approved request's message when it has one (after
   * the decision edit, so that edit cannot land over a progress state), else in a new message.
   * Later states are pushed once it is there.
   */
  private open(op: OperationEvent['op'], state: ProgressState): Progress | undefined {
    if (!op.channel) return undefined;
    const channel = op.channel;
    const entry: Progress = { state, message: undefined, posting: Promise.resolve(), final: false, ts: undefined };
    this.progress.set(op.id, entry);
    const parent = this.parents.get(op.id);
    this.parents.delete(op.id);
    if (parent) {
      entry.posting = parent.edited.then(async (editedAt) => {
        // A request message that could not be edited (deleted, say) is no place for the progress.
        if (editedAt === undefined) return this.post(op.id, channel, entry);
        entry.ts = parent.ts;
        this.onPosted(op.id, 'progress', parent.channel, parent.ts);
        // The request's message turns into the progress, one edit interval after its decision edit
        // (Slack: about one edit per message per second), at once when that was longer ago.
        entry.message = new ThrottledMessage(this.progressPoster, parent.channel, parent.ts, this.logger, this.editIntervalMs, this.now, editedAt);
        this.push(op.id, entry);
      });
      this.track(entry.posting);
      return entry;
    }
    entry.posting = this.post(op.id, channel, entry);
    this.track(entry.posting);
    return entry;
  }

  /** Posts `entry` as a new message; its later states are pushed once it is there. */
  private post(opId: string, channel: string, entry: Progress): Promise<void> {
    return this.poster
      .post(channel, renderBlocks(renderProgress(entry.state, this.now(), 'thread')))
      .then((ts) => {
        entry.ts = ts;
        this.onPosted(opId, 'progress', channel, ts);
        entry.message = new ThrottledMessage(this.progressPoster, channel, ts, this.logger, this.editIntervalMs, this.now);
        this.push(opId, entry);
      })
      .catch((error: unknown) => {
        this.logger.error('could not post a progress message', { opId, error: errorText(error) });
      });
  }

  /** Takes over a progress message another replica posted (after a takeover): edited from now on. */
  private adopt(opId: string, channel: string, ts: string, state: ProgressState): Progress {
    const entry: Progress = { state, message: new ThrottledMessage(this.progressPoster, channel, ts, this.logger, this.editIntervalMs, this.now), posting: Promise.resolve(), final: false, ts };
    this.progress.set(opId, entry);
    this.push(opId, entry);
    return entry;
  }

  /** A request withdrawn while it waited for approval already says so on its own message. */
  private withdrawn(outcome: { kind: string }): boolean {
    return outcome.kind === 'cancelled' || outcome.kind === 'interrupted';
  }

  /**
   * Once the operation ends, its thread gets the summary: the person who asked mentioned with the
   * outcome, the audit facts, and the cluster state at the end.
   */
  private notifyRequester(op: OperationEvent['op'], outcome: OperationOutcome, entry: Progress): void {
    if (!op.channel) return;
    const channel = op.channel;
    const state = entry.state;
    this.track(
      entry.posting
        .then(() => this.poster.post(channel, renderBlocks(renderThreadSummary(op, outcome, state)), entry.ts))
        .catch((error: unknown) => this.logger.error('could not tell the requester how the operation ended', { opId: op.id, error: errorText(error) })),
    );
    // A user id as the channel: Slack posts it in the app's direct messages with that user.
    if (this.dmRequester) {
      this.track(
        this.poster
          .post(op.requestedBy, renderBlocks(renderOutcomeDm(op, outcome)))
          .catch((error: unknown) => this.logger.warn('could not send the requester a direct message with the outcome', { opId: op.id, error: errorText(error) })),
      );
    }
  }

  /** A detail too long for the progress message (a host action's output) goes into its thread. */
  private replyInThread(op: OperationEvent['op'], entry: Progress, message: Message): void {
    if (!op.channel) return;
    const channel = op.channel;
    this.track(
      entry.posting
        .then(() => this.poster.post(channel, renderBlocks(message), entry.ts))
        .catch((error: unknown) => this.logger.error('could not post a detail in the operation thread', { opId: op.id, error: errorText(error) })),
    );
  }

  /** Waits until every pending post and final edit is on Slack (for a graceful shutdown, and tests). */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private push(opId: string, entry: Progress): void {
    if (!entry.message) return; // posted soon; the post's callback pushes the latest state
    entry.message.set(renderBlocks(renderProgress(entry.state, this.now(), 'thread')), entry.final);
    if (entry.final) {
      this.track(entry.message.delivered());
      this.progress.delete(opId);
    }
  }

  /** Resolves with when the edit was made, or undefined when it was not (a failure is logged): never rejects. */
  /** `open`: the request still waits (one approval of several), so later decisions edit it again. */
  private editApproval(opId: string, message: Message, open = false): Promise<number | undefined> {
    const target = this.approvals.get(opId);
    if (!target) return Promise.resolve(undefined);
    if (!open) this.approvals.delete(opId);
    const edited = this.poster
      .update(target.channel, target.ts, renderBlocks(message))
      .then(() => this.now())
      .catch((error: unknown) => {
        this.logger.error('could not update an approval message', { opId, error: errorText(error) });
        return undefined;
      });
    this.track(edited);
    return edited;
  }

  private track(work: Promise<unknown>): void {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
