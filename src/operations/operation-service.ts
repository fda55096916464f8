import { AppError, isAppError } from '../errors/app-error.js';
import type { ExaOperationClient } from '../exaoperation/client.js';
import type { LogEntry, NodeStatus } from '../exaoperation/types.js';
import type { Logger } from '../logging/logger.js';
import { silentLogger } from '../logging/logger.js';
import { buildPlan } from '../lifecycle/build-plan.js';
import { Cancellation } from '../lifecycle/cancellation.js';
import type { ClusterProfile } from '../lifecycle/cluster-profile.js';
import { describeOperation, operationKey, type OperationKind } from '../lifecycle/operation-kind.js';
import type { Plan } from '../lifecycle/plan.js';
import type { OperationOutcome } from '../lifecycle/progress.js';
import { runPlan } from '../lifecycle/run-plan.js';
import { readClusterSnapshot, type ClusterSnapshot } from '../lifecycle/snapshot.js';
import { isExaoperationNotUpYet } from '../lifecycle/steps/step-context.js';
import { waitUntil } from '../lifecycle/wait-until.js';
import type { Clock } from '../util/clock.js';
import { checkApprover, type ApprovalPolicy } from './approval-policy.js';
import type { AuditLog } from './audit-log.js';
import { ClusterQueues } from './cluster-queue.js';
import { nextOperationId, recoverJournal, type Journal, type MessageRole, type RecoveryReport } from './journal.js';
import { isActive, type OperationEvent, type OperationRecord } from './operation-record.js';
import { recordProgress } from './record-progress.js';

export interface ManagedCluster {
  readonly client: ExaOperationClient;
  readonly profile: ClusterProfile;
}

export interface OperationServiceDeps {
  readonly clusters: ReadonlyMap<string, ManagedCluster>;
  readonly journal: Journal;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly approval: ApprovalPolicy;
  readonly logger?: Logger;
}

export interface RequestInput {
  readonly cluster: string;
  readonly operation: OperationKind;
  readonly requestedBy: string;
  readonly channel?: string;
}

export type RequestResult =
  | { readonly kind: 'queued'; readonly op: OperationRecord; readonly position: number }
  | { readonly kind: 'awaiting-approval'; readonly op: OperationRecord; readonly plan: Plan }
  | { readonly kind: 'duplicate'; readonly existing: OperationRecord; readonly message: string }
  | { readonly kind: 'refused'; readonly message: string };

export type DecisionResult =
  | { readonly kind: 'approved'; readonly op: OperationRecord }
  | { readonly kind: 'rejected'; readonly op: OperationRecord }
  | { readonly kind: 'denied'; readonly message: string }
  | { readonly kind: 'not-pending'; readonly message: string };

export type CancelResult =
  | { readonly kind: 'removed'; readonly op: OperationRecord; readonly message: string }
  | { readonly kind: 'cancel-requested'; readonly op: OperationRecord; readonly message: string }
  | { readonly kind: 'not-cancellable'; readonly message: string };

export interface QueueView {
  readonly running: OperationRecord | undefined;
  readonly pending: readonly OperationRecord[];
  readonly awaitingApproval: readonly OperationRecord[];
}

const RECENT_LIMIT = 50;

/**
 * The application core shared by every adapter (Slack, console): requests, approvals, the
 * per-cluster serialized queue, cancellation, the journal and the audit log. Expected outcomes
 * (a duplicate request, a refused click) are values; adapters only render them.
 */
export class OperationService {
  private readonly ops = new Map<string, OperationRecord>();
  private readonly queues = new ClusterQueues();
  private readonly listeners = new Set<(event: OperationEvent) => void>();
  /** Soft stop (SIGTERM): running operations end at their next safe point. */
  private readonly stopping = new AbortController();
  /** Hard stop, after the grace period: whatever runs is cut and recorded as interrupted. */
  private readonly halting = new AbortController();
  private readonly expiryTimers = new Map<string, AbortController>();
  private readonly logger: Logger;
  private nextId: number;

  constructor(private readonly deps: OperationServiceDeps) {
    this.logger = deps.logger ?? silentLogger;
    this.nextId = Number(nextOperationId(deps.journal.read()).slice(3));
  }

  /** Closes what a crash or restart left open and reports it; never resumes anything. */
  recover(): RecoveryReport[] {
    const reports = recoverJournal(this.deps.journal, this.deps.audit);
    for (const report of reports) this.logger.warn(report.message, { opId: report.opId, cluster: report.cluster });
    return reports;
  }

