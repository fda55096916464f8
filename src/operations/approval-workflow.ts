import { isAppError } from '../errors/app-error.js';
import { approvedActions, describeChange, type PlanChange } from '../lifecycle/approved-actions.js';
import { describeOperation, type OperationKind } from '../lifecycle/operation-kind.js';
import type { Plan } from '../lifecycle/plan.js';
import { alreadyApproved, checkApprover, checkCounts, needsTypedName } from './approval-policy.js';
import { approvalNeed, ruleFor, type ApprovalNeed } from './approval-rules.js';
import { describeFreeze } from '../change-control/change-gate.js';
import { describeObstacle, findObstacle } from './conflicts.js';
import { closeOperation, errorMessage, type OperationCore } from './operation-core.js';
import type { OperationRecord, ScheduleRef } from './operation-record.js';

export interface RequestInput {
  readonly cluster: string;
  readonly operation: OperationKind;
  readonly requestedBy: string;
  readonly channel?: string;
  readonly reason?: string;
  /** Break-glass: an approver overrides a freeze window or a hold (with a reason; one more approval). */
  readonly override?: true;
  /** A schedule's run; `waiveApproval`: the schedule's configuration runs it without an approver. */
  readonly schedule?: ScheduleRef & { readonly waiveApproval?: boolean };
}

export type RequestResult =
  | { readonly kind: 'queued'; readonly op: OperationRecord; readonly position: number }
  | { readonly kind: 'awaiting-approval'; readonly op: OperationRecord; readonly plan: Plan }
  | { readonly kind: 'duplicate'; readonly existing: OperationRecord; readonly message: string }
  /** `people`: user ids the message names (whoever requested what is in the way), shown as people. */
  | { readonly kind: 'refused'; readonly message: string; readonly people?: readonly string[] };

export type DecisionResult =
  | { readonly kind: 'approved'; readonly op: OperationRecord }
  /** Counted, and more are needed: `have` of `need` so far. */
  | { readonly kind: 'approval-added'; readonly op: OperationRecord; readonly have: number; readonly need: number }
  | { readonly kind: 'rejected'; readonly op: OperationRecord }
  | { readonly kind: 'denied'; readonly message: string }
  | { readonly kind: 'not-pending'; readonly message: string };

/**
 * Requests, decisions and expiry. An approval request shows the plan as it will run after what is
 * queued or running on the cluster; the approval stores that plan's acting steps, and the runner
 * lets the run do no more (approved-actions.ts, guarded-client.ts).
 */
export class ApprovalWorkflow {
  private readonly expiryTimers = new Map<string, AbortController>();
  /**
   * Requests whose 'requested' record is being written: not in the registry yet, but a second
   * request that conflicts with one of them must see it (conflicts.ts), or both would queue.
   */
  private readonly reserved = new Set<OperationRecord>();
  /**
   * Operations whose decision (approve, reject, expiry, withdrawal) is being written: a second
   * decision in that time finds the first one under way, so exactly one decision counts.
   */
  private readonly deciding = new Set<string>();

  constructor(
    private readonly core: OperationCore,
    /** Puts an approved (or approval-free) operation in its cluster's queue. */
    private readonly enqueue: (op: OperationRecord) => number,
  ) {}

