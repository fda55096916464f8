import { describeChange, type PlanChange } from '../lifecycle/approved-actions.js';
import { describeOperation } from '../lifecycle/operation-kind.js';
import type { Plan } from '../lifecycle/plan.js';
import type { OperationRecord } from '../operations/operation-record.js';
import type { Principal } from '../config/app-config.js';
import { capitalise, formatTimestamp, operationTitle } from './labels.js';
import { context, header, mention, people, text, user, type Block, type Inline, type Message } from './message.js';
import { planBlocks } from './plan-view.js';

type Op = Pick<OperationRecord, 'id' | 'cluster' | 'operation' | 'requestedBy' | 'status' | 'plan'> &
  Partial<Pick<OperationRecord, 'approvals' | 'approvalsNeeded' | 'approvalsFrom' | 'override' | 'schedule'>> & { readonly reason?: string | undefined; readonly confirmByName?: true | undefined };

/**
 * The request shows exactly what would happen (the dry run), so the approver decides on the plan
 * rather than on a name. Approve asks for confirmation because it changes a production cluster.
 */
export function renderApprovalRequest(op: Op, plan: Plan, changes: readonly PlanChange[] = []): Message {
  const what = operationTitle(op.operation, op.cluster);
  const changed =
    changes.length > 0
      ? [
          text(
            `*Approved before, but the cluster changed.* When its turn came the plan would also:\n${changes.map((c) => `• ${describeChange(c)}`).join('\n')}\n` +
              'Nothing was done. Approve again to run the plan below, or reject it.',
            'warning',
          ),
        ]
      : [];
  const forecast = plan.after?.length
    ? [context(`Planned for the state after ${plan.after.join(', ')} finishes, as they are ahead in the queue.`)]
    : [];
  const promise = context(
    'Approving allows exactly the actions listed as "will do". When it runs, the plan is rebuilt from the live state; ' +
      'if it would then act on anything not listed here, nothing more is done and the request comes back here for a new approval.',
  );
  const expiry =
    op.status.kind === 'awaiting-approval'
      ? [context(`Expires at ${formatTimestamp(op.status.expiresAt)} if nobody decides; then nothing is done.`)]
      : [];
  return {
    title: `${op.override ? 'BREAK-GLASS: ' : ''}Approval needed for ${op.id}: ${what}, requested by ${op.requestedBy}`,
    blocks: [
      header(changes.length > 0 ? `New approval needed: ${what}` : `Approval needed: ${what}`),
      ...breakGlass(op),
      facts(op),
      ...tally(op),
      ...changed,
      ...planBlocks(plan),
      ...forecast,
      promise,
      ...expiry,
      {
        kind: 'actions',
        buttons: [
          {
            actionId: 'approve',
            value: op.id,
            label: 'Approve',
            style: 'primary',
            // A critical cluster's shut-down is confirmed by typing its name, not by a yes/no.
            ...(op.confirmByName
              ? { typeToConfirm: op.cluster }
              : {
                  confirm: {
                    title: `Approve ${op.id}?`,
                    text: `The ${what} runs the ${plan.steps.length} steps listed, as soon as it is its turn.`,
                    confirm: 'Approve',
                    deny: 'Not yet',
                  },
                }),
          },
          {
            actionId: 'reject',
            value: op.id,
            label: 'Reject',
            style: 'danger',
            confirm: { title: `Reject ${op.id}?`, text: `The ${what} is not run; nothing is done on cluster ${op.cluster}.`, confirm: 'Reject', deny: 'Back' },
          },
        ],
      },
    ],
  };
}

/** The people who may decide, to be mentioned (Slack notifies them): users and user groups. */
export interface Deciders {
  readonly users: readonly string[];
  readonly groups: readonly string[];
}

/**
 * The request with its deciders mentioned under the header, so an approval does not sit unseen.
 * The requester is left out: they cannot approve their own request (four eyes).
 */
export function withDeciders(message: Message, deciders: Deciders, requestedBy: string): Message {
  const users = deciders.users.filter((u) => u !== requestedBy);
  if (users.length === 0 && deciders.groups.length === 0) return message;
  const [head, ...rest] = message.blocks;
  const ask = mention(users, 'may approve or reject this request.', deciders.groups);
  return { ...message, blocks: head === undefined ? [ask] : [head, ask, ...rest] };
}

