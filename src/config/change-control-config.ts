import { readFileSync } from 'node:fs';
import { Cron } from 'croner';
import { isTimeZone, parseWindowTimes, type FreezeWindow } from '../change-control/freeze-calendar.js';
import { FROZEN_BY_DEFAULT } from '../change-control/change-gate.js';
import { OPERATION_NAMES, type OperationKind, type OperationName } from '../lifecycle/operation-kind.js';
import type { ApprovalRule } from '../operations/approval-rules.js';
import type { Principal } from './app-config.js';
import { schemaProblems, type ChangeControlEntry } from './file-schemas.js';
import { didYouMean } from './suggest.js';

/** A schedule as configured: what runs when, why, and who answers for it. */
export interface ScheduleConfig {
  readonly id: string;
  readonly cluster: string;
  readonly operation: OperationKind;
  readonly cron: string;
  readonly timeZone: string;
  /** The notice with Snooze and Skip goes out this long before the run. */
  readonly noticeMinutes: number;
  /** Where the notice and the run's messages go. */
  readonly channel: string;
  readonly configuredBy: string;
  readonly reason: string;
  /** Runs without waiting for approvers (never on a critical cluster's shut-down). */
  readonly waiveApproval: boolean;
}

export interface ChangeControlConfig {
  readonly rules: readonly ApprovalRule[];
  readonly freezes: readonly FreezeWindow[];
  readonly schedules: readonly ScheduleConfig[];
}

export const NO_CHANGE_CONTROL: ChangeControlConfig = { rules: [], freezes: [], schedules: [] };
export const DEFAULT_NOTICE_MINUTES = 15;

interface ClusterFacts {
  readonly name: string;
  readonly critical: boolean;
  readonly notifyChannel: string | undefined;
}

/**
 * EXA_CHANGE_CONTROL_FILE (issue 17): approval rules, freeze windows and schedules, checked as a
 * whole: every problem is listed with where it is and how to fix it, and one mistake refuses the
 * start rather than leaving a rule or a window out in silence.
 */
