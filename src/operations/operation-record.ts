import type { Principal } from '../config/app-config.js';
import type { ApprovedAction, PlanChange } from '../lifecycle/approved-actions.js';
import type { Cancellation } from '../lifecycle/cancellation.js';
import type { OperationKind } from '../lifecycle/operation-kind.js';
import type { Plan } from '../lifecycle/plan.js';
import type { OperationOutcome, ProgressEvent } from '../lifecycle/progress.js';
import type { MessageRef, StepOutcome } from './journal-record.js';

/** Where an operation is in its life. */
export type OperationStatus =
  | { readonly kind: 'awaiting-approval'; readonly expiresAt: number }
  | { readonly kind: 'queued' }
  | { readonly kind: 'running'; readonly stepId: string | undefined; readonly stepTitle: string | undefined }
  | { readonly kind: 'finished'; readonly outcome: OperationOutcome | { readonly kind: 'rejected' | 'expired' | 'withdrawn'; readonly by: string } };

export interface OperationRecord {
  readonly id: string;
  readonly cluster: string;
  readonly operation: OperationKind;
  readonly requestedBy: string;
  readonly channel: string | undefined;
  /** Why, as the requester said (`/exa shutdown -- quarterly patching`); required per operation by configuration. */
  readonly reason: string | undefined;
  readonly requestedAt: number;
  /**
   * A shut-down of a cluster marked critical: approved only with the cluster's name typed (the
   * Approve button opens a form for it; `/exa approve op-N CLUSTER`). Set when requested.
   */
  confirmByName?: true;
  /** The dry-run plan shown for approval; the executed plan is rebuilt from the state at run time. */
  plan: Plan | undefined;
  approvedBy: string | undefined;
  /** Approvals so far, in order (M-of-N rules): the operation runs on the last one needed. */
  approvals?: Approval[];
  /** How many distinct approvers it needs (1 without a rule; one more for a break-glass override). */
  approvalsNeeded?: number;
  /** Whose approvals count under its rule (absent: any approver of the cluster). */
  approvalsFrom?: readonly Principal[];
  /** Break-glass: requested by an approver during a freeze window or a hold, which it overrides. */
  readonly override?: true;
  /** Requested by a schedule (issue 17): which, and who configured it. */
  readonly schedule?: ScheduleRef;
  /** What the approver approved: the run may act on this and no more (approved-actions.ts). */
  approvedActions: readonly ApprovedAction[] | undefined;
  status: OperationStatus;
  readonly cancellation: Cancellation;
}

export interface Approval {
  readonly by: string;
  readonly at: number;
}

export interface ScheduleRef {
  readonly id: string;
  readonly configuredBy: string;
}

/** What the service tells its adapters (Slack, console) about an operation. */
export type OperationEvent =
  | { readonly type: 'approval-needed'; readonly op: OperationRecord; readonly plan: Plan }
  /** The rebuilt plan would do more than was approved: a new approval request, showing what changed. */
  | { readonly type: 'reapproval-needed'; readonly op: OperationRecord; readonly plan: Plan; readonly changes: readonly PlanChange[] }
  | { readonly type: 'approved'; readonly op: OperationRecord; readonly by: string }
  /** One approval of several: the request waits for more (its message shows who approved). */
  | { readonly type: 'approval-added'; readonly op: OperationRecord; readonly by: string }
  | { readonly type: 'rejected'; readonly op: OperationRecord; readonly by: string }
  | { readonly type: 'expired'; readonly op: OperationRecord }
  | { readonly type: 'queued'; readonly op: OperationRecord; readonly position: number }
  /** Picked up, before its plan exists: what it waits for first (a start-up: EXAoperation answering). */
  | { readonly type: 'preparing'; readonly op: OperationRecord; readonly waitingFor: string }
  | { readonly type: 'started'; readonly op: OperationRecord; readonly plan: Plan }
  /**
   * A replica took the operation over (PostgreSQL store) and goes on with `plan` from where the
   * journal's `outcomes` leave it; `note` says so, for the operation's thread.
   */
  | {
      readonly type: 'reattached';
      readonly op: OperationRecord;
      readonly plan: Plan;
      readonly outcomes: Readonly<Record<string, StepOutcome>>;
      readonly note: string;
      readonly progressMessage?: MessageRef;
    }
  | { readonly type: 'progress'; readonly op: OperationRecord; readonly event: ProgressEvent }
  | { readonly type: 'cancel-requested'; readonly op: OperationRecord; readonly by: string };

export function isActive(op: OperationRecord): boolean {
  return op.status.kind !== 'finished';
}
