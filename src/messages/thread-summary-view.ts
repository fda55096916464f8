import type { OperationOutcome } from '../lifecycle/progress.js';
import { formatDuration } from '../lifecycle/wait-until.js';
import { formatTimestamp } from './labels.js';
import { peopleContext, user, type Inline, type Message } from './message.js';
import { renderOutcomeNotice, type NoticeSubject } from './outcome-notice-view.js';
import type { ProgressState } from './progress-state.js';
import { endStateBlocks } from './progress-view.js';

export interface SummarySubject extends NoticeSubject {
  readonly requestedAt: number;
}

/**
 * The last reply in an operation's thread: the requester mentioned with the outcome (an edit
 * notifies nobody), what the audit log holds of it (who asked and when, who approved, when it
 * ran), and the cluster state at the end — the tables the channel message leaves out.
 */
export function renderThreadSummary(op: SummarySubject, outcome: OperationOutcome, state: ProgressState): Message {
  const notice = renderOutcomeNotice(op, outcome);
  const anyStep = state.steps.some((step) => step.state !== 'pending');
  const ran =
    anyStep && state.startedAt !== undefined && state.finishedAt !== undefined
      ? [` · Ran ${formatTimestamp(state.startedAt)} – ${formatTimestamp(state.finishedAt)} (${formatDuration(state.finishedAt - state.startedAt)})`]
      : [' · No step ran'];
  const audit: Inline[] = [
    `Audit log: ${op.id} · Requested by `,
    user(op.requestedBy),
    ` at ${formatTimestamp(op.requestedAt)}`,
    ...(state.approvedBy ? [' · Approved by ', user(state.approvedBy)] : []),
    ...(state.reason ? [` · Reason: ${state.reason}`] : []),
    ...ran,
  ];
  return { title: notice.title, blocks: [...notice.blocks, peopleContext(audit), ...(state.snapshot ? endStateBlocks(state) : [])] };
}