  async request(input: RequestInput): Promise<RequestResult> {
    const { core } = this;
    if (core.stopping.aborted) return this.refuse(input, 'The bot is shutting down and takes no new operations.');
    if (!core.reader.names().includes(input.cluster)) return { kind: 'refused', message: core.reader.unknown(input.cluster).message };
    if (core.approval.requireReasonFor?.has(input.operation.kind) && !input.reason) {
      const what = describeOperation(input.operation);
      return this.refuse(input, `A ${what} on ${input.cluster} needs a reason: add it after --, e.g. /exa ${commandExample(input.operation)} ${input.cluster} -- quarterly patching. Nothing was requested.`);
    }
    const frozen = await this.gateCheck(input);
    if (frozen) return frozen;
    const blocked = this.obstacle(input);
    if (blocked) return blocked;

    // A critical cluster's shut-down always waits for an approver who types its name; an approval
    // rule or a break-glass override always asks for its approvers; a schedule may waive them.
    const needsApproval = this.needsApproval(input);
    let plan: Plan | undefined;
    if (needsApproval) {
      try {
        const ahead = core.registry.active(input.cluster).filter((op) => op.status.kind === 'running' || op.status.kind === 'queued');
        const forecast = await core.reader.planAfter(input.cluster, input.operation, ahead);
        plan = ahead.length === 0 ? forecast.plan : { ...forecast.plan, after: ahead.map((op) => `${op.id} (${describeOperation(op.operation)})`) };
      } catch (error) {
        return this.refuse(input, isAppError(error) ? error.message : 'Could not read the cluster state.');
      }
    }
    let id: string;
    try {
      id = await core.allocateId();
    } catch (error) {
      return this.refuse(input, `Nothing was queued: ${errorMessage(error)}`);
    }
    // Two requests may have raced through the awaits above: only one may win. From here to the
    // reservation nothing awaits, so the check holds until the operation is visible to the next.
    const raced = this.obstacle(input);
    if (raced) return raced;
    // A plan that would be refused when it runs is refused now: an approver must never be asked
    // to approve what cannot happen (and the buttons would only lead to a refusal).
    if (plan && plan.blockers.length > 0) return this.refuse(input, blockedMessage(input, plan));
    const { schedule, ...rest } = input;
    const op = core.registry.draft(id, { ...rest, ...(schedule ? { schedule: { id: schedule.id, configuredBy: schedule.configuredBy } } : {}) }, core.clock.now(), plan);
    if (needsTypedName(core.approval, op)) op.confirmByName = true;
    if (needsApproval) {
      this.setNeed(op);
    }
    this.reserved.add(op);
    try {
      await core.ledger.requested(op);
    } catch (error) {
      return { kind: 'refused', message: `Nothing was queued: ${errorMessage(error)}` };
    } finally {
      this.reserved.delete(op);
    }
    core.registry.add(op);
    if (plan && needsApproval) {
      this.awaitApproval(op);
      core.events.emit({ type: 'approval-needed', op, plan });
      return { kind: 'awaiting-approval', op, plan };
    }
    return { kind: 'queued', op, position: this.enqueue(op) };
  }

  /**
   * A freeze window or a hold refuses destructive operations, with who set it, why and until when;
   * an approver may break the glass with a reason (one more approval, marked loudly). A schedule
   * never breaks the glass: its run is refused and reported.
   */
  private async gateCheck(input: RequestInput): Promise<RequestResult | undefined> {
    const { core } = this;
    const what = describeOperation(input.operation);
    const freeze = core.gate?.frozen(input.cluster, input.operation.kind);
    if (!freeze) {
      if (!input.override) return undefined;
      return this.refuse(input, `There is no freeze window or hold on ${input.cluster} for a ${what} now, so there is no glass to break: ask again without --break-glass. Nothing was requested.`);
    }
    const by = freeze.kind === 'hold' ? [freeze.by] : [];
    const frozen = `${input.cluster} is frozen by ${describeFreeze(freeze)}`;
    if (input.schedule) return this.refuse(input, `The scheduled ${what} of ${input.cluster} (schedule ${input.schedule.id}) did not run: ${frozen}.`, by);
    if (!input.override) {
      return this.refuse(
        input,
        `${frozen}, so the ${what} was not requested. An approver who must act anyway may break the glass: /exa ${commandExample(input.operation)} ${input.cluster} --break-glass -- why. That needs one approver more than usual and is marked in the channel and the audit log.`,
        by,
      );
    }
    if (!(await core.approval.isApprover(input.requestedBy, input.cluster))) {
      return this.refuse(input, `${frozen}. Only an approver of ${input.cluster} may break the glass; ask one. Nothing was requested.`, by);
    }
    if (!input.reason) return this.refuse(input, `Breaking the glass needs a reason: add it after --, e.g. /exa ${commandExample(input.operation)} ${input.cluster} --break-glass -- restore after failed patch. Nothing was requested.`);
    return undefined;
  }

