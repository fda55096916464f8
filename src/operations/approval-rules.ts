import type { Principal } from '../config/app-config.js';
import type { OperationName } from '../lifecycle/operation-kind.js';

/**
 * How many distinct approvers an operation needs, and from whom (issue 17, item 2). Rules come
 * from the change-control file; the first rule that matches the cluster and the operation counts.
 * Without a rule an operation that needs approval needs one approver, as before.
 */
export interface ApprovalRule {
  readonly clusters: readonly string[] | '*';
  readonly operations: readonly OperationName[] | '*';
  /** M: distinct approvers, the requester never among them. */
  readonly approvals: number;
  /** Whose approvals count (users, user groups), besides holding the approver role; absent: any approver. */
  readonly from?: readonly Principal[];
}

/** What one request needs before it runs. */
export interface ApprovalNeed {
  readonly count: number;
  readonly from: readonly Principal[] | undefined;
  /**
   * When a rule (or a break-glass override) asks for approvals, the requester never counts, even
   * where EXA_ALLOW_SELF_APPROVAL lets a requester approve an ordinary request.
   */
  readonly strict: boolean;
}

export function ruleFor(rules: readonly ApprovalRule[], cluster: string, operation: OperationName): ApprovalRule | undefined {
  return rules.find((r) => (r.clusters === '*' || r.clusters.includes(cluster)) && (r.operations === '*' || r.operations.includes(operation)));
}

/** A break-glass override needs one approver more than the operation would need without it. */
export function approvalNeed(rules: readonly ApprovalRule[], cluster: string, operation: OperationName, override: boolean): ApprovalNeed {
  const rule = ruleFor(rules, cluster, operation);
  const base = rule?.approvals ?? 1;
  return { count: override ? base + 1 : base, from: rule?.from, strict: rule !== undefined || override };
}
