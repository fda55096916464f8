import type { OperationOutcome } from '../lifecycle/progress.js';
import type { OperationKind } from '../lifecycle/operation-kind.js';
import { operationTitle } from './labels.js';
import { mention, type Message } from './message.js';

export interface NoticeSubject {
  readonly id: string;
  readonly cluster: string;
  readonly operation: OperationKind;
  readonly requestedBy: string;
}

/** Edits notify nobody: when an operation ends, the person who asked is told in a message of its own. */
export function renderOutcomeNotice(op: NoticeSubject, outcome: OperationOutcome): Message {
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
  return { title: line, blocks: [mention([op.requestedBy], line)] };
}