  /** Whether a request waits for approvers before it is queued. */
  private needsApproval(input: RequestInput): boolean {
    const { approval } = this.core;
    if (input.override || needsTypedName(approval, input)) return true;
    // An approval rule binds schedules too; a schedule waives only the one approval of EXA_APPROVAL_REQUIRED_FOR.
    if (ruleFor(approval.rules ?? [], input.cluster, input.operation.kind) !== undefined) return true;
    if (input.schedule?.waiveApproval) return false;
    return approval.requireApprovalFor.has(input.operation.kind);
  }

  /** How many approvals the operation needs, and from whom: its rule, one more for a break-glass override. */
  needFor(op: Pick<OperationRecord, 'cluster' | 'operation' | 'override'>): ApprovalNeed {
    return approvalNeed(this.core.approval.rules ?? [], op.cluster, op.operation.kind, op.override === true);
  }

  /** A request that waits for approvers: none counted yet, and how many it needs from whom. */
  setNeed(op: OperationRecord, counted: OperationRecord['approvals'] = []): void {
    const need = this.needFor(op);
    op.approvals = [...(counted ?? [])];
    op.approvalsNeeded = need.count;
    if (need.from) op.approvalsFrom = need.from;
  }

  /** The runner found the rebuilt plan doing more than was approved: ask again, showing what changed. */
  async askAgain(op: OperationRecord, plan: Plan, changes: readonly PlanChange[]): Promise<void> {
    await this.core.ledger.reapproval(op, changes.map(describeChange));
    op.approvedBy = undefined;
    op.approvedActions = undefined;
    // Everyone approved a plan that is no longer the one to run: every approval is asked again.
    this.setNeed(op);
    op.plan = plan;
    // A record rebuilt from the journal (a takeover) does not carry it: the policy decides again.
    if (needsTypedName(this.core.approval, op)) op.confirmByName = true;
    this.awaitApproval(op);
    this.core.events.emit({ type: 'reapproval-needed', op, plan, changes });
  }

  /** `typedName`: what the approver typed to confirm a shut-down of a critical cluster. */
  async decide(opId: string, by: string, decision: 'approve' | 'reject', channel: string | undefined, typedName?: string): Promise<DecisionResult> {
    const { core } = this;
    const op = core.registry.get(opId);
    if (!op) return { kind: 'not-pending', message: `There is no operation ${opId}.` };
    const notPending = (): DecisionResult => ({ kind: 'not-pending', message: `${op.id} is no longer waiting for a decision (${describeStatus(op)}).` });
    if (op.status.kind !== 'awaiting-approval') return notPending();
    if (core.stopping.aborted) return { kind: 'not-pending', message: `${op.id} cannot be decided now: the bot is stopping. Decide again after it is back.` };
    const check = await this.checkDecider(op, by, decision, typedName);
    if (check.kind === 'denied') {
      try {
        await core.ledger.denied(op, by, channel, `${decision} refused: ${check.reason}`);
      } catch (error) {
        core.logger.error('could not audit a refused decision', { opId, error: errorMessage(error) });
      }
      return { kind: 'denied', message: `You cannot ${decision} ${op.id}: ${check.reason}.` };
    }
    // Re-checked after the await: of two concurrent clicks exactly one gets past this line (the
    // other finds the operation decided, or its decision still being written).
    if (op.status.kind !== 'awaiting-approval') return notPending();
    if (!this.beginDecision(op.id)) return { kind: 'not-pending', message: `${op.id} is being decided by someone else right now; look at its message in a moment.` };
    try {
      return await this.record(op, by, decision, channel);
    } finally {
      this.endDecision(op.id);
    }
  }

