import { describeOperation } from '../lifecycle/operation-kind.js';
import type { QueueView } from '../operations/operation-service.js';
import type { OperationRecord } from '../operations/operation-record.js';
import { formatTimestamp } from './labels.js';
import { context, header, people, text, user, type Block, type Message } from './message.js';

/** Running first, then the queue in order, then what still waits for a decision. */
export function renderQueue(cluster: string, queue: QueueView): Message {
  const title = `Operations on cluster ${cluster}`;
  const rows = [
    ...(queue.running ? [row(queue.running, runningState(queue.running))] : []),
    ...queue.pending.map((op, i) => row(op, `queued, position ${i + 1 + (queue.running ? 1 : 0)}`)),
    ...queue.awaitingApproval.map((op) =>
      row(op, op.status.kind === 'awaiting-approval' ? `waiting for approval until ${formatTimestamp(op.status.expiresAt)}` : 'waiting for approval'),
    ),
  ];
  if (rows.length === 0) {
    return { title: `${title}: none`, blocks: [header(title), text(`Nothing is running or waiting on cluster ${cluster}.`)] };
  }
  return {
    title: `${title}: ${queue.running ? `${queue.running.id} running` : 'none running'}, ${queue.pending.length} queued, ${queue.awaitingApproval.length} awaiting approval`,
    blocks: [header(title), ...rows, context('Cancel one with /exa cancel ID; a running operation stops at its next safe point.')],
  };
}

/** One line per operation, the requester (and approver) as people: a table cell cannot hold a mention. */
function row(op: OperationRecord, state: string): Block {
  return people([
    `${op.id}: ${describeOperation(op.operation)}, ${state}; requested by `,
    user(op.requestedBy),
    ...(op.approvedBy === undefined ? [] : [', approved by ', user(op.approvedBy)]),
  ]);
}

function runningState(op: OperationRecord): string {
  if (op.status.kind !== 'running' || op.status.stepId === undefined) return 'running, starting';
  const total = op.plan ? ` of ${op.plan.steps.length}` : '';
  return `running step ${op.status.stepId}${total}: ${op.status.stepTitle ?? ''}`;
}
