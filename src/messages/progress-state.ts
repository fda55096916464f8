import type { OperationKind } from '../lifecycle/operation-kind.js';
import type { Plan, Step } from '../lifecycle/plan.js';
import type { OperationOutcome, ProgressEvent, StepResult } from '../lifecycle/progress.js';
import type { ClusterSnapshot } from '../lifecycle/snapshot.js';
import type { StepDetail } from '../lifecycle/steps/step-context.js';
import { formatElapsed } from './labels.js';
import type { ChecklistState } from './message.js';
import { hostOutputLine } from './host-output-view.js';

export interface StepProgress {
  readonly id: string;
  readonly title: string;
  readonly state: ChecklistState;
  readonly startedAt: number | undefined;
  /** Set when the step finished; a running step's elapsed time is computed against `now`. */
  readonly durationMs: number | undefined;
  readonly note: string | undefined;
}

export interface NodeBoot {
  readonly node: string;
  readonly poweredOn: boolean;
  /** Boot time as the node's own log message reports it. */
  readonly seconds: number | undefined;
}

export interface ProgressState {
  readonly opId: string;
  readonly cluster: string;
  readonly operation: OperationKind;
  readonly requestedBy: string;
  readonly approvedBy: string | undefined;
  /** Why, as the requester said; shown under who asked. */
  readonly reason: string | undefined;
  /** Everyone whose approval counted, when several did (M-of-N). */
  readonly approvers?: readonly string[];
  /** Break-glass: it overrides a freeze or a hold, and says so as long as it is shown. */
  readonly override?: true;
  /** The schedule that requested it. */
  readonly schedule?: string;
  readonly startedAt: number | undefined;
  readonly steps: readonly StepProgress[];
  readonly boots: readonly NodeBoot[];
  /** Free-text news from steps, in order. */
  readonly notes: readonly string[];
  readonly outcome: OperationOutcome | undefined;
  readonly finishedAt: number | undefined;
  /** The last state read: at the end, or just before the license server went down. */
  readonly snapshot: ClusterSnapshot | undefined;
  /** The snapshot was read just before the license server went down, not after the end. */
  readonly snapshotBeforeLicenseServer: boolean;
}

export interface ProgressSubject {
  readonly id: string;
  readonly cluster: string;
  readonly operation: OperationKind;
  readonly requestedBy: string;
  readonly approvedBy: string | undefined;
  readonly reason?: string | undefined;
  readonly approvals?: readonly { readonly by: string }[] | undefined;
  readonly override?: true | undefined;
  readonly schedule?: { readonly id: string } | undefined;
}

/** Every step pending: the plan the runner executes, before its first event. */
export function startProgress(op: ProgressSubject, plan: Plan | undefined): ProgressState {
  return {
    opId: op.id,
    cluster: op.cluster,
    operation: op.operation,
    requestedBy: op.requestedBy,
    approvedBy: op.approvedBy,
    reason: op.reason,
    ...(op.approvals && op.approvals.length > 1 ? { approvers: op.approvals.map((a) => a.by) } : {}),
    ...(op.override ? { override: true as const } : {}),
    ...(op.schedule ? { schedule: op.schedule.id } : {}),
    startedAt: undefined,
    steps: (plan?.steps ?? []).map((s) => pendingStep(s)),
    boots: [],
    notes: [],
    outcome: undefined,
    finishedAt: undefined,
    snapshot: undefined,
    snapshotBeforeLicenseServer: false,
  };
}