  /** The approver check, and for a critical cluster's shut-down the name typed by whoever approves. */
  private async checkDecider(op: OperationRecord, by: string, decision: 'approve' | 'reject', typedName: string | undefined): Promise<ReturnType<typeof checkApprover>> {
    const need = this.needFor(op);
    const check = await checkApprover(this.core.approval, op, by, need);
    if (check.kind === 'denied' || decision === 'reject') return check;
    const counted = await checkCounts(this.core.approval, op, by, need);
    if (counted.kind === 'denied') return counted;
    // A freeze that began (or a hold set) after the request: an approval now would act in it.
    const freeze = op.override ? undefined : this.core.gate?.frozen(op.cluster, op.operation.kind);
    if (freeze) return { kind: 'denied', reason: `${op.cluster} is frozen by ${describeFreeze(freeze)} since this was requested; nothing was approved (an approver may request it again with --break-glass)` };
    // A name typed with an approval must be the cluster's, whether or not the cluster asks for one.
    if (typedName !== undefined && typedName.trim() !== op.cluster) return { kind: 'denied', reason: `the name typed, '${typedName.trim().slice(0, 64)}', is not the cluster's (${op.cluster}); nothing was approved` };
    if (!needsTypedName(this.core.approval, op)) return check;
    if (typedName === undefined) {
      return { kind: 'denied', reason: `cluster ${op.cluster} is marked critical, so its shut-down is approved with its name typed: click Approve and type ${op.cluster}, or /exa approve ${op.id} ${op.cluster}` };
    }
    return check;
  }

  /** Writes a decision that passed every check, then applies it. */
  private async record(op: OperationRecord, by: string, decision: 'approve' | 'reject', channel: string | undefined): Promise<DecisionResult> {
    const { core } = this;
    const unrecorded = (error: unknown): DecisionResult => ({
      kind: 'not-pending',
      message: `Your ${decision === 'approve' ? 'approval' : 'rejection'} of ${op.id} could not be recorded, so it did not count: ${errorMessage(error)}`,
    });
    if (decision === 'reject') {
      try {
        await core.ledger.rejected(op, by, channel);
      } catch (error) {
        return unrecorded(error);
      }
      this.stopTimer(op.id);
      op.status = { kind: 'finished', outcome: { kind: 'rejected', by } };
      core.events.emit({ type: 'rejected', op, by });
      return { kind: 'rejected', op };
    }
    const need = op.approvalsNeeded ?? 1;
    const before = op.approvals ?? [];
    // Checked again here, under the decision claim: the checks before awaited (a group lookup), so
    // a double click by one approver could have passed them twice.
    if (before.some((a) => a.by === by)) return { kind: 'denied', message: `You cannot approve ${op.id}: ${alreadyApproved(need, before.length)}.` };
    const approvals = [...before, { by, at: core.clock.now() }];
    if (approvals.length < need) {
      try {
        await core.ledger.approvalAdded(op, by, channel, approvals.map((a) => a.by), need);
      } catch (error) {
        return unrecorded(error);
      }
      op.approvals = approvals;
      core.events.emit({ type: 'approval-added', op, by });
      return { kind: 'approval-added', op, have: approvals.length, need };
    }
    const actions = op.plan ? approvedActions(op.plan) : [];
    try {
      await core.ledger.approved(op, by, channel, actions, approvals.map((a) => a.by));
    } catch (error) {
      return unrecorded(error);
    }
    this.stopTimer(op.id);
    op.approvals = approvals;
    op.approvedBy = by;
    op.approvedActions = actions;
    core.events.emit({ type: 'approved', op, by });
    this.enqueue(op);
    return { kind: 'approved', op };
  }

  /**
   * Claims the decision on an operation waiting for one; false while another decision (a click,
   * the expiry, a cancel) is being written. The claimer calls endDecision when it is done.
   */
  beginDecision(opId: string): boolean {
    if (this.deciding.has(opId)) return false;
    this.deciding.add(opId);
    return true;
  }

  endDecision(opId: string): void {
    this.deciding.delete(opId);
  }

  /** Drops a request still waiting for a decision (cancel, or the bot stopping). */
  withdraw(op: OperationRecord): void {
    this.stopTimer(op.id);
  }

  stopAll(): void {
    for (const timer of this.expiryTimers.values()) timer.abort();
  }

  /** A request another replica made, still waiting when this one took over: it waits on here for what is left of its time. */
  waitOn(op: OperationRecord, leftMs: number): void {
    this.awaitApproval(op, leftMs);
  }