/** Replaces the request once someone decided: no buttons are left to click. */
export function renderApprovalDecided(op: Op, decision: 'approved' | 'rejected', by: string): Message {
  const what = operationTitle(op.operation, op.cluster);
  const approvers = op.approvals && op.approvals.length > 1 ? op.approvals.map((a) => a.by) : [by];
  const outcome =
    decision === 'approved'
      ? people(['Approved by ', ...approvers.flatMap((id, i): Inline[] => [...(i === 0 ? [] : [i === approvers.length - 1 ? ' and ' : ', ']), user(id)]), `. It runs when it is its turn on cluster ${op.cluster}; its progress is shown here.`], 'success')
      : people(['Rejected by ', user(by), '. Nothing was done.'], 'warning');
  return {
    title: `${op.id} ${decision} by ${by}: ${what}`,
    blocks: [header(`${capitalise(decision)}: ${what}`), ...breakGlass(op), facts(op), outcome, ...planSize(op)],
  };
}

/** Replaces the request when it ended without a decision (cancelled, or dropped by a stop). */
export function renderApprovalWithdrawn(op: Op, reason: string): Message {
  const what = operationTitle(op.operation, op.cluster);
  return {
    title: `${op.id} withdrawn: ${what}`,
    blocks: [header(`Withdrawn: ${what}`), facts(op), text(`${capitalise(reason)}. Nothing was done.`, 'warning')],
  };
}

/** Replaces the request when nobody decided in time. */
export function renderApprovalExpired(op: Op): Message {
  const what = operationTitle(op.operation, op.cluster);
  return {
    title: `${op.id} expired: nobody decided on the ${what}`,
    blocks: [
      header(`Expired: ${what}`),
      facts(op),
      text('Nobody approved or rejected it in time, so nothing was done. Request it again if it is still needed.', 'warning'),
    ],
  };
}

/** Loud on purpose: a break-glass request overrides a freeze or a hold that someone set for a reason. */
function breakGlass(op: Op): Block[] {
  if (!op.override) return [];
  return [text(`BREAK-GLASS: this request overrides a freeze window or a hold on ${op.cluster}. It needs one approver more than usual; the override is on the audit log.`, 'danger')];
}

/** M-of-N: how many approvals it needs, from whom, and who approved so far. */
function tally(op: Op): Block[] {
  const need = op.approvalsNeeded ?? 1;
  const got = op.approvals ?? [];
  if (need <= 1 && got.length === 0) return [];
  const so = got.length === 0 ? ['None yet.'] : [...got.flatMap((a, i): Inline[] => [...(i === 0 ? [] : [', ']), user(a.by)]), ` (${got.length} of ${need}).`];
  return [people([`Needs ${need} approvals from different people (not the requester), from `, ...fromParts(op.approvalsFrom), '. Approved so far: ', ...so], 'strong')];
}

/** The answer to an approval that counted while more are needed: only the approver sees it. */
export function renderApprovalCounted(op: Op, have: number, need: number): Message {
  const what = operationTitle(op.operation, op.cluster);
  return {
    title: `Your approval of ${op.id} counts: ${have} of ${need}`,
    blocks: [text(`Your approval of ${op.id} (${what}) counts: ${have} of ${need}. It runs once ${need - have} more approver(s) approve; the request in the channel shows who approved.`, 'success')],
  };
}

function facts(op: Op): Block {
  const schedule = op.schedule ? `\nScheduled: schedule ${op.schedule.id} (the requester configured it)` : '';
  return people(['Requested by: ', user(op.requestedBy), `\nOperation: ${op.id}, ${describeOperation(op.operation)}\nCluster: ${op.cluster}${op.reason ? `\nReason: ${op.reason}` : ''}${schedule}`]);
}

function planSize(op: Op): Block[] {
  return op.plan ? [context(`The plan shown for approval had ${op.plan.steps.length} steps; it is rebuilt from the live state when it runs.`)] : [];
}

/** "from @dba-leads, @ana": the people whose approvals count, as parts a view shows as mentions. */
export function fromParts(from: readonly Principal[] | undefined): Inline[] {
  if (!from || from.length === 0) return ['any approver'];
  return from.flatMap((p, i): Inline[] => [...(i === 0 ? [] : [', ']), p.kind === 'user' ? { user: p.id } : { group: p.id }]);
}
