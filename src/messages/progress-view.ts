import type { OperationOutcome } from '../lifecycle/progress.js';
import { formatDuration } from '../lifecycle/wait-until.js';
import { capitalise, formatTimestamp, operationTitle } from './labels.js';
import { context, header, people, peopleContext, text, user, withPeople, type Block, type Inline, type Message } from './message.js';
import { bootLine, bootSummary, currentStep, stepElapsed, type ProgressState } from './progress-state.js';
import { statusBlocks } from './status-view.js';

/**
 * One operation's progress: the checklist while it runs; the outcome and the end state once it
 * ended. In Slack (`endState: 'thread'`) the end state's tables go into the message's thread, with
 * the audit summary (thread-summary-view.ts), so the channel keeps one short message per operation.
 */
export function renderProgress(state: ProgressState, now: number, endState: 'inline' | 'thread' = 'inline'): Message {
  const what = operationTitle(state.operation, state.cluster);
  const boots = state.boots.length === 0 ? [] : [text([...state.boots.map(bootLine), bootSummary(state.boots)].join('\n'))];
  const notes = state.notes.length === 0 ? [] : [text(state.notes.join('\n'))];
  return {
    title: `${state.opId} ${what}: ${headline(state)}`,
    blocks: [
      header(`${state.opId}: ${capitalise(what)}`),
      ...(state.override ? [text(`BREAK-GLASS: ${state.opId} overrides a freeze window or a hold on ${state.cluster}.`, 'danger')] : []),
      peopleContext([
        'Requested by ',
        user(state.requestedBy),
        ...(state.schedule ? [` (schedule ${state.schedule})`] : []),
        ...(state.approvers ? [' · Approved by ', ...state.approvers.flatMap((id, i): Inline[] => [...(i === 0 ? [] : [', ']), user(id)])] : state.approvedBy ? [' · Approved by ', user(state.approvedBy)] : []),
        ...(state.reason ? [` · Reason: ${state.reason}`] : []),
      ]),
      // An operation that ended before its plan existed has no steps to list.
      ...(state.steps.length === 0 ? [] : [checklist(state, now)]),
      ...boots,
      ...notes,
      ...(state.outcome ? [outcomeBlock(state.outcome, state)] : []),
      ...(endState === 'inline' ? endStateBlocks(state) : endStatePointer(state)),
      // While it runs or waits its turn: whoever may cancel it can, from here (the click is checked).
      ...(state.outcome ? [] : [cancelButton(state, what)]),
    ],
  };
}

function cancelButton(state: ProgressState, what: string): Block {
  return {
    kind: 'actions',
    buttons: [
      {
        actionId: 'cancel',
        value: state.opId,
        label: 'Cancel',
        style: 'danger',
        confirm: {
          title: `Cancel ${state.opId}?`,
          text: `The ${what} stops at its next safe point: a step under way finishes first, nothing after it runs.`,
          confirm: 'Cancel it',
          deny: 'Keep running',
        },
      },
    ],
  };
}

function checklist(state: ProgressState, now: number): Block {
  return {
    kind: 'checklist',
    items: state.steps.map((step) => {
      const elapsed = stepElapsed(step, now);
      return {
        state: step.state,
        text: `${step.id}. ${step.title}`,
        ...(elapsed === undefined ? {} : { elapsed }),
        ...(step.note === undefined ? {} : { note: step.note }),
      };
    }),
  };
}

function headline(state: ProgressState): string {
  if (state.outcome) return state.outcome.kind;
  const step = currentStep(state);
  return step ? `running step ${step.id} of ${state.steps.length}` : 'starting';
}

function outcomeBlock(outcome: OperationOutcome, state: ProgressState): Block {
  const took = state.startedAt !== undefined && state.finishedAt !== undefined ? ` in ${formatDuration(state.finishedAt - state.startedAt)}` : '';
  const at = (stepId: string | undefined): string => (stepId ? ` at step ${stepId}` : ' before the first step');
  switch (outcome.kind) {
    case 'succeeded':
      return outcome.warnings === 0
        ? text(`Succeeded${took}.`, 'success')
        : text(`Succeeded${took} with ${outcome.warnings} warning(s): see the steps marked as warnings.`, 'warning');
    case 'failed':
      return text(`Failed${at(outcome.stepId)}: ${sentence(outcome.reason)} Later steps were not run; check /exa status.`, 'danger');
    case 'refused':
      return text(`Refused before anything was done:\n${outcome.reasons.map((r) => `- ${r}`).join('\n')}`, 'danger');
    case 'cancelled':
      return people(withPeople(`Cancelled by ${outcome.by} ${outcome.where}. Later steps were not run; check /exa status.`, [outcome.by]), 'warning');
    case 'interrupted':
      return text(
        `Interrupted${at(outcome.stepId)}: ${outcome.reason}. It is not resumed; check /exa status and request it again if needed.`,
        'danger',
      );
  }
}

/** Where the end state is when it is in the thread (nothing while it runs). */
function endStatePointer(state: ProgressState): Block[] {
  if (!state.outcome) return [];
  return state.snapshot ? [context('The cluster state at the end and the audit summary are in the thread of this message.')] : endStateBlocks(state);
}

/** The end state: what the cluster looked like when the operation ended (or why it was not read). */
export function endStateBlocks(state: ProgressState): Block[] {
  if (!state.outcome) return [];
  if (!state.snapshot) {
    // Refused or cancelled before any step ran: nothing changed, so no end state was read.
    const ranNothing = state.steps.every((s) => s.state === 'pending');
    return [context(ranNothing ? 'Nothing was done, so the cluster state was not read again.' : 'The cluster state could not be read at the end.')];
  }
  const when = state.snapshotBeforeLicenseServer
    ? `Cluster state just before the ${state.snapshot.service === undefined ? 'license server was shut down' : 'hosts were powered off'} (${formatTimestamp(state.snapshot.takenAt)})`
    : `Cluster state at the end (${formatTimestamp(state.snapshot.takenAt)})`;
  return [text(when, 'strong'), ...statusBlocks(state.snapshot)];
}

function sentence(value: string): string {
  return /[.!?]$/.test(value) ? value : `${value}.`;
}