  /** Records where an operation's Slack message is, so a restart can update it (see recovery). */
  noteMessage(opId: string, role: MessageRole, channel: string, ts: string): void {
    const op = this.ops.get(opId);
    if (!op || !ts) return;
    this.deps.journal.append({ type: 'message', opId, cluster: op.cluster, role, channel, ts });
  }

  subscribe(listener: (event: OperationEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  clusterNames(): string[] {
    return [...this.deps.clusters.keys()];
  }

  async status(cluster: string, signal?: AbortSignal): Promise<ClusterSnapshot> {
    const { client } = this.cluster(cluster);
    return readClusterSnapshot(client, { ...(signal ? { signal } : {}), now: () => this.deps.clock.now() });
  }

  /** The dry run: exact steps against the current state, with failing preconditions as blockers. */
  async plan(cluster: string, operation: OperationKind, signal?: AbortSignal): Promise<Plan> {
    const managed = this.cluster(cluster);
    return buildPlan(operation, await this.status(cluster, signal), managed.profile);
  }

  get(opId: string): OperationRecord | undefined {
    return this.ops.get(opId);
  }

  queue(cluster: string): QueueView {
    const mine = [...this.ops.values()].filter((op) => op.cluster === cluster && isActive(op));
    return {
      running: mine.find((op) => op.status.kind === 'running'),
      pending: mine.filter((op) => op.status.kind === 'queued'),
      awaitingApproval: mine.filter((op) => op.status.kind === 'awaiting-approval'),
    };
  }

  recent(cluster: string): OperationRecord[] {
    return [...this.ops.values()].filter((op) => op.cluster === cluster && !isActive(op));
  }

  async request(input: RequestInput): Promise<RequestResult> {
    if (this.stopping.signal.aborted) return this.refuse(input, 'The bot is shutting down and takes no new operations.');
    const managed = this.deps.clusters.get(input.cluster);
    if (!managed) return { kind: 'refused', message: this.unknownCluster(input.cluster).message };
    const duplicate = this.findDuplicate(input.cluster, input.operation);
    if (duplicate) return duplicate;

    const needsApproval = this.deps.approval.requireApprovalFor.has(input.operation.kind);
    let plan: Plan | undefined;
    if (needsApproval) {
      try {
        plan = await this.plan(input.cluster, input.operation);
      } catch (error) {
        return this.refuse(input, isAppError(error) ? error.message : 'Could not read the cluster state.');
      }
      // Two identical requests may have raced through the await above: only one may win.
      const raced = this.findDuplicate(input.cluster, input.operation);
      if (raced) return raced;
    }
    const op = this.create(input, plan);
    if (plan && needsApproval) {
      const expiresAt = this.deps.clock.now() + this.deps.approval.ttlMs;
      op.status = { kind: 'awaiting-approval', expiresAt };
      this.scheduleExpiry(op);
      this.emit({ type: 'approval-needed', op, plan });
      return { kind: 'awaiting-approval', op, plan };
    }
    const position = this.enqueue(op);
    return { kind: 'queued', op, position };
  }

  /** A request turned away before it got an id: still on the record, with who asked and why. */
  private refuse(input: RequestInput, message: string): RequestResult {
    this.deps.audit.record({
      action: 'refused',
      actor: input.requestedBy,
      cluster: input.cluster,
      operation: describeOperation(input.operation),
      ...(input.channel === undefined ? {} : { channel: input.channel }),
      detail: message,
    });
    return { kind: 'refused', message };
  }

  /** `where`: the channel the decision was made in, for the audit log. */
  async approve(opId: string, by: string, where: { readonly channel?: string } = {}): Promise<DecisionResult> {
    return this.decide(opId, by, 'approve', where.channel);
  }

  async reject(opId: string, by: string, where: { readonly channel?: string } = {}): Promise<DecisionResult> {
    return this.decide(opId, by, 'reject', where.channel);
  }

  cancel(opId: string, by: string): CancelResult {
    const op = this.ops.get(opId);
    if (!op || !isActive(op)) {
      return { kind: 'not-cancellable', message: `There is no active operation ${opId}. See the queue for the current ones.` };
    }
    const what = `${op.id} (${describeOperation(op.operation)} on ${op.cluster})`;
    const audit = { action: 'cancelled' as const, actor: by, cluster: op.cluster, opId: op.id, operation: describeOperation(op.operation) };
    if (op.status.kind === 'awaiting-approval' || (op.status.kind === 'queued' && this.queues.remove(op.id))) {
      this.expiryTimers.get(op.id)?.abort();
      this.deps.audit.record({ ...audit, detail: 'removed before it started' });
      this.close(op, { kind: 'cancelled', stepId: undefined, by, where: 'before it started' });
      return { kind: 'removed', op, message: `Cancelled ${what} before it started.` };
    }
    op.cancellation.cancel(by);
    this.deps.audit.record({ ...audit, detail: 'cancel requested while running' });
    this.emit({ type: 'cancel-requested', op, by });
    return {
      kind: 'cancel-requested',
      op,
      message: `Cancelling ${what}: it stops at the next safe point (the current action finishes first).`,
    };
  }

  /**
   * Stops taking requests; queued operations are dropped and running ones end at their next safe
   * point (between steps or during a wait), recorded as interrupted. An action still in flight
   * after `graceMs` is cut too. Nothing is left looking as if it were still running.
   */
  async shutdown(reason = 'the bot is stopping', graceMs = 30_000): Promise<void> {
    this.stopping.abort(new Error(reason));
    for (const timer of this.expiryTimers.values()) timer.abort();
    for (const op of this.ops.values()) {
      if (op.status.kind === 'queued' && this.queues.remove(op.id)) {
        this.close(op, { kind: 'interrupted', stepId: undefined, reason: `${reason} before it started` });
      }
    }
    const grace = new AbortController();
    const timedOut = await Promise.race([
      this.queues.onIdle().then(() => false),
      this.deps.clock.sleep(graceMs, grace.signal).then(() => true, () => false),
    ]);
    grace.abort();
    if (timedOut) this.halting.abort(new Error(`${reason} (grace period over)`));
    await this.queues.onIdle();
  }

  async idle(): Promise<void> {
    await this.queues.onIdle();
  }

  // ---- internals ----

  private cluster(name: string): ManagedCluster {
    const managed = this.deps.clusters.get(name);
    if (!managed) throw this.unknownCluster(name);
    return managed;
  }

  private unknownCluster(name: string): AppError {
    return new AppError('UNKNOWN_CLUSTER', `There is no cluster '${name}'. Known clusters: ${this.clusterNames().join(', ') || 'none'}.`);
  }

  private findDuplicate(cluster: string, operation: OperationKind): RequestResult | undefined {
    const key = operationKey(operation);
    const existing = [...this.ops.values()].find((op) => op.cluster === cluster && isActive(op) && operationKey(op.operation) === key);
    if (!existing) return undefined;
    const state = existing.status.kind.replace('-', ' ');
    return {
      kind: 'duplicate',
      existing,
      message: `A ${describeOperation(operation)} of ${cluster} is already ${state} as ${existing.id} (requested by ${existing.requestedBy}). Nothing new was queued.`,
    };
  }

  private create(input: RequestInput, plan: Plan | undefined): OperationRecord {
    const id = `op-${this.nextId++}`;
    const op: OperationRecord = {
      id,
      cluster: input.cluster,
      operation: input.operation,
      requestedBy: input.requestedBy,
      channel: input.channel,
      requestedAt: this.deps.clock.now(),
      plan,
      approvedBy: undefined,
      status: { kind: 'queued' },
      cancellation: new Cancellation(),
    };
    this.ops.set(id, op);
    this.deps.journal.append({
      type: 'requested',
      opId: id,
      cluster: op.cluster,
      operation: op.operation,
      requestedBy: op.requestedBy,
      ...(op.channel ? { channel: op.channel } : {}),
    });
    this.deps.audit.record({
      action: 'requested',
      actor: op.requestedBy,
      cluster: op.cluster,
      opId: id,
      operation: describeOperation(op.operation),
      ...(op.channel ? { channel: op.channel } : {}),
    });
    return op;
  }

  private async decide(opId: string, by: string, decision: 'approve' | 'reject', channel: string | undefined): Promise<DecisionResult> {
    const op = this.ops.get(opId);
    if (!op) return { kind: 'not-pending', message: `There is no operation ${opId}.` };
    const audit = { actor: by, cluster: op.cluster, opId: op.id, operation: describeOperation(op.operation), ...(channel === undefined ? {} : { channel }) };
    const notPending = (): DecisionResult => ({ kind: 'not-pending', message: `${op.id} is no longer waiting for a decision (${describeStatus(op)}).` });
    if (op.status.kind !== 'awaiting-approval') return notPending();
    if (this.stopping.signal.aborted) return { kind: 'not-pending', message: `${op.id} cannot be decided now: the bot is stopping. Decide again after it is back.` };
    const check = await checkApprover(this.deps.approval, op, by);
    if (check.kind === 'denied') {
      this.deps.audit.record({ action: 'denied', ...audit, detail: `${decision} refused: ${check.reason}` });
      return { kind: 'denied', message: `You cannot ${decision} ${op.id}: ${check.reason}.` };
    }
    // Re-checked after the await: of two concurrent clicks exactly one gets past this line.
    if (op.status.kind !== 'awaiting-approval') return notPending();
    this.expiryTimers.get(op.id)?.abort();
    if (decision === 'reject') {
      op.status = { kind: 'finished', outcome: { kind: 'rejected', by } };
      this.deps.journal.append({ type: 'rejected', opId: op.id, cluster: op.cluster, by });
      this.deps.audit.record({ action: 'rejected', ...audit });
      this.emit({ type: 'rejected', op, by });
      this.trim();
      return { kind: 'rejected', op };
    }
    op.approvedBy = by;
    this.deps.journal.append({ type: 'approved', opId: op.id, cluster: op.cluster, by });
    this.deps.audit.record({ action: 'approved', ...audit });
    this.emit({ type: 'approved', op, by });
    this.enqueue(op);
    return { kind: 'approved', op };
  }

  private scheduleExpiry(op: OperationRecord): void {
    const timer = new AbortController();
    this.expiryTimers.set(op.id, timer);
    this.deps.clock
      .sleep(this.deps.approval.ttlMs, timer.signal)
      .then(() => {
        if (op.status.kind !== 'awaiting-approval') return;
        op.status = { kind: 'finished', outcome: { kind: 'expired', by: 'system' } };
        this.deps.journal.append({ type: 'expired', opId: op.id, cluster: op.cluster });
        this.deps.audit.record({ action: 'expired', actor: 'system', cluster: op.cluster, opId: op.id, operation: describeOperation(op.operation) });
        this.emit({ type: 'expired', op });
        this.trim();
      })
      .catch(() => undefined) // aborted: a decision came first
      .finally(() => this.expiryTimers.delete(op.id));
  }

  private enqueue(op: OperationRecord): number {
    op.status = { kind: 'queued' };
    const position = this.queues.size(op.cluster);
    this.emit({ type: 'queued', op, position });
    this.queues
      .enqueue(op.cluster, op.id, () => this.execute(op))
      .catch((error: unknown) => {
        // execute() records its own failures; this is the last line against a lost error.
        this.logger.error('operation crashed outside its plan', { opId: op.id, error: String(error) });
        if (isActive(op)) this.close(op, { kind: 'failed', stepId: '', reason: 'internal error; see the bot log', code: 'INTERNAL' });
      });
    return position;
  }

  private async execute(op: OperationRecord): Promise<void> {
    const { client, profile } = this.cluster(op.cluster);
    const { clock } = this.deps;
    const hard = this.halting.signal;
    const stopping = this.stopping.signal;
    op.status = { kind: 'running', stepId: undefined, stepTitle: undefined };
    let plan: Plan;
    try {
      // The plan is rebuilt from the state now: the cluster may have changed while queued. A
      // start-up may begin while the license server is still booting, so it waits for EXAoperation.
      const snapshot =
        op.operation.kind === 'cluster-startup'
          ? await waitUntil(async (signal) => ({ done: true, value: await readClusterSnapshot(client, signal ? { signal } : {}) }), {
              description: 'EXAoperation answers',
              intervalMs: profile.pollIntervalMs,
              timeoutMs: profile.timeouts.exaoperationMs,
              clock,
              signal: AbortSignal.any([hard, stopping, op.cancellation.signal]),
              tolerate: isExaoperationNotUpYet,
            })
          : await readClusterSnapshot(client, { signal: hard });
      plan = buildPlan(op.operation, snapshot, profile);
    } catch (error) {
      if (op.cancellation.requested) {
        this.close(op, { kind: 'cancelled', stepId: undefined, by: op.cancellation.by ?? 'unknown', where: 'before it started' });
      } else if (hard.aborted || stopping.aborted) {
        this.close(op, { kind: 'interrupted', stepId: undefined, reason: 'the bot stopped before the first step' });
      } else {
        const reason = isAppError(error) ? error.message : String(error);
        this.close(op, { kind: 'failed', stepId: '', reason: `could not read the cluster state: ${reason}`, code: isAppError(error) ? error.code : 'INTERNAL' });
      }
      return;
    }
    op.plan = plan;
    this.deps.journal.append({ type: 'started', opId: op.id, cluster: op.cluster, steps: plan.steps.map(({ id, title }) => ({ id, title })) });
    this.emit({ type: 'started', op, plan });
    const outcome = await runPlan({
      opId: op.id,
      plan,
      client,
      profile,
      clock,
      cancellation: op.cancellation,
      signal: hard,
      stopping,
      onEvent: (event) => {
        if (event.type === 'step-started') op.status = { kind: 'running', stepId: event.step.id, stepTitle: event.step.title };
        if (event.type !== 'finished') recordProgress(this.deps.journal, this.deps.audit, op, event);
        this.emit({ type: 'progress', op, event });
      },
    });
    this.close(op, outcome, false);
  }

  /** Ends an operation: status, journal, audit, and (unless the runner already did) a final event. */
  private close(op: OperationRecord, outcome: OperationOutcome, emitFinished = true): void {
    op.status = { kind: 'finished', outcome };
    const reason = outcomeReason(outcome);
    const stepId = 'stepId' in outcome && outcome.stepId ? { stepId: outcome.stepId } : {};
    const journalOutcome = outcome.kind;
    this.deps.journal.append({ type: 'finished', opId: op.id, cluster: op.cluster, outcome: journalOutcome, ...(reason ? { reason } : {}), ...stepId });
    this.deps.audit.record({
      action: 'finished',
      actor: 'system',
      cluster: op.cluster,
      opId: op.id,
      operation: describeOperation(op.operation),
      detail: reason ? `${outcome.kind}: ${reason}` : outcome.kind,
    });
    if (emitFinished) this.emit({ type: 'progress', op, event: { type: 'finished', outcome, snapshot: undefined, at: this.deps.clock.now() } });
    this.trim();
  }

  private emit(event: OperationEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger.error('an operation listener failed', { error: String(error) });
      }
    }
  }

