import { renderApprovalExpired, renderApprovalRequest } from '../messages/approval-view.js';
import { operationTitle } from '../messages/labels.js';
import { stepElapsed, bootLine, type ProgressState } from '../messages/progress-state.js';
import { ProgressTracker } from '../messages/progress-tracker.js';
import { renderProgress } from '../messages/progress-view.js';
import type { OperationEvent } from '../operations/operation-record.js';
import { checklistLine, clean, renderText } from './render-text.js';
import { hostOutputLine } from '../messages/host-output-view.js';

/**
 * Turns service events into terminal output: one line when a step starts or finishes, a line per
 * booted node or step note, and the full progress report when the operation ends.
 * Approval requests and decisions are not printed here: the console prints them as the replies
 * to its own commands, and it is the only user.
 */
export function createProgressPrinter(write: (text: string) => void, now: () => number): (event: OperationEvent) => void {
  const tracker = new ProgressTracker(now);
  return (event) => {
    const { op } = event;
    const change = tracker.apply(event);
    switch (event.type) {
      case 'started':
        write(`▶ ${op.id} started: ${operationTitle(op.operation, op.cluster)}, ${event.plan.steps.length} steps\n`);
        return;
      case 'cancel-requested':
        write(`■ ${op.id}: cancel requested by ${clean(event.by, false)}; it stops at the next safe point\n`);
        return;
      case 'expired':
        write(renderText(renderApprovalExpired(op)));
        return;
      case 'reapproval-needed':
        write(renderText(renderApprovalRequest(op, event.plan, event.changes)));
        return;
      case 'progress': {
        if (!change) return;
        const { state } = change;
        const progress = event.event;
        if (progress.type === 'finished') {
          write(`\n${renderText(renderProgress(state, now()))}`);
          return;
        }
        const line = liveLine(state, progress);
        if (line !== undefined) write(`${line}\n`);
        return;
      }
      case 'approval-added':
      case 'approval-needed':
      case 'approved':
      case 'rejected':
      case 'queued':
        return;
    }
  };
}

type Progress = Extract<OperationEvent, { type: 'progress' }>['event'];

function liveLine(state: ProgressState, event: Progress): string | undefined {
  switch (event.type) {
    case 'step-started':
    case 'step-finished': {
      const step = state.steps.find((s) => s.id === event.step.id);
      if (!step) return undefined;
      const elapsed = event.type === 'step-finished' ? stepElapsed(step, event.at) : undefined;
      const note = event.type === 'step-finished' ? step.note : undefined;
      return `  ${checklistLine({ state: step.state, text: `${step.id}. ${step.title}`, ...(elapsed ? { elapsed } : {}), ...(note ? { note } : {}) })}`;
    }
    case 'step-detail': {
      const detail = event.detail;
      if (detail.kind === 'node-booted') {
        const boot = state.boots.find((b) => b.node === detail.node);
        return boot ? `      ${clean(bootLine(boot), false)}` : undefined;
      }
      if (detail.kind === 'note') return `      ${clean(detail.text, false)}`;
      if (detail.kind === 'host-output') {
        const lines = [hostOutputLine(detail), ...detail.output.trim().split('\n').filter((l) => l !== '').slice(-20).map((l) => `  | ${l}`)];
        return lines.map((l) => `      ${clean(l, false)}`).join('\n');
      }
      return undefined;
    }
    case 'final-report':
      return `  (cluster state recorded before the ${event.snapshot?.service === undefined ? 'license server goes' : 'hosts go'} down)`;
    case 'finished':
      return undefined;
  }
}
