import { isAppError } from '../errors/app-error.js';
import { changesBeyond } from '../lifecycle/approved-actions.js';
import type { Plan } from '../lifecycle/plan.js';
import { runPlan } from '../lifecycle/run-plan.js';
import { waitUntil } from '../lifecycle/wait-until.js';
import { linkSignals } from '../util/linked-signal.js';
import type { ApprovalWorkflow } from './approval-workflow.js';
import { closeOperation, errorMessage, type OperationCore } from './operation-core.js';
import { describeFreeze } from '../change-control/change-gate.js';
import type { MessageRef, StepOutcome } from './journal-record.js';
import { effectShown, safeToRepeat } from './reattach.js';
import { LifecycleError } from '../lifecycle/errors.js';
import type { OperationRecord } from './operation-record.js';

/** What a replica taking an operation over knows of it (from the journal, reattach.ts). */
export interface Takeover {
  readonly plan: Plan;
  readonly point: { readonly index: number; readonly inFlight: boolean };
  /** Who takes over (host/pid), for the thread and the journal. */
  readonly by: string;
  readonly outcomes: Readonly<Record<string, StepOutcome>>;
  /** The progress message the replica that died was editing, to go on editing it. */
  readonly progressMessage?: MessageRef;
}

/**
 * Runs one operation when its turn comes: rebuilds the plan from the live state, checks it against
 * what was approved (anything more goes back for approval), records the start, runs the steps and
 * closes the operation. Every journal write comes before the change it describes.
 */
export class OperationRunner {
  constructor(
    private readonly core: OperationCore,
    private readonly approvals: ApprovalWorkflow,
  ) {}

  async execute(op: OperationRecord): Promise<void> {
    const { core } = this;
    if (op.status.kind !== 'queued') return;
    // A freeze that began, or a hold set, while it waited its turn (or for its approvers): it does
    // not start. Only a break-glass request acts in one.
    const freeze = op.override ? undefined : core.gate?.frozen(op.cluster, op.operation.kind);
    if (freeze) {
      await closeOperation(core, op, { kind: 'refused', reasons: [`${op.cluster} is frozen by ${describeFreeze(freeze)}; it did not start (an approver may request it again with --break-glass)`] });
      return;
    }
    const { backend, profile } = core.reader.get(op.cluster);
    const service = backend.capabilities.service;
    const hard = core.halting;
    const stopping = core.stopping;
    op.status = { kind: 'running', stepId: undefined, stepTitle: undefined };
    // A start-up may wait minutes for the license server to boot before its plan exists: the
    // channel sees that wait at once, as its first step, not a silent "queued".
    if (op.operation.kind === 'cluster-startup') {
      core.events.emit({ type: 'preparing', op, waitingFor: backend.capabilities.licenseServer ? `Wait until ${service} answers (the license server may still be booting)` : `Wait until ${service} answers` });
    }
    let plan: Plan;
    const linked = linkSignals([hard, stopping, op.cancellation.signal]);
    try {
      // The plan is rebuilt from the state now: the cluster may have changed while queued. A
      // start-up may begin while the license server is still booting, so it waits for EXAoperation.
      // Exasol 8 with host power on: a service that cannot answer until its hosts are powered on
      // is the state the plan starts from, not something to wait out — once it has not answered
      // three times over at least three poll intervals, so one slow answer is not taken for a cold cluster.
      let down = { since: undefined as number | undefined, times: 0 };
      const snapshot =
        op.operation.kind === 'cluster-startup'
          ? await waitUntil(async (signal) => {
              try {
                return { done: true, value: await backend.snapshot(signal ? { signal } : {}) };
              } catch (error) {
                if (!backend.snapshotWhileDown || !backend.isNotUpYet(error)) throw error;
                down = { since: down.since ?? core.clock.now(), times: down.times + 1 };
                const cold = down.times >= 3 && core.clock.now() - (down.since ?? 0) >= 3 * profile.pollIntervalMs ? backend.snapshotWhileDown(error) : undefined;
                if (cold) return { done: true, value: cold };
                throw error;
              }
            }, {
              description: `${service} answers`,
              intervalMs: profile.pollIntervalMs,
              timeoutMs: profile.timeouts.exaoperationMs,
              clock: core.clock,
              signal: linked.signal,
              tolerate: (error) => backend.isNotUpYet(error),
            })
          : await backend.snapshot({ signal: hard });
      plan = core.reader.build(op.cluster, op.operation, snapshot);
    } catch (error) {
      if (op.cancellation.requested) {
        await closeOperation(core, op, { kind: 'cancelled', stepId: undefined, by: op.cancellation.by ?? 'unknown', where: 'before it started' });
      } else if (hard.aborted || stopping.aborted) {
        await closeOperation(core, op, { kind: 'interrupted', stepId: undefined, reason: 'the bot stopped before the first step' });
      } else {
        const code = isAppError(error) ? error.code : 'INTERNAL';
        await closeOperation(core, op, { kind: 'failed', stepId: '', reason: `could not read the cluster state: ${errorMessage(error)}`, code });
      }
      return;
    } finally {
      linked.release();
    }

    // What an approver approved is all this run may do; anything more needs a new approval.
    if (op.approvedActions !== undefined && plan.blockers.length === 0) {
      const changes = changesBeyond(op.approvedActions, plan);
      if (changes.length > 0) {
        try {
          await this.approvals.askAgain(op, plan, changes);
        } catch (error) {
          await closeOperation(core, op, { kind: 'failed', stepId: '', reason: `the plan changed and a new approval could not be recorded: ${errorMessage(error)}`, code: 'JOURNAL_WRITE_FAILED' });
        }
        return;
      }
    }

    try {
      await core.ledger.started(op, plan);
    } catch (error) {
      await closeOperation(core, op, { kind: 'failed', stepId: '', reason: `it was not started: ${errorMessage(error)}`, code: 'JOURNAL_WRITE_FAILED' });
      return;
    }
    op.plan = plan;
    core.events.emit({ type: 'started', op, plan });
    await this.run(op, plan);
  }

