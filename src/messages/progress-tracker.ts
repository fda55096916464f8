// The progress of every operation under way, kept once for every renderer: the Slack messages
// (features/progress-messages.ts) and the console printer read the same states from the same events, so
// what a step shows cannot differ between them.
import type { OperationEvent } from '../operations/operation-record.js';
import { reduceProgress, startProgress, type ProgressState } from './progress-state.js';

export interface ProgressChange {
  readonly state: ProgressState;
  /** The operation ended (or went back to approval): its state is forgotten after this. */
  readonly ended: boolean;
}

export class ProgressTracker {
  private readonly states = new Map<string, ProgressState>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Applies one event; the operation's progress after it, or undefined for an event that does not change it. */
  apply(event: OperationEvent): ProgressChange | undefined {
    const { op } = event;
    switch (event.type) {
      case 'preparing': {
        // A single running item, until the plan exists and replaces it.
        const wait = { id: '1', title: event.waitingFor, state: 'running' as const, startedAt: this.now(), durationMs: undefined, note: undefined };
        return this.keep(op.id, { ...startProgress(op, undefined), steps: [wait] });
      }
      case 'reattached': {
        // Another replica ran it until now: the steps the journal shows as finished are finished.
        const base = startProgress(op, event.plan);
        return this.keep(op.id, {
          ...base,
          steps: base.steps.map((step) => {
            const outcome = event.outcomes[step.id];
            return outcome === 'done' || outcome === 'skipped' ? { ...step, state: outcome } : step;
          }),
          notes: [event.note],
        });
      }
      case 'started':
        return this.keep(op.id, startProgress(op, event.plan));
      case 'reapproval-needed': {
        // What was shown (a start-up waiting for EXAoperation) ends: the plan goes back to approval.
        const shown = this.states.get(op.id);
        if (!shown) return undefined;
        this.states.delete(op.id);
        const state = {
          ...shown,
          steps: shown.steps.map((step) => (step.state === 'running' ? { ...step, state: 'skipped' as const } : step)),
          notes: [...shown.notes, 'The plan changed since it was approved: it waits for a new approval (see the new request).'],
        };
        return { state, ended: true };
      }
      case 'progress': {
        // An operation cancelled or interrupted before it started ends without a 'started' event.
        const state = reduceProgress(this.states.get(op.id) ?? startProgress(op, undefined), event.event);
        if (event.event.type !== 'finished') return this.keep(op.id, state);
        this.states.delete(op.id);
        return { state, ended: true };
      }
      default:
        return undefined;
    }
  }

  private keep(opId: string, state: ProgressState): ProgressChange {
    this.states.set(opId, state);
    return { state, ended: false };
  }
}
