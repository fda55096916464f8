// EXAoperation going away for a moment (restarting, its web server coming up, a dropped
// connection) must not end an operation. A step that failed because EXAoperation did not answer is
// tried again once it answers. That is safe because every step reads the live state before it
// acts (execute-step.ts): a step whose action went through with its answer lost skips or waits the
// second time, and a refusal on a later attempt is left to the wait that follows (ctx.attempt).
import type { StepAction } from '../plan.js';
import { waitUntil } from '../wait-until.js';
import { executeStep } from './execute-step.js';
import { isExaoperationNotUpYet, isTransient, MAX_STEP_ATTEMPTS, waitOptions, type StepContext, type StepOutcome } from './step-context.js';

/** A step that met EXAoperation not answering was not tried again, because a cancel or a stop came first. */
export class RetryStopped extends Error {
  constructor(readonly original: unknown) {
    super(original instanceof Error ? original.message : String(original));
    this.name = 'RetryStopped';
  }
}

export async function executeWithRetries(
  ctx: Omit<StepContext, 'attempt'>,
  action: StepAction,
  execute: (ctx: StepContext, action: StepAction) => Promise<StepOutcome> = executeStep,
): Promise<StepOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await execute({ ...ctx, attempt }, action);
    } catch (error) {
      if (ctx.signal.aborted || attempt >= MAX_STEP_ATTEMPTS || !isTransient(error)) throw error;
      // A cancel or a stop asked for meanwhile wins over another attempt, whatever the step.
      const gate = ctx.retryGate ?? ctx.signal;
      if (gate.aborted) throw new RetryStopped(error);
      const why = error instanceof Error ? error.message : String(error);
      ctx.detail({ kind: 'note', text: `EXAoperation did not answer (${why}); the step runs again once it answers (attempt ${attempt + 1} of ${MAX_STEP_ATTEMPTS})` });
      try {
        await waitUntil(
          async (signal) => {
            await ctx.client.getNodeList(signal ? { signal } : {});
            return { done: true, value: undefined };
          },
          { ...waitOptions({ ...ctx, attempt }, 'EXAoperation answers again', ctx.profile.timeouts.exaoperationMs), signal: gate, tolerate: isExaoperationNotUpYet },
        );
      } catch (waitError) {
        if (gate.aborted) throw new RetryStopped(error);
        throw waitError;
      }
      if (gate.aborted) throw new RetryStopped(error);
    }
  }
}