  private awaitApproval(op: OperationRecord, ttlMs = this.core.approval.ttlMs): void {
    const { core } = this;
    op.status = { kind: 'awaiting-approval', expiresAt: core.clock.now() + ttlMs };
    const timer = new AbortController();
    this.expiryTimers.set(op.id, timer);
    core.clock
      .sleep(ttlMs, timer.signal, { keepAlive: false })
      .then(async () => {
        if (op.status.kind !== 'awaiting-approval') return;
        // A decision being written when the time ran out wins: it came first.
        if (!this.beginDecision(op.id)) return;
        try {
          await core.ledger.expired(op);
        } catch (error) {
          core.logger.error('could not record an expiry; the request is dropped anyway', { opId: op.id, error: errorMessage(error) });
        } finally {
          this.endDecision(op.id);
        }
        op.status = { kind: 'finished', outcome: { kind: 'expired', by: 'system' } };
        core.events.emit({ type: 'expired', op });
        for (const id of core.registry.trim()) core.events.forget(id);
      })
      .catch(() => undefined) // aborted: a decision came first
      .finally(() => {
        if (this.expiryTimers.get(op.id) === timer) this.expiryTimers.delete(op.id);
      });
  }

  private stopTimer(opId: string): void {
    this.expiryTimers.get(opId)?.abort();
  }

  /** Synchronous when there is no obstacle, so a caller's check and its reservation are one step. */
  private obstacle(input: RequestInput): Promise<RequestResult> | undefined {
    const obstacle = findObstacle([...this.core.registry.all(), ...this.reserved], input.cluster, input.operation);
    if (!obstacle) return undefined;
    const message = describeObstacle(obstacle, input.cluster, input.operation);
    if (obstacle.kind === 'duplicate') return Promise.resolve({ kind: 'duplicate', existing: obstacle.existing, message });
    return this.refuse(input, message).then((refused) => ({ ...refused, people: [obstacle.existing.requestedBy] }));
  }

  /** A request turned away before it got an id: still on the record, with who asked and why. */
  private async refuse(input: RequestInput, message: string, people: readonly string[] = []): Promise<RequestResult> {
    try {
      await this.core.ledger.refused({ ...input, operation: describeOperation(input.operation) }, message);
    } catch (error) {
      this.core.logger.error('could not audit a refused request', { error: errorMessage(error) });
    }
    return people.length > 0 ? { kind: 'refused', message, people } : { kind: 'refused', message };
  }
}

function blockedMessage(input: RequestInput, plan: Plan): string {
  const after = plan.after && plan.after.length > 0 ? ` (as the cluster will be after ${plan.after.join(', ')})` : '';
  return (
    `The ${describeOperation(input.operation)} of ${input.cluster} is blocked${after}, so it was not sent for approval:\n` +
    `${plan.blockers.map((b) => `- ${b}`).join('\n')}\nNothing was queued. Fix what blocks it, then ask again; /exa plan shows the dry run.`
  );
}

/** Used when an operation that ends without running is closed (cancelled before it started). */
export function closeUnstarted(core: OperationCore, op: OperationRecord, by: string): Promise<void> {
  return closeOperation(core, op, { kind: 'cancelled', stepId: undefined, by, where: 'before it started' });
}

export function describeStatus(op: OperationRecord): string {
  const status = op.status;
  switch (status.kind) {
    case 'awaiting-approval':
      return 'waiting for approval';
    case 'queued':
      return 'queued';
    case 'running':
      return status.stepTitle ? `running step ${status.stepId} '${status.stepTitle}'` : 'starting';
    case 'finished':
      return `finished: ${status.outcome.kind}`;
  }
}

/** The words of `/exa …` that request `operation`, for the example in a refusal. */
function commandExample(operation: OperationKind): string {
  switch (operation.kind) {
    case 'cluster-startup':
      return 'startup';
    case 'cluster-shutdown':
      return 'shutdown';
    case 'database-start':
      return `db start ${operation.database}`;
    case 'database-stop':
      return `db stop ${operation.database}`;
    case 'storage-start':
      return 'storage start';
    case 'storage-stop':
      return 'storage stop';
  }
}
