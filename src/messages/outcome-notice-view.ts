import type { OperationOutcome } from '../lifecycle/progress.js';
import type { OperationKind } from '../lifecycle/operation-kind.js';
import { operationTitle } from './labels.js';
import { channelRef, people, peopleContext, user, withPeople, type Message } from './message.js';

export interface NoticeSubject {
  readonly id: string;
  readonly cluster: string;
  readonly operation: OperationKind;
  readonly requestedBy: string;
}

/** Edits notify nobody: when an operation ends, the person who asked is told in a message of its own. */
export function renderOutcomeNotice(op: NoticeSubject, outcome: OperationOutcome): Message {
  const line = outcomeLine(op, outcome);
  // The requester first, so Slack notifies them; whoever cancelled is a person in the sentence too.
  return { title: line, blocks: [people([user(op.requestedBy), ' ', ...withPeople(line, cancelledBy(outcome))])] };
}

/** The same, as a direct message to the requester (EXA_NOTIFY_REQUESTER_DM), pointing to the channel. */
export function renderOutcomeDm(op: NoticeSubject & { readonly channel?: string | undefined }, outcome: OperationOutcome): Message {
  const line = outcomeLine(op, outcome);
  const where = op.channel === undefined ? [] : [peopleContext(['You requested it in ', channelRef(op.channel), '; its progress message there has every step in its thread.'])];
  return { title: line, blocks: [people(withPeople(line, cancelledBy(outcome))), ...where] };
}

function cancelledBy(outcome: OperationOutcome): string[] {
  return outcome.kind === 'cancelled' ? [outcome.by] : [];
}

function outcomeLine(op: NoticeSubject, outcome: OperationOutcome): string {
  const what = `${op.id} (${operationTitle(op.operation, op.cluster)})`;
  const line = ((): string => {
    switch (outcome.kind) {
      case 'succeeded':
        return outcome.warnings === 0 ? `${what} succeeded.` : `${what} succeeded with ${outcome.warnings} warning(s).`;
      case 'failed':
        return `${what} failed${outcome.stepId ? ` at step ${outcome.stepId}` : ' before its first step'}: ${outcome.reason}`;
      case 'refused':
        return `${what} was refused: ${outcome.reasons.join('; ')}`;
      case 'cancelled':
        return `${what} was cancelled by ${outcome.by} ${outcome.where}.`;
      case 'interrupted':
        return `${what} was interrupted: ${outcome.reason}. It is not resumed; request it again if needed.`;
    }
  })();
  return line;
}
