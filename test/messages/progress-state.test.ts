import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Plan, Step } from '../../src/lifecycle/plan.js';
import type { ProgressEvent } from '../../src/lifecycle/progress.js';
import type { ClusterSnapshot } from '../../src/lifecycle/snapshot.js';
import {
  bootLine,
  bootSummary,
  currentStep,
  reduceProgress,
  startProgress,
  stepElapsed,
  type ProgressState,
} from '../../src/messages/progress-state.js';

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);
const step = (id: string, title: string, action: Step['action']): Step => ({ id, title, action, expect: { kind: 'act' } });
const nodes = ['n0011', 'n0012', 'n0013', 'n0014'];
const plan: Plan = {
  cluster: 'c1',
  operation: { kind: 'cluster-startup' },
  blockers: [],
  steps: [
    step('1', 'Power on nodes n0011, n0012, n0013, n0014', { kind: 'power-on-nodes', nodes }),
    step('2', 'Wait until 4 node(s) have booted', { kind: 'wait-nodes-booted', nodes }),
    step('3', 'Start EXAStorage', { kind: 'start-storage' }),
    step('4', 'Start database exa_db1', { kind: 'start-database', database: 'exa_db1' }),
  ],
};
const [s1, s2, s3, s4] = plan.steps as [Step, Step, Step, Step];
const op = { id: 'op-7', cluster: 'c1', operation: plan.operation, requestedBy: 'U1', approvedBy: undefined };
const snapshot: ClusterSnapshot = { takenAt: T0, master: 'n0010', services: [], storageOnline: true, nodes: [], databases: [] };

const fold = (events: ProgressEvent[], from: ProgressState = startProgress(op, plan)): ProgressState => events.reduce(reduceProgress, from);

describe('reduceProgress', () => {
  it('starts with every planned step pending', () => {
    const state = startProgress(op, plan);
    assert.deepEqual(state.steps.map((s) => s.state), ['pending', 'pending', 'pending', 'pending']);
    assert.equal(currentStep(state), undefined);
  });

  it('tracks each step: running with a live elapsed time, then its result and duration', () => {
    const running = fold([{ type: 'step-started', step: s1, at: T0 }]);
    assert.equal(running.steps[0]?.state, 'running');
    assert.equal(currentStep(running)?.id, '1');
    assert.equal(stepElapsed(running.steps[0]!, T0 + 2_500), '2.5 s');

    const state = fold(
      [
        { type: 'step-finished', step: s1, result: { kind: 'done' }, durationMs: 40, at: T0 + 40 },
        { type: 'step-finished', step: s2, result: { kind: 'done', note: 'all booted' }, durationMs: 141_000, at: T0 + 141_040 },
        { type: 'step-finished', step: s3, result: { kind: 'skipped', reason: 'EXAStorage is already online' }, durationMs: 5, at: T0 + 141_045 },
        { type: 'step-finished', step: s4, result: { kind: 'failed', reason: 'boom', code: 'EXA_FAULT' }, durationMs: 1_000, at: T0 + 142_045 },
      ],
      running,
    );
    assert.deepEqual(
      state.steps.map((s) => [s.state, s.note, stepElapsed(s, T0 + 999_999)]),
      [
        ['done', undefined, '<0.1 s'],
        ['done', 'all booted', '2 min 21 s'],
        ['skipped', 'EXAStorage is already online', '<0.1 s'],
        ['failed', 'boom', '1 s'],
      ],
    );
    assert.equal(state.startedAt, T0);
  });

  it('marks a step done with a warning as a warning', () => {
    const state = fold([{ type: 'step-finished', step: s3, result: { kind: 'done', warning: true, note: 'status 1' }, durationMs: 5, at: T0 }]);
    assert.equal(state.steps[2]?.state, 'warning');
  });

  it('keeps a step the plan did not list instead of dropping it', () => {
    const extra = step('9', 'Something new', { kind: 'check-master' });
    const state = fold([{ type: 'step-started', step: extra, at: T0 }]);
    assert.deepEqual(state.steps.map((s) => s.id), ['1', '2', '3', '4', '9']);
  });

  it('does not change the state it was given', () => {
    const before = startProgress(op, plan);
    const copy = structuredClone(before);
    reduceProgress(before, { type: 'step-started', step: s1, at: T0 });
    assert.deepEqual(before, copy);
  });
});

describe('node boot lines', () => {
  const detail = (d: Extract<ProgressEvent, { type: 'step-detail' }>['detail']): ProgressEvent => ({ type: 'step-detail', step: s2, detail: d, at: T0 });

  it('pairs power-on with the boot message and sums up with the slowest node', () => {
    const state = fold([
      ...nodes.map((node) => detail({ kind: 'node-powered-on', node })),
      detail({ kind: 'node-booted', node: 'n0011', seconds: 121 }),
      detail({ kind: 'node-booted', node: 'n0013', seconds: 141 }),
    ]);
    assert.deepEqual(state.boots.map(bootLine), [
      'n0011 powered on → booted in 121 s',
      'n0012 powered on → booting',
      'n0013 powered on → booted in 141 s',
      'n0014 powered on → booting',
    ]);
    assert.equal(bootSummary(state.boots), '2/4 nodes booted, slowest n0013 in 141 s');

    const all = fold([detail({ kind: 'node-booted', node: 'n0012', seconds: 100 }), detail({ kind: 'node-booted', node: 'n0014', seconds: 130 })], state);
    assert.equal(bootSummary(all.boots), '4/4 nodes booted, slowest n0013 in 141 s');
  });

  it('reports a node that booted without our power-on, and nothing when no node booted', () => {
    const state = fold([detail({ kind: 'node-booted', node: 'n0012', seconds: 99 })]);
    assert.deepEqual(state.boots.map(bootLine), ['n0012 booted in 99 s']);
    assert.equal(bootSummary([]), undefined);
  });

  it('collects free-text notes in order', () => {
    const state = fold([detail({ kind: 'note', text: 'first' }), detail({ kind: 'note', text: 'second' })]);
    assert.deepEqual(state.notes, ['first', 'second']);
  });
});

describe('the end of an operation', () => {
  it('keeps the outcome, and the snapshot taken before the license server went down', () => {
    const state = fold([
      { type: 'final-report', snapshot, at: T0 + 1 },
      { type: 'finished', outcome: { kind: 'succeeded', warnings: 0 }, snapshot, at: T0 + 5_000 },
    ]);
    assert.deepEqual(state.outcome, { kind: 'succeeded', warnings: 0 });
    assert.equal(state.finishedAt, T0 + 5_000);
    assert.equal(state.snapshot, snapshot);
    assert.equal(state.snapshotBeforeLicenseServer, true);
  });

  it('prefers a snapshot read at the end', () => {
    const later = { ...snapshot, takenAt: T0 + 9 };
    const state = fold([
      { type: 'final-report', snapshot, at: T0 + 1 },
      { type: 'finished', outcome: { kind: 'succeeded', warnings: 0 }, snapshot: later, at: T0 + 9 },
    ]);
    assert.equal(state.snapshot, later);
    assert.equal(state.snapshotBeforeLicenseServer, false);
  });

  it('keeps the earlier snapshot when the end state could not be read', () => {
    const state = fold([
      { type: 'final-report', snapshot, at: T0 + 1 },
      { type: 'finished', outcome: { kind: 'interrupted', stepId: '4', reason: 'x' }, snapshot: undefined, at: T0 + 9 },
    ]);
    assert.equal(state.snapshot, snapshot);
  });
});
