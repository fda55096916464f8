import type { Principal } from '../config/app-config.js';
import type { OperationKind } from '../lifecycle/operation-kind.js';
import type { ApprovalNeed, ApprovalRule } from './approval-rules.js';

export interface ApprovalPolicy {
  /** Operation kinds that wait for an approver (default: shut-down, database stop, storage stop). */
  readonly requireApprovalFor: ReadonlySet<OperationKind['kind']>;
  /** May the requester approve their own request? Off by default: four eyes. */
  readonly allowSelfApproval: boolean;
  /** How long a request waits for a decision. */
  readonly ttlMs: number;
  /** Operation kinds refused without a reason (`-- why`); absent: none (the demo). */
  readonly requireReasonFor?: ReadonlySet<OperationKind['kind']>;
  /** Clusters whose shut-down is approved only with the cluster's name typed (critical ones). */
  readonly confirmByName?: ReadonlySet<string>;
  /** Whether a user may decide on this cluster's requests (user ids or resolved user groups). */
  isApprover(userId: string, cluster: string): boolean | Promise<boolean>;
  /** M-of-N: how many approvers per cluster and operation, and from whom (approval-rules.ts). */
  readonly rules?: readonly ApprovalRule[];
  /** Is the user one of these users or a member of one of these groups? Absent: user ids only. */
  isListed?(userId: string, principals: readonly Principal[]): boolean | Promise<boolean>;
}

export const DEFAULT_APPROVAL_KINDS: ReadonlySet<OperationKind['kind']> = new Set([
  'cluster-shutdown',
  'database-stop',
  'storage-stop',
]);

export const DEFAULT_APPROVAL_TTL_MS = 15 * 60_000;

export type ApprovalDecision = { readonly kind: 'allowed' } | { readonly kind: 'denied'; readonly reason: string };

/** A shut-down of a critical cluster: the approver types the cluster's name, so a slip of the mouse stops nothing. */
export function needsTypedName(policy: Pick<ApprovalPolicy, 'confirmByName'>, op: { readonly cluster: string; readonly operation: OperationKind }): boolean {
  return op.operation.kind === 'cluster-shutdown' && policy.confirmByName?.has(op.cluster) === true;
}

/**
 * Pure check of one click; the service records the outcome either way. `need.strict` (a rule or a
 * break-glass override applies): the requester never decides, whatever EXA_ALLOW_SELF_APPROVAL says.
 */
export async function checkApprover(
  policy: ApprovalPolicy,
  request: { readonly requestedBy: string; readonly cluster: string },
  actor: string,
  need: Pick<ApprovalNeed, 'strict'> = { strict: false },
): Promise<ApprovalDecision> {
  if (!(await policy.isApprover(actor, request.cluster))) {
    return { kind: 'denied', reason: `you are not an approver for cluster ${request.cluster}` };
  }
  if (actor === request.requestedBy && (need.strict || !policy.allowSelfApproval)) {
    return { kind: 'denied', reason: need.strict ? 'you requested this operation, and the requester never counts as one of its approvers' : 'you requested this operation; another approver must decide' };
  }
  return { kind: 'allowed' };
}

export function alreadyApproved(need: number, have: number): string {
  return `you approved it already; it needs ${need - have} more approval(s) from other approvers`;
}

/** One more approval of a request that needs several: distinct people, from the rule's list if it has one. */
export async function checkCounts(
  policy: ApprovalPolicy,
  op: { readonly approvals?: readonly { readonly by: string }[] | undefined },
  actor: string,
  need: ApprovalNeed,
): Promise<ApprovalDecision> {
  if (op.approvals?.some((a) => a.by === actor)) return { kind: 'denied', reason: alreadyApproved(need.count, op.approvals.length) };
  if (need.from && need.from.length > 0) {
    const listed = policy.isListed ? await policy.isListed(actor, need.from) : need.from.some((p) => p.kind === 'user' && p.id === actor);
    if (!listed) return { kind: 'denied', reason: `its approval rule counts approvals only from ${need.from.map((p) => p.id).join(', ')}` };
  }
  return { kind: 'allowed' };
}