export function changeControlConfig(env: NodeJS.ProcessEnv, clusters: readonly ClusterFacts[], problems: string[], warnings: string[] = []): ChangeControlConfig {
  const file = env['EXA_CHANGE_CONTROL_FILE'];
  if (!file) return NO_CHANGE_CONTROL;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    problems.push(`EXA_CHANGE_CONTROL_FILE ${file} is not readable JSON (${error instanceof Error ? error.message : String(error)})`);
    return NO_CHANGE_CONTROL;
  }
  const shape = schemaProblems('changeControlFileSchema', raw, (path) =>
    path.length === 0 ? `EXA_CHANGE_CONTROL_FILE ${file} must be {"approvalRules": […], "freezes": […], "schedules": […]}` : `EXA_CHANGE_CONTROL_FILE "${path.join('.')}"`,
  );
  if (shape.length > 0) {
    problems.push(...shape);
    return NO_CHANGE_CONTROL;
  }
  const entry = raw as ChangeControlEntry;
  const names = clusters.map((c) => c.name);
  const checkClusters = (list: readonly string[] | '*' | undefined, at: string): readonly string[] | '*' => {
    if (list === undefined || list === '*') return '*';
    for (const name of list) if (!names.includes(name)) problems.push(`${at} "clusters" names unknown cluster '${name}'${didYouMean(name, names)}; known: ${names.join(', ')}`);
    return list;
  };
  const rules = (entry.approvalRules ?? []).map((r, i): ApprovalRule => {
    const at = `EXA_CHANGE_CONTROL_FILE approval rule ${i + 1}`;
    const from = r.from?.map((id): Principal => (id.startsWith('S') ? { kind: 'group', id } : { kind: 'user', id }));
    // With only users listed, fewer of them than approvals needed could never approve anything.
    if (from && !from.some((p) => p.kind === 'group') && new Set(from.map((p) => p.id)).size < r.approvals) {
      problems.push(`${at} needs ${r.approvals} approvals but "from" lists only ${new Set(from.map((p) => p.id)).size} user(s): nothing could ever be approved; list more, or a user group`);
    } else if (from && !from.some((p) => p.kind === 'group') && new Set(from.map((p) => p.id)).size === r.approvals) {
      warnings.push(`${at} needs ${r.approvals} approvals and "from" lists exactly ${r.approvals} users: a request by one of them, or a break-glass request (one approver more), can never be approved; list more, or a user group`);
    }
    return { clusters: checkClusters(r.clusters, at), operations: r.operations ?? '*', approvals: r.approvals, ...(from ? { from } : {}) };
  });
  const freezes = (entry.freezes ?? []).flatMap((f, i): FreezeWindow[] => {
    const at = `EXA_CHANGE_CONTROL_FILE freeze ${i + 1}${f.name ? ` ('${f.name}')` : ''}`;
    const times = parseWindowTimes(f.from, f.to, f.timeZone);
    if (typeof times === 'string') {
      problems.push(`${at}: ${times}`);
      return [];
    }
    const operations: readonly OperationName[] = f.operations === undefined ? FROZEN_BY_DEFAULT : f.operations === '*' ? OPERATION_NAMES : f.operations;
    return [{ name: f.name ?? `${f.from} – ${f.to}`, clusters: checkClusters(f.clusters, at), operations, timeZone: f.timeZone, reason: f.reason, ...times }];
  });
  const seen = new Set<string>();
  const schedules = (entry.schedules ?? []).flatMap((s, i): ScheduleConfig[] => {
    const at = `EXA_CHANGE_CONTROL_FILE schedule ${i + 1} ('${s.id}')`;
    const before = problems.length;
    if (seen.has(s.id)) problems.push(`${at}: the id '${s.id}' is used twice; each schedule needs its own (snoozes and skips are kept by id)`);
    seen.add(s.id);
    const cluster = clusters.find((c) => c.name === s.cluster);
    if (!cluster) problems.push(`${at} names unknown cluster '${s.cluster}'${didYouMean(s.cluster, names)}; known: ${names.join(', ')}`);
    if (!isTimeZone(s.timeZone)) problems.push(`${at}: "timeZone" '${s.timeZone}' is not an IANA time zone such as Europe/Berlin or UTC`);
    else {
      try {
        new Cron(s.cron, { timezone: s.timeZone, paused: true });
      } catch (error) {
        problems.push(`${at}: "cron" '${s.cron}' is not a cron expression (${error instanceof Error ? error.message : String(error)}); e.g. "0 20 * * 1-5" for weekdays at 20:00`);
      }
    }
    const needsDatabase = s.operation === 'database-start' || s.operation === 'database-stop';
    if (needsDatabase && !s.database) problems.push(`${at}: a ${s.operation} needs "database"`);
    if (!needsDatabase && s.database) problems.push(`${at}: "database" goes with database-start or database-stop only`);
    if (s.waiveApproval && cluster?.critical && s.operation === 'cluster-shutdown') {
      problems.push(`${at}: cluster ${s.cluster} is critical, so its shut-down is always approved by someone typing its name; "waiveApproval" cannot apply`);
    }
    const channel = s.channel ?? cluster?.notifyChannel;
    if (!channel) problems.push(`${at} has no "channel" and cluster ${s.cluster} no notifyChannel: the notice must go somewhere people see it`);
    if (problems.length > before || !channel) return [];
    const operation: OperationKind = needsDatabase ? { kind: s.operation as 'database-start' | 'database-stop', database: s.database as string } : ({ kind: s.operation } as OperationKind);
    return [{ id: s.id, cluster: s.cluster, operation, cron: s.cron, timeZone: s.timeZone, noticeMinutes: s.noticeMinutes ?? DEFAULT_NOTICE_MINUTES, channel, configuredBy: s.configuredBy, reason: s.reason, waiveApproval: s.waiveApproval === true }];
  });
  return { rules, freezes, schedules };
}
