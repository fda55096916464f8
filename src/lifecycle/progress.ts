import type { Step } from './plan.js';
import type { ClusterSnapshot } from './snapshot.js';
import type { StepDetail, StepOutcome } from './steps/step-context.js';

export type StepResult = StepOutcome | { readonly kind: 'failed'; readonly reason: string; readonly code: string };

/** How an operation ended. `refused` means a precondition failed before anything was done. */
export type OperationOutcome =
  | { readonly kind: 'succeeded'; readonly warnings: number }
  | { readonly kind: 'failed'; readonly stepId: string; readonly reason: string; readonly code: string }
  | { readonly kind: 'refused'; readonly reasons: readonly string[] }
  | { readonly kind: 'cancelled'; readonly stepId: string | undefined; readonly by: string; readonly where: string }
  | { readonly kind: 'interrupted'; readonly stepId: string | undefined; readonly reason: string };

/** Everything an adapter (Slack, console, journal) needs to show or record an operation's progress. */
export type ProgressEvent =
  | { readonly type: 'step-started'; readonly step: Step; readonly at: number }
  | { readonly type: 'step-detail'; readonly step: Step; readonly detail: StepDetail; readonly at: number }
  | {
      readonly type: 'step-finished';
      readonly step: Step;
      readonly result: StepResult;
      readonly durationMs: number;
      readonly at: number;
    }
  /** Written before the license server goes down: after that nobody can read the cluster state. */
  | { readonly type: 'final-report'; readonly snapshot: ClusterSnapshot | undefined; readonly at: number }
  | {
      readonly type: 'finished';
      readonly outcome: OperationOutcome;
      readonly snapshot: ClusterSnapshot | undefined;
      readonly at: number;
    };
