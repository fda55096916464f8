// The one progress tracker both renderers use (issue 16, item 8): the console printer and the
// Slack messages see the same state for the same events, and a finished operation is forgotten.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProgressTracker } from '../../src/messages/progress-tracker.js';
import type { OperationEvent, OperationRecord } from '../../src/operations/operation-record.js';
import { cleanShutdownPlan } from './example-views.js';

const op = { id: 'op-1', cluster: 'c1', operation: { kind: 'cluster-shutdown' }, requestedBy: 'U0OP', approvedBy: 'U0APP', channel: 'C0OPS', reason: undefined } as unknown as OperationRecord;
const step = cleanShutdownPlan.steps[0]!;

describe('ProgressTracker', () => {
  it('follows preparing, start, steps and the end, then forgets the operation', () => {
    const tracker = new ProgressTracker(() => 1000);
    const preparing = tracker.apply({ type: 'preparing', op, waitingFor: 'Wait for EXAoperation' });
    assert.deepEqual(preparing?.state.steps.map((s) => [s.title, s.state]), [['Wait for EXAoperation', 'running']]);
    const started = tracker.apply({ type: 'started', op, plan: cleanShutdownPlan });
    assert.equal(started?.state.steps.length, cleanShutdownPlan.steps.length);
    const running = tracker.apply({ type: 'progress', op, event: { type: 'step-started', step, at: 1100 } });
    assert.equal(running?.state.steps[0]?.state, 'running');
    const finished = tracker.apply({ type: 'progress', op, event: { type: 'finished', outcome: { kind: 'succeeded', warnings: 0 }, snapshot: undefined, at: 1200 } } as OperationEvent);
    assert.equal(finished?.ended, true);
    // Forgotten: a later event starts from nothing, as an operation that ended before its start does.
    const again = tracker.apply({ type: 'progress', op, event: { type: 'step-started', step, at: 1300 } });
    assert.equal(again?.state.steps.length, 1, 'a fresh state, not the plan of the finished one');
  });

  it('a plan that went back to approval ends what was shown, its running step skipped; events of decisions change nothing', () => {
    const tracker = new ProgressTracker();
    assert.equal(tracker.apply({ type: 'approved', op, by: 'U0APP' }), undefined);
    assert.equal(tracker.apply({ type: 'reapproval-needed', op, plan: cleanShutdownPlan, changes: [] }), undefined, 'nothing shown, nothing to end');
    tracker.apply({ type: 'preparing', op, waitingFor: 'Wait for EXAoperation' });
    const back = tracker.apply({ type: 'reapproval-needed', op, plan: cleanShutdownPlan, changes: [] });
    assert.equal(back?.ended, true);
    assert.equal(back?.state.steps[0]?.state, 'skipped');
    assert.match(back?.state.notes.at(-1) ?? '', /waits for a new approval/);
  });
});
