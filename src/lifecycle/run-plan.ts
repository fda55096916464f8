import type { ClusterBackend, StepRun } from '../backend/cluster-backend.js';
import { isAppError } from '../errors/app-error.js';
import type { Clock } from '../util/clock.js';
import type { Cancellation } from './cancellation.js';
import type { ClusterProfile } from './cluster-profile.js';
import { isSafeToInterrupt, type Plan, type Step } from './plan.js';
import type { OperationOutcome, ProgressEvent } from './progress.js';
import type { ClusterSnapshot } from './snapshot.js';
import { linkSignals } from '../util/linked-signal.js';
import { RetryStopped } from './steps/retry-step.js';

export interface RunPlanOptions {
  readonly opId: string;
  readonly plan: Plan;
  readonly backend: ClusterBackend;
  readonly profile: ClusterProfile;
  readonly clock: Clock;
  readonly cancellation: Cancellation;
  /** Aborted when the bot must stop now: even an action in flight is cut; recorded as interrupted. */
  readonly signal?: AbortSignal;
  /**
   * Aborted when the bot is asked to stop (SIGTERM): the operation ends at its next safe point —
   * between steps, or during a wait — and is recorded as interrupted.
   */
  readonly stopping?: AbortSignal;
  /** Awaited for every event, so a journal write happens before the next step starts. */
  readonly onEvent: (event: ProgressEvent) => void | Promise<void>;
}

/**
 * Runs a plan's steps in order, one at a time. Refuses a blocked plan without touching the
 * cluster; stops at the first failure; honours a cancel at the next safe point (between steps,
 * or during a wait, which changes nothing). Always ends with exactly one `finished` event.
 */
export async function runPlan(options: RunPlanOptions): Promise<OperationOutcome> {
  const { plan, backend, profile, clock, cancellation, onEvent } = options;
  const hard = options.signal ?? new AbortController().signal;
  const stopping = options.stopping ?? new AbortController().signal;
  let finalSnapshot: ClusterSnapshot | undefined;
  let reported = false;
  let warnings = 0;

  const finish = async (outcome: OperationOutcome): Promise<OperationOutcome> => {
    const snapshot = reported ? finalSnapshot : await trySnapshot(backend, hard, clock);
    await onEvent({ type: 'finished', outcome, snapshot, at: clock.now() });
    return outcome;
  };

  if (plan.blockers.length > 0) return finish({ kind: 'refused', reasons: plan.blockers });

  const steps = backend.operation(options.opId);
  for (const step of plan.steps) {
    if (hard.aborted || stopping.aborted) return finish(interrupted(step, hard.aborted ? hard : stopping, 'before'));
    if (cancellation.requested) {
      return finish({ kind: 'cancelled', stepId: step.id, by: cancellation.by ?? 'unknown', where: `before step ${step.id} '${step.title}'` });
    }
    // The last state the service can tell: before its license server, or its hosts, go down.
    if ((step.action.kind === 'shutdown-license-server' || step.action.kind === 'power-off-hosts') && !reported) {
      finalSnapshot = await trySnapshot(backend, hard, clock);
      reported = true;
      await onEvent({ type: 'final-report', snapshot: finalSnapshot, at: clock.now() });
    }
    const linked = isSafeToInterrupt(step.action) ? linkSignals([hard, stopping, cancellation.signal]) : undefined;
    const signal = linked?.signal ?? hard;
    // Even a step that must not be interrupted is not started again once a cancel or a stop came.
    const gate = linked ?? linkSignals([hard, stopping, cancellation.signal]);
    const details: Promise<void>[] = [];
    // The backend limits the calls that change the cluster to what this step of the plan acts on.
    const run: StepRun = {
      profile,
      clock,
      signal,
      retryGate: gate.signal,
      detail: (detail) => {
        details.push(Promise.resolve(onEvent({ type: 'step-detail', step, detail, at: clock.now() })));
      },
    };
    const started = clock.now();
    try {
      await onEvent({ type: 'step-started', step, at: started });
    } catch (error) {
      // The step's start could not be recorded (a journal write failed): it must not run.
      linked?.release();
      if (gate !== linked) gate.release();
      const reason = isAppError(error) ? error.message : String(error);
      return finish({ kind: 'failed', stepId: step.id, reason: `step ${step.id} was not started: ${reason}`, code: isAppError(error) ? error.code : 'INTERNAL' });
    }
    try {
      const result = await steps.run(run, step);
      await Promise.all(details);
      if (result.kind === 'done' && result.warning) warnings += 1;
      await onEvent({ type: 'step-finished', step, result, durationMs: clock.now() - started, at: clock.now() });
    } catch (error) {
      await Promise.all(details);
      const notRetried = error instanceof RetryStopped;
      if (hard.aborted || (stopping.aborted && (signal.aborted || notRetried))) {
        await stepFailed(step, started, 'interrupted: the bot is stopping', 'INTERRUPTED');
        return finish(interrupted(step, hard.aborted ? hard : stopping, 'during'));
      }
      if (cancellation.requested && (signal.aborted || notRetried)) {
        await stepFailed(step, started, `cancelled by ${cancellation.by ?? 'unknown'}`, 'CANCELLED');
        return finish({ kind: 'cancelled', stepId: step.id, by: cancellation.by ?? 'unknown', where: `during step ${step.id} '${step.title}'` });
      }
      const reason = isAppError(error) ? error.message : `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
      const code = isAppError(error) ? error.code : 'INTERNAL';
      await stepFailed(step, started, reason, code);
      return finish({ kind: 'failed', stepId: step.id, reason, code });
    } finally {
      linked?.release();
      if (gate !== linked) gate.release();
    }
  }
  return finish({ kind: 'succeeded', warnings });

  async function stepFailed(step: Step, started: number, reason: string, code: string): Promise<void> {
    const at = clock.now();
    await onEvent({ type: 'step-finished', step, result: { kind: 'failed', reason, code }, durationMs: at - started, at });
  }
}

function interrupted(step: Step, signal: AbortSignal, where: 'before' | 'during'): OperationOutcome {
  const why = signal.reason instanceof Error ? signal.reason.message : 'the bot is stopping';
  return { kind: 'interrupted', stepId: step.id, reason: `${why}; stopped ${where} step ${step.id} '${step.title}'` };
}

/** The end state is a courtesy: failing to read it must not change the operation's outcome. */
async function trySnapshot(backend: ClusterBackend, hard: AbortSignal, clock: Clock): Promise<ClusterSnapshot | undefined> {
  if (hard.aborted) return undefined;
  try {
    const linked = linkSignals([hard], 15_000);
    try {
      return await backend.snapshot({ signal: linked.signal, now: () => clock.now() });
    } finally {
      linked.release();
    }
  } catch {
    return undefined;
  }
}
