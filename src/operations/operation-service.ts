import type { ChangeGate } from '../change-control/change-gate.js';
import { ChangeControl } from '../change-control/change-control.js';
import type { LogEntry, NodeStatus } from '../exaoperation/types.js';
import { describeOperation, type OperationKind } from '../lifecycle/operation-kind.js';
import type { Plan } from '../lifecycle/plan.js';
import type { ClusterSnapshot } from '../lifecycle/snapshot.js';
import type { Logger } from '../logging/logger.js';
import { silentLogger } from '../logging/logger.js';
import type { Clock } from '../util/clock.js';
import type { ApprovalPolicy } from './approval-policy.js';
import { ApprovalWorkflow, closeUnstarted, type DecisionResult, type RequestInput, type RequestResult } from './approval-workflow.js';
import { ClusterQueues } from './cluster-queue.js';
import { ClusterReader, type ManagedCluster } from './cluster-reader.js';
import type { OperationStore } from '../store/operation-store.js';
import type { MessageRef, MessageRole } from './journal-record.js';
import { Ledger } from './ledger.js';
import { closeOperation, errorMessage, type OperationCore } from './operation-core.js';
import { OperationEvents } from './operation-events.js';
import { isActive, type OperationEvent, type OperationRecord } from './operation-record.js';
import { OperationRegistry, type QueueView } from './operation-registry.js';
import { OperationRunner } from './operation-runner.js';
import { closeUnfinished, findUnfinished, recoverJournal, type RecoveryReport, type UnfinishedOperation } from './recovery.js';
import { journalledPlan, resumePoint } from './reattach.js';

export type { ManagedCluster } from './cluster-reader.js';
export type { DecisionResult, RequestInput, RequestResult } from './approval-workflow.js';
export { describeStatus } from './approval-workflow.js';
export type { QueueView } from './operation-registry.js';

export interface OperationServiceDeps {
  readonly clusters: ReadonlyMap<string, ManagedCluster>;
  /** The journal, the audit log and the ids: files (one process) or PostgreSQL. */
  readonly store: OperationStore;
  readonly clock: Clock;
  readonly approval: ApprovalPolicy;
  /** Freeze windows and holds (issue 17); absent: nothing is frozen. */
  readonly gate?: ChangeGate;
  readonly logger?: Logger;
}

/** What a replica that took over found (see takeOver). */
export interface TakeoverReport {
  /** Closed and reported as after a restart: nothing that was safe to go on with. */
  readonly closed: readonly RecoveryReport[];
  readonly resumed: readonly TakenOver[];
}

export interface TakenOver {
  readonly opId: string;
  readonly cluster: string;
  /** Going on with its plan, queued again (approved, not started), or still waiting for approval. */
  readonly how: 'resumed' | 'requeued' | 'awaiting-approval';
  /** Where its approval request is, for one still waiting: a decision edits that message. */
  readonly approvalMessage?: MessageRef;
}

export type CancelResult =
  | { readonly kind: 'removed'; readonly op: OperationRecord; readonly message: string }
  | { readonly kind: 'cancel-requested'; readonly op: OperationRecord; readonly message: string }
  | { readonly kind: 'not-cancellable'; readonly message: string };

/**
 * The facade every adapter (Slack, console) talks to. The flow reads from the folder: requests and
 * decisions in approval-workflow.ts, conflicts.ts for what may not queue together, the runner in
 * operation-runner.ts, every journal and audit write in ledger.ts, the read side in
 * cluster-reader.ts. Expected outcomes (a duplicate, a refused click) are values.
 */
export class OperationService {
  private readonly core: OperationCore;
  /** Holds, the audit summary and the schedules list (the commands' side of change control). */
  readonly control: ChangeControl;
  private readonly approvals: ApprovalWorkflow;
  private readonly runner: OperationRunner;
  private readonly stopping = new AbortController();
  private readonly halting = new AbortController();

