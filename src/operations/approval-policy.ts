import type { OperationKind } from '../lifecycle/operation-kind.js';

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

/** Pure check of one click; the service records the outcome either way. */
export async function checkApprover(
  policy: ApprovalPolicy,
  request: { readonly requestedBy: string; readonly cluster: string },
  actor: string,
): Promise<ApprovalDecision> {
  if (!(await policy.isApprover(actor, request.cluster))) {
    return { kind: 'denied', reason: `you are not an approver for cluster ${request.cluster}` };
  }
  if (actor === request.requestedBy && !policy.allowSelfApproval) {
    return { kind: 'denied', reason: 'you requested this operation; another approver must decide' };
  }
  return { kind: 'allowed' };
}
