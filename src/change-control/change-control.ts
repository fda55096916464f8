import type { ApprovalPolicy } from '../operations/approval-policy.js';
import type { AuditEntry } from '../operations/audit-log.js';
import { errorMessage } from '../operations/operation-core.js';
import type { AuditWriter } from '../store/operation-store.js';
import type { Clock } from '../util/clock.js';
import { formatUntil, type ChangeGate } from './change-gate.js';
import type { ControlRecord } from './control-record.js';
import type { Hold } from './holds.js';
import type { ScheduleView } from './schedule-view-model.js';

export type HoldResult =
  | { readonly kind: 'held'; readonly hold: Hold; readonly replaced: Hold | undefined }
  | { readonly kind: 'lifted'; readonly hold: Hold }
  | { readonly kind: 'refused'; readonly message: string };

/** What lists the schedules (the scheduler, once it runs). */
export interface ScheduleSource {
  list(cluster: string | undefined): readonly ScheduleView[];
}

/**
 * Holds, the audit summary and the schedule list, for the commands: the part of change control
 * that is not the request path (that is approval-workflow.ts with the gate). Every change is
 * written (control store, then audit log) before it counts.
 */
export class ChangeControl {
  private scheduleSource: ScheduleSource | undefined;

  constructor(
    readonly gate: ChangeGate | undefined,
    private readonly audit: AuditWriter,
    private readonly approval: Pick<ApprovalPolicy, 'isApprover'>,
    private readonly clock: Pick<Clock, 'now'>,
  ) {}

  /** At start, before requests are taken: the holds a previous run set, from the control record. */
  load(records: readonly ControlRecord[]): void {
    this.gate?.holds?.load(records);
  }

  attachSchedules(source: ScheduleSource): void {
    this.scheduleSource = source;
  }

  schedules(cluster: string | undefined): readonly ScheduleView[] {
    return this.scheduleSource?.list(cluster) ?? [];
  }

  async hold(cluster: string, by: string, durationMs: number, reason: string, channel: string | undefined): Promise<HoldResult> {
    const holds = this.gate?.holds;
    if (!holds) return { kind: 'refused', message: 'Holds are not available here (no control store).' };
    const replaced = holds.active(cluster);
    // A new hold that ends sooner than someone else's would lift theirs early: that takes what
    // lifting takes (whoever set it, or an approver). One that lasts as long or longer only adds safety.
    if (replaced && replaced.by !== by && this.clock.now() + durationMs < replaced.until && !(await this.approval.isApprover(by, cluster))) {
      return {
        kind: 'refused',
        message: `${cluster} is on hold until ${formatUntil(replaced.until, 'UTC')}, set by ${replaced.by} (${replaced.reason}); a shorter hold would lift theirs early, which only they or an approver may do. A hold at least that long replaces it.`,
      };
    }
    try {
      const hold = await holds.set(cluster, by, reason, durationMs);
      await this.audit.record({ action: 'held', actor: by, cluster, reason, detail: `until ${new Date(hold.until).toISOString()}${replaced ? ` (replaces the hold by ${replaced.by})` : ''}`, ...(channel ? { channel } : {}) });
      return { kind: 'held', hold, replaced };
    } catch (error) {
      return { kind: 'refused', message: `The hold could not be recorded, so there is none: ${errorMessage(error)}` };
    }
  }

  /** Lifting a hold removes a safety: whoever set it, or an approver, may. */
  async unhold(cluster: string, by: string, channel: string | undefined): Promise<HoldResult> {
    const holds = this.gate?.holds;
    const hold = holds?.active(cluster);
    if (!holds || !hold) return { kind: 'refused', message: `There is no hold on ${cluster} to lift.` };
    if (hold.by !== by && !(await this.approval.isApprover(by, cluster))) {
      return { kind: 'refused', message: `The hold on ${cluster} was set by ${hold.by} (${hold.reason}); only they or an approver of ${cluster} may lift it. It ends by itself at ${formatUntil(hold.until, 'UTC')}.` };
    }
    try {
      await holds.lift(cluster, by);
      await this.audit.record({ action: 'unheld', actor: by, cluster, reason: hold.reason, detail: `hold by ${hold.by} lifted`, ...(channel ? { channel } : {}) });
      return { kind: 'lifted', hold };
    } catch (error) {
      return { kind: 'refused', message: `The hold could not be lifted (nothing changed): ${errorMessage(error)}` };
    }
  }

  /** The audit entries since `since` (ms), for /exa audit. */
  async entries(since: number): Promise<readonly AuditEntry[]> {
    if (!this.audit.read) return [];
    return (await this.audit.read(since)).filter((e) => Date.parse(e.at) >= since);
  }

  now(): number {
    return this.clock.now();
  }
}