  /**
   * Goes on with an operation a replica that died was running (PostgreSQL store): from `point`
   * in the approved plan the journal kept, never doing more than that plan. A step that was in
   * flight and acts on the cluster is not sent again: the live state must show it took effect
   * (within a short settle time), or the operation stops there for a person to decide.
   */
  async resume(op: OperationRecord, takeover: Takeover): Promise<void> {
    const { core } = this;
    const { plan, point, by, outcomes } = takeover;
    op.status = { kind: 'running', stepId: undefined, stepTitle: undefined };
    op.plan = plan;
    let index = point.index;
    const current = plan.steps[index];
    let note: string;
    if (current !== undefined && point.inFlight && !safeToRepeat(current)) {
      const seen = await this.settle(op, current).catch((error: unknown) => `could not be checked: ${errorMessage(error)}`);
      if (seen !== true) {
        const why = seen === undefined ? 'the cluster state cannot show whether it took effect' : seen === false ? 'the cluster state does not show it took effect' : `it ${seen}`;
        await closeOperation(core, op, {
          kind: 'interrupted',
          stepId: current.id,
          reason: `the replica running it stopped during step ${current.id} '${current.title}', and ${why}; it was not sent again. Check the cluster (/exa status) and request the operation again if it is still needed`,
        });
        return;
      }
      try {
        await core.ledger.progress(op, { type: 'step-finished', step: current, result: { kind: 'done', note: 'sent before the takeover; the cluster shows it took effect' }, durationMs: 0, at: core.clock.now() });
      } catch (error) {
        await closeOperation(core, op, { kind: 'failed', stepId: current.id, reason: `it was not taken over: ${errorMessage(error)}`, code: 'JOURNAL_WRITE_FAILED' });
        return;
      }
      index += 1;
      note = `Step ${current.id} '${current.title}' was under way; the cluster shows it took effect, so it was not sent again.`;
    } else {
      note = current === undefined ? 'Every step had finished; only the end was left to record.' : `${safeToRepeat(current) ? 'It changes nothing on the cluster' : 'It had not started'}, so it runs from its start.`;
    }
    const next = plan.steps[index];
    const where = next === undefined ? 'nothing is left to run' : `going on from step ${next.id} '${next.title}'`;
    const text = `Taken over by ${by} after the replica running it stopped: ${where}. ${note}`;
    try {
      await core.ledger.reattached(op, by, next?.id, text);
    } catch (error) {
      await closeOperation(core, op, { kind: 'failed', stepId: next?.id ?? '', reason: `it was not taken over: ${errorMessage(error)}`, code: 'JOURNAL_WRITE_FAILED' });
      return;
    }
    const done: Record<string, StepOutcome> = { ...outcomes, ...(index > point.index && current ? { [current.id]: 'done' as const } : {}) };
    core.events.emit({ type: 'reattached', op, plan, outcomes: done, note: text, ...(takeover.progressMessage ? { progressMessage: takeover.progressMessage } : {}) });
    await this.run(op, { ...plan, steps: plan.steps.slice(index) });
  }

  /**
   * Whether the live state shows the step's effect within a short settle time (the call may still
   * be on its way): true, false once the time is up, undefined when the state cannot tell.
   */
  private async settle(op: OperationRecord, step: Plan['steps'][number]): Promise<boolean | undefined> {
    const { core } = this;
    const { backend, profile } = core.reader.get(op.cluster);
    try {
      return await waitUntil(
        async (signal) => {
          const shown = effectShown(step.action, await backend.snapshot(signal ? { signal } : {}));
          return shown === false ? { done: false, seen: 'no effect yet' } : { done: true, value: shown };
        },
        { description: `the cluster shows step ${step.id} took effect`, intervalMs: profile.pollIntervalMs, timeoutMs: Math.min(60_000, Math.max(5000, profile.pollIntervalMs * 10)), clock: core.clock, signal: core.halting },
      );
    } catch (error) {
      if (error instanceof LifecycleError && error.code === 'STEP_TIMEOUT') return false;
      throw error;
    }
  }

  /** Runs the steps of `plan` and closes the operation, whatever happens. */
  private async run(op: OperationRecord, plan: Plan): Promise<void> {
    const { core } = this;
    const { backend, profile } = core.reader.get(op.cluster);
    try {
      await runPlan({
        opId: op.id,
        plan,
        backend,
        profile,
        clock: core.clock,
        cancellation: op.cancellation,
        signal: core.halting,
        stopping: core.stopping,
        onEvent: async (event) => {
          if (event.type === 'finished') {
            await closeOperation(core, op, event.outcome, event);
            return;
          }
          // Written first: a step the journal does not know of never starts (the write throws).
          await core.ledger.progress(op, event);
          if (event.type === 'step-started') op.status = { kind: 'running', stepId: event.step.id, stepTitle: event.step.title };
          core.events.emit({ type: 'progress', op, event });
        },
      });
    } catch (error) {
      // A journal write failed between steps (runPlan lets it through): the operation ends here.
      core.logger.error('an operation stopped on an internal error', { opId: op.id, error: errorMessage(error) });
      await closeOperation(core, op, { kind: 'failed', stepId: op.status.kind === 'running' ? (op.status.stepId ?? '') : '', reason: errorMessage(error), code: isAppError(error) ? error.code : 'INTERNAL' });
    }
  }
}
