// One check for an action on an existing operation (approve, reject, cancel), whoever asks and
// however: a Slack button, `/exa approve op-3`, the console. The operation is looked up once and the
// rest is checked on it: that it exists; the role on its cluster (for a cancel, a grant that
// covers its kind), first, so a channel where the bot is not enabled learns nothing about where
// an operation lives; and that the action comes from the channel of its request (a copy of the
// message, or a crafted payload, elsewhere must not reach it). The core then checks the decision
// itself (approver policy, four eyes, a critical cluster's typed name).
import type { AccessDecision, Role } from '../access/role.js';
import type { OperationKind } from '../lifecycle/operation-kind.js';
import type { OperationRecord } from './operation-record.js';

export type OperationAction = 'approve' | 'reject' | 'cancel';

export const ACTION_ROLE: Readonly<Record<OperationAction, Role>> = { approve: 'approver', reject: 'approver', cancel: 'operator' };

export interface ActionCheckPorts {
  readonly get: (opId: string) => OperationRecord | undefined;
  /** The role check (Slack: the access policy); the console's single local user holds every role. */
  readonly mayAct: (user: string, channel: string | undefined, role: Role, cluster: string, operation?: OperationKind) => Promise<AccessDecision>;
}

export type ActionCheck =
  | { readonly kind: 'allowed'; readonly op: OperationRecord }
  /** `why`: for the audit log; `message`: for the person, saying what to do. */
  | { readonly kind: 'refused'; readonly refusal: 'no-such-operation' | 'other-channel' | 'not-allowed'; readonly why: string; readonly message: string; readonly op?: OperationRecord };

export async function checkOperationAction(
  input: { readonly user: string; readonly channel: string | undefined; readonly action: OperationAction; readonly opId: string },
  ports: ActionCheckPorts,
): Promise<ActionCheck> {
  const { action, opId } = input;
  const op = ports.get(opId);
  if (!op) {
    return {
      kind: 'refused',
      refusal: 'no-such-operation',
      why: `${action} refused: no such operation (it may predate a restart)`,
      message: `There is no operation ${opId}: it no longer exists (the bot may have restarted since) or never did. See /exa queue for the ones waiting or running, and request it again if it is still needed.`,
    };
  }
  const decision = await ports.mayAct(input.user, input.channel, ACTION_ROLE[action], op.cluster, action === 'cancel' ? op.operation : undefined);
  if (!decision.allowed) return { kind: 'refused', refusal: 'not-allowed', op, why: `${action} refused: ${decision.reason}`, message: `You cannot ${action} ${op.id}: ${decision.reason}.` };
  if (op.channel !== input.channel) {
    return {
      kind: 'refused',
      refusal: 'other-channel',
      op,
      why: `${action} refused: the request belongs to another channel`,
      message: `You cannot ${action} ${op.id} here: it was requested in another channel. Do it there.`,
    };
  }
  return { kind: 'allowed', op };
}