  /** Keeps finished operations for the queue view, within a bound, so memory does not grow. */
  private trim(): void {
    const finished = [...this.ops.values()].filter((op) => !isActive(op));
    for (const op of finished.slice(0, Math.max(0, finished.length - RECENT_LIMIT))) this.ops.delete(op.id);
  }

  // ---- read-only views for the adapters (logs, nodes) ----

  /** The newest `count` entries of the profile's logservice, newest first (as EXAoperation sends them). */
  async logs(cluster: string, count: number, signal?: AbortSignal): Promise<readonly LogEntry[]> {
    const { client, profile } = this.cluster(cluster);
    const { entries } = await client.logEntries(profile.logservice, signal ? { signal } : {});
    return entries.slice(0, Math.max(0, count));
  }

  /** Every data node's state and the article's online test (dmidecode answers), read in parallel. */
  async nodes(
    cluster: string,
    signal?: AbortSignal,
  ): Promise<{
    readonly takenAt: number;
    readonly master: string;
    readonly licenseServers: readonly string[];
    readonly nodes: readonly { readonly name: string; readonly status: NodeStatus; readonly online: boolean }[];
  }> {
    const { client, profile } = this.cluster(cluster);
    const call = signal ? { signal } : {};
    const [names, master] = await Promise.all([client.getNodeList(call), client.getEXAoperationMaster(call)]);
    const nodes = await Promise.all(
      names.map(async (name) => {
        const [state, hardware] = await Promise.all([client.getNodeState(name, call), client.getHardwareInformation(name, call)]);
        return { name, status: state.status, online: hardware.online };
      }),
    );
    return { takenAt: this.deps.clock.now(), master, licenseServers: profile.licenseServers, nodes };
  }
}

function outcomeReason(outcome: OperationOutcome): string | undefined {
  switch (outcome.kind) {
    case 'succeeded':
      return outcome.warnings ? `${outcome.warnings} warning(s)` : undefined;
    case 'failed':
      return outcome.reason;
    case 'refused':
      return outcome.reasons.join('; ');
    case 'cancelled':
      return `cancelled by ${outcome.by} ${outcome.where}`;
    case 'interrupted':
      return outcome.reason;
  }
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