  constructor(private readonly deps: OperationServiceDeps) {
    const logger = deps.logger ?? silentLogger;
    this.core = {
      registry: new OperationRegistry(),
      ledger: new Ledger(deps.store, logger),
      allocateId: () => deps.store.allocateId(),
      events: new OperationEvents(logger),
      queues: new ClusterQueues(),
      reader: new ClusterReader(deps.clusters, deps.clock),
      clock: deps.clock,
      approval: deps.approval,
      gate: deps.gate,
      logger,
      stopping: this.stopping.signal,
      halting: this.halting.signal,
    };
    this.control = new ChangeControl(deps.gate, deps.store.audit, deps.approval, deps.clock);
    this.approvals = new ApprovalWorkflow(this.core, (op) => this.enqueue(op));
    this.runner = new OperationRunner(this.core, this.approvals);
  }

  /** Closes what a crash or restart left open and reports it; never resumes anything. */
  async recover(): Promise<RecoveryReport[]> {
    await this.logJournalHealth();
    const reports = await recoverJournal(this.deps.store.journal, this.deps.store.audit);
    for (const report of reports) this.core.logger.warn(report.message, { opId: report.opId, cluster: report.cluster });
    return reports;
  }

  /**
   * PostgreSQL store, once this replica holds every cluster's executor lock: what the replica that
   * died left unfinished is taken over where that is safe (reattach.ts) — a running operation goes
   * on with the rest of its approved plan, an approved one not yet started is queued again — and
   * the rest is closed and reported as after a restart. `by` names this replica.
   */
  async takeOver(by: string): Promise<TakeoverReport> {
    const { core } = this;
    const { journal, audit } = this.deps.store;
    await this.logJournalHealth();
    const closed: RecoveryReport[] = [];
    const resumed: TakenOver[] = [];
    for (const unfinished of findUnfinished(await journal.read())) {
      const known = core.reader.names().includes(unfinished.cluster);
      const plan = known && unfinished.phase === 'running' ? journalledPlan(unfinished) : undefined;
      const point = plan && resumePoint(unfinished, plan);
      if (plan && point?.kind === 'at') {
        const op = this.revive(unfinished, plan);
        const progressMessage = unfinished.messages.progress;
        this.schedule(op, () => this.runner.resume(op, { plan, point, by, outcomes: unfinished.outcomes, ...(progressMessage ? { progressMessage } : {}) }));
        resumed.push({ opId: op.id, cluster: op.cluster, how: 'resumed' });
        continue;
      }
      const asked = known && unfinished.phase === 'pending' && unfinished.approvedBy === undefined ? journalledPlan(unfinished, 'requested') : undefined;
      const left = unfinished.requestedAt + core.approval.ttlMs - core.clock.now();
      if (asked && left > 0) {
        // Its approval request is still in the channel: a click on it reaches this replica now.
        const op = this.revive(unfinished, asked);
        await core.ledger.reattached(op, by, undefined, `Taken over by ${by}: still waiting for approval, for what is left of its time.`);
        this.approvals.waitOn(op, left);
        const approvalMessage = unfinished.messages.approval;
        resumed.push({ opId: op.id, cluster: op.cluster, how: 'awaiting-approval', ...(approvalMessage ? { approvalMessage } : {}) });
        continue;
      }
      if (known && unfinished.phase === 'pending' && unfinished.approvedBy !== undefined && unfinished.approvedActions !== undefined) {
        const op = this.revive(unfinished, undefined);
        await core.ledger.reattached(op, by, undefined, `Taken over by ${by}: approved, not started; queued again (its plan is rebuilt from the live state and may do no more than was approved).`);
        this.enqueue(op);
        resumed.push({ opId: op.id, cluster: op.cluster, how: 'requeued' });
        continue;
      }
      const report = await closeUnfinished(unfinished, journal, audit);
      core.logger.warn(report.message, { opId: report.opId, cluster: report.cluster });
      closed.push(report);
    }
    for (const r of resumed) core.logger.info(`taken over: ${r.how === 'resumed' ? 'going on with the operation' : r.how === 'requeued' ? 'queued again' : 'still waiting for approval'}`, { opId: r.opId, cluster: r.cluster, by });
    return { closed, resumed };
  }

