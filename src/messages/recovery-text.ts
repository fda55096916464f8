import { describeOperation } from '../lifecycle/operation-kind.js';
import type { UnfinishedOperation } from '../operations/recovery.js';

/** What the channel and the log are told about an operation a restart cut off. */
export function describeRecovery(op: UnfinishedOperation): string {
  const what = `Operation ${op.opId} (${describeOperation(op.operation)} on ${op.cluster}, requested by ${op.requestedBy})`;
  if (op.phase === 'pending') {
    const waiting = op.approvedBy === undefined ? 'it was waiting for approval' : `it was approved by ${op.approvedBy} and waiting for its turn`;
    return `${what} had not started when the bot restarted (${waiting}). It was dropped and not run: request it again if it is still needed.`;
  }
  return `${what} was interrupted by a restart ${where(op)}. It was not resumed: check the cluster with /exa status and request it again if needed.`;
}

function where(op: UnfinishedOperation): string {
  const last = op.lastStep;
  if (last === undefined) return 'after it started, before its first step';
  const index = op.steps.findIndex((s) => s.id === last.id);
  const name = `step ${index >= 0 ? `${index + 1} ` : ''}'${last.title}'`;
  switch (last.outcome) {
    case 'started':
      return `during ${name} (started, not finished)`;
    case 'failed':
      return `after ${name} failed, before the operation was closed`;
    case 'done':
    case 'skipped': {
      const next = index >= 0 ? op.steps[index + 1] : undefined;
      const before = next === undefined ? 'before the operation was closed' : `before step ${index + 2} '${next.title}'`;
      return `after ${name} was ${last.outcome === 'done' ? 'done' : 'skipped'}, ${before}`;
    }
  }
}