/** Pure: the same events always give the same state, so Slack and the console show the same. */
export function reduceProgress(state: ProgressState, event: ProgressEvent): ProgressState {
  const startedAt = state.startedAt ?? event.at;
  switch (event.type) {
    case 'step-started':
      return { ...state, startedAt, steps: updateStep(state.steps, event.step, (s) => ({ ...s, state: 'running', startedAt: event.at })) };
    case 'step-finished':
      return {
        ...state,
        startedAt,
        steps: updateStep(state.steps, event.step, (s) => ({ ...s, ...finishedStep(event.result), durationMs: event.durationMs })),
      };
    case 'step-detail':
      return applyDetail({ ...state, startedAt }, event.detail);
    case 'final-report':
      return { ...state, startedAt, snapshot: event.snapshot, snapshotBeforeLicenseServer: event.snapshot !== undefined };
    case 'finished': {
      // A step still shown as running (the start-up's wait for EXAoperation, before its plan
      // existed) ended with the operation.
      const ended = state.steps.map((s) => (s.state === 'running' ? { ...s, state: event.outcome.kind === 'succeeded' ? ('done' as const) : ('failed' as const) } : s));
      return event.snapshot === undefined
        ? { ...state, steps: ended, startedAt, outcome: event.outcome, finishedAt: event.at }
        : {
            ...state,
            steps: ended,
            startedAt,
            outcome: event.outcome,
            finishedAt: event.at,
            snapshot: event.snapshot,
            // The runner repeats the final report's snapshot when EXAoperation is gone by the end.
            snapshotBeforeLicenseServer: state.snapshotBeforeLicenseServer && event.snapshot === state.snapshot,
          };
    }
  }
}

function pendingStep(step: Step): StepProgress {
  return { id: step.id, title: step.title, state: 'pending', startedAt: undefined, durationMs: undefined, note: undefined };
}

/** Steps are matched by id; one the plan did not list (it should not happen) is appended, not lost. */
function updateStep(steps: readonly StepProgress[], step: Step, change: (s: StepProgress) => StepProgress): StepProgress[] {
  const index = steps.findIndex((s) => s.id === step.id);
  if (index < 0) return [...steps, change(pendingStep(step))];
  return steps.map((s, i) => (i === index ? change(s) : s));
}

function finishedStep(result: StepResult): Pick<StepProgress, 'state' | 'note'> {
  switch (result.kind) {
    case 'done':
      return { state: result.warning ? 'warning' : 'done', note: result.note };
    case 'skipped':
      return { state: 'skipped', note: result.reason };
    case 'failed':
      return { state: 'failed', note: result.reason };
  }
}

function applyDetail(state: ProgressState, detail: StepDetail): ProgressState {
  switch (detail.kind) {
    case 'node-powered-on':
      return { ...state, boots: updateBoot(state.boots, detail.node, (b) => ({ ...b, poweredOn: true })) };
    case 'node-booted':
      return { ...state, boots: updateBoot(state.boots, detail.node, (b) => ({ ...b, seconds: detail.seconds })) };
    case 'database-accepting':
      // The wait step's own note says the same when it finishes a moment later.
      return state;
    case 'note':
      return { ...state, notes: [...state.notes, detail.text] };
    case 'host-output':
      return { ...state, notes: [...state.notes, hostOutputLine(detail)] };
  }
}

function updateBoot(boots: readonly NodeBoot[], node: string, change: (b: NodeBoot) => NodeBoot): NodeBoot[] {
  const index = boots.findIndex((b) => b.node === node);
  if (index < 0) return [...boots, change({ node, poweredOn: false, seconds: undefined })];
  return boots.map((b, i) => (i === index ? change(b) : b));
}

/** "n0011 powered on → booted in 121 s" */
export function bootLine(boot: NodeBoot): string {
  const booted = boot.seconds === undefined ? 'booting' : `booted in ${boot.seconds} s`;
  return boot.poweredOn ? `${boot.node} powered on → ${booted}` : `${boot.node} ${booted}`;
}

/** "4/4 nodes booted, slowest n0013 in 141 s"; undefined when no node was started. */
export function bootSummary(boots: readonly NodeBoot[]): string | undefined {
  if (boots.length === 0) return undefined;
  const booted = boots.filter((b) => b.seconds !== undefined);
  const slowest = booted.reduce<NodeBoot | undefined>((max, b) => ((b.seconds ?? 0) > (max?.seconds ?? -1) ? b : max), undefined);
  const suffix = slowest ? `, slowest ${slowest.node} in ${slowest.seconds} s` : '';
  return `${booted.length}/${boots.length} nodes booted${suffix}`;
}

/** Finished steps show their duration; the running one how long it has run so far. */
export function stepElapsed(step: StepProgress, now: number): string | undefined {
  if (step.durationMs !== undefined) return formatElapsed(step.durationMs);
  if (step.state === 'running' && step.startedAt !== undefined) return formatElapsed(Math.max(0, now - step.startedAt));
  return undefined;
}

export function currentStep(state: ProgressState): StepProgress | undefined {
  return state.steps.find((s) => s.state === 'running');
}