  /** An operation of the journal back in memory, as the replica that took over knows it. */
  private revive(unfinished: UnfinishedOperation, plan: Plan | undefined): OperationRecord {
    const { core } = this;
    const op = core.registry.draft(
      unfinished.opId,
      {
        cluster: unfinished.cluster,
        operation: unfinished.operation,
        requestedBy: unfinished.requestedBy,
        ...(unfinished.channel ? { channel: unfinished.channel } : {}),
        ...(unfinished.reason === undefined ? {} : { reason: unfinished.reason }),
        ...(unfinished.override ? { override: true as const } : {}),
        ...(unfinished.schedule ? { schedule: unfinished.schedule } : {}),
      },
      unfinished.requestedAt,
      plan,
    );
    // Approvals already counted stay counted; how many it needs follows from the same rules here.
    if (plan) this.approvals.setNeed(op, [...(unfinished.approvals ?? [])]);
    op.approvedBy = unfinished.approvedBy;
    op.approvedActions = unfinished.approvedActions;
    core.registry.add(op);
    return op;
  }

  private async logJournalHealth(): Promise<void> {
    const health = await this.deps.store.journal.health();
    if (health.archived) this.core.logger.info(`the journal was compacted; its history is in ${health.archived}`);
    if (health.damagedLines.length > 0 || health.unknownRecords > 0) {
      // Reported, never silently dropped: a torn last line after a kill, or damage by hand.
      this.core.logger.warn(
        `the journal has ${health.damagedLines.length} unreadable line(s)${health.damagedLines.length ? ` (line ${health.damagedLines.slice(0, 10).join(', ')})` : ''}` +
          `${health.unknownRecords ? ` and ${health.unknownRecords} record(s) of an unknown shape` : ''}; they were skipped. A torn last line after a kill is expected; anything else means the file was changed by hand.`,
      );
    }
  }

  /** Records where an operation's Slack message is, so a restart can update it (see recovery). */
  async noteMessage(opId: string, role: MessageRole, channel: string, ts: string): Promise<void> {
    const op = this.core.registry.get(opId);
    if (!op || !ts) return;
    try {
      await this.core.ledger.message(op, role, channel, ts);
    } catch (error) {
      // Only a restart's clean-up of old messages depends on it; the operation itself goes on.
      this.core.logger.error('could not record where a message is', { opId, error: errorMessage(error) });
    }
  }

  subscribe(listener: (event: OperationEvent) => void): () => void {
    return this.core.events.subscribe(listener);
  }

  clusterNames(): string[] {
    return this.core.reader.names();
  }

  status(cluster: string, signal?: AbortSignal): Promise<ClusterSnapshot> {
    return this.core.reader.status(cluster, signal);
  }

  plan(cluster: string, operation: OperationKind, signal?: AbortSignal): Promise<Plan> {
    return this.core.reader.plan(cluster, operation, signal);
  }

  logs(cluster: string, count: number, signal?: AbortSignal): Promise<readonly LogEntry[]> {
    return this.core.reader.logs(cluster, count, signal);
  }

  nodes(cluster: string, signal?: AbortSignal): Promise<{
    readonly takenAt: number;
    readonly master: string;
    readonly licenseServers: readonly string[];
    readonly nodes: readonly { readonly name: string; readonly status: NodeStatus; readonly online: boolean }[];
  }> {
    return this.core.reader.nodes(cluster, signal);
  }

  get(opId: string): OperationRecord | undefined {
    return this.core.registry.get(opId);
  }

  queue(cluster: string): QueueView {
    return this.core.registry.queue(cluster);
  }

  recent(cluster: string): OperationRecord[] {
    return this.core.registry.recent(cluster);
  }

  request(input: RequestInput): Promise<RequestResult> {
    return this.approvals.request(input);
  }

  /**
   * `where`: the channel the decision was made in, for the audit log; `typedName`: the cluster name
   * the approver typed, which a critical cluster's shut-down needs (approval-policy.ts).
   */
  approve(opId: string, by: string, where: { readonly channel?: string; readonly typedName?: string } = {}): Promise<DecisionResult> {
    return this.approvals.decide(opId, by, 'approve', where.channel, where.typedName);
  }

  reject(opId: string, by: string, where: { readonly channel?: string } = {}): Promise<DecisionResult> {
    return this.approvals.decide(opId, by, 'reject', where.channel);
  }

  async cancel(opId: string, by: string): Promise<CancelResult> {
    const { core } = this;
    const op = core.registry.get(opId);
    const inactive = (): CancelResult => ({ kind: 'not-cancellable', message: `There is no active operation ${opId}. See the queue for the current ones.` });
    if (!op || !isActive(op)) return inactive();
    const what = `${op.id} (${describeOperation(op.operation)} on ${op.cluster})`;
    // A request waiting for approval is withdrawn like a decision: not while another is written.
    const claimed = op.status.kind === 'awaiting-approval';
    if (claimed && !this.approvals.beginDecision(op.id)) {
      return { kind: 'not-cancellable', message: `${op.id} is being decided right now; look at its message in a moment, then cancel it if it is still waiting.` };
    }
    try {
      const waiting = op.status.kind === 'awaiting-approval' || op.status.kind === 'queued';
      try {
        await core.ledger.cancelled(op, by, waiting ? 'removed before it started' : 'cancel requested while running');
      } catch (error) {
        return { kind: 'not-cancellable', message: `The cancel of ${op.id} could not be recorded, so it did not count: ${errorMessage(error)}` };
      }
      // The operation may have moved on while the cancel was written (started, or ended).
      if (!isActive(op)) return inactive();
      if (op.status.kind === 'awaiting-approval' || (op.status.kind === 'queued' && core.queues.remove(op.id))) {
        this.approvals.withdraw(op);
        await closeUnstarted(core, op, by);
        return { kind: 'removed', op, message: `Cancelled ${what} before it started.` };
      }
    } finally {
      if (claimed) this.approvals.endDecision(op.id);
    }
    op.cancellation.cancel(by);
    core.events.emit({ type: 'cancel-requested', op, by });
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
    const { core } = this;
    this.stopping.abort(new Error(reason));
    this.approvals.stopAll();
    for (const op of [...core.registry.all()]) {
      if (op.status.kind === 'queued' && core.queues.remove(op.id)) {
        await closeOperation(core, op, { kind: 'interrupted', stepId: undefined, reason: `${reason} before it started` });
      }
    }
    const grace = new AbortController();
    const timedOut = await Promise.race([
      core.queues.onIdle().then(() => false),
      core.clock.sleep(graceMs, grace.signal).then(() => true, () => false),
    ]);
    grace.abort();
    if (timedOut) this.halting.abort(new Error(`${reason} (grace period over)`));
    await core.queues.onIdle();
  }

  async idle(): Promise<void> {
    await this.core.queues.onIdle();
  }

  private enqueue(op: OperationRecord): number {
    const { core } = this;
    op.status = { kind: 'queued' };
    const position = core.queues.size(op.cluster);
    core.events.emit({ type: 'queued', op, position });
    this.schedule(op, () => this.runner.execute(op));
    return position;
  }

  /** Puts `job` for `op` in its cluster's queue: one operation at a time per cluster. */
  private schedule(op: OperationRecord, job: () => Promise<void>): void {
    const { core } = this;
    core.queues
      .enqueue(op.cluster, op.id, job)
      .catch((error: unknown) => {
        // execute() records its own failures; this is the last line against a lost error.
        core.logger.error('operation crashed outside its plan', { opId: op.id, error: String(error) });
        if (isActive(op)) void closeOperation(core, op, { kind: 'failed', stepId: '', reason: 'internal error; see the bot log', code: 'INTERNAL' });
      });
  }
}
