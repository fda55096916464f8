import type { Role } from '../access/role.js';
import { isAppError } from '../errors/app-error.js';
import type { Logger } from '../logging/logger.js';
import { silentLogger } from '../logging/logger.js';
import { parseSince } from '../audit/audit-query.js';
import { renderAuditSummary } from '../messages/audit-view.js';
import { renderHeld, renderUnheld } from '../messages/hold-view.js';
import { renderSchedules } from '../messages/schedules-view.js';
import { renderApprovalCounted, renderApprovalDecided, renderApprovalRequest } from '../messages/approval-view.js';
import { renderError, renderProblem } from '../messages/error-view.js';
import { renderHelp } from '../messages/help-view.js';
import { capitalise, operationTitle } from '../messages/labels.js';
import { renderLogs } from '../messages/logs-view.js';
import type { Message } from '../messages/message.js';
import { renderNodes } from '../messages/nodes-view.js';
import { renderNotice } from '../messages/notice-view.js';
import { renderPlan } from '../messages/plan-view.js';
import { renderQueue } from '../messages/queue-view.js';
import { renderStatus } from '../messages/status-view.js';
import type { OperationService, RequestResult } from '../operations/operation-service.js';
import { COMMANDS } from './command-catalogue.js';
import type { Command } from './parse-command.js';

/** The part of the application core commands use; a narrower port than the whole service. */
export type CommandService = Pick<
  OperationService,
  'clusterNames' | 'status' | 'nodes' | 'plan' | 'queue' | 'logs' | 'request' | 'approve' | 'reject' | 'cancel' | 'control'
>;

export interface CommandContext {
  readonly service: CommandService;
  /** Who typed it: a Slack user id, or 'console'. Recorded as requester or approver. */
  readonly user: string;
  readonly channel?: string;
  /** Used when the command names no cluster (the channel's cluster, say). */
  readonly defaultCluster: string;
  /** The roles the user holds on the default cluster in this channel, for help; absent = no access control (the console). */
  readonly roles?: readonly Role[];
  /** Whether the user may view a cluster (its audit entries); absent: every cluster (the console). */
  readonly mayView?: (cluster: string) => Promise<boolean>;
  /** Cancels the EXAoperation calls a read (status, plan, logs) makes. */
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
}

/** Who sees the reply: only the user who typed (`ephemeral`), or everyone in the channel. */
export interface Reply {
  readonly visibility: 'ephemeral' | 'channel';
  readonly message: Message;
  /**
   * Set when the message is the approval request of this operation: the adapter keeps a handle on
   * the posted message, to replace it (without buttons) once someone decides or it expires.
   */
  readonly approvalFor?: string;
}

const onlyYou = (message: Message): Reply => ({ visibility: 'ephemeral', message });
const everyone = (message: Message): Reply => ({ visibility: 'channel', message });

/**
 * Runs one parsed command against the service and renders the answer. Never throws for anything a
 * user can cause: an unknown cluster or database, an EXAoperation failure, a duplicate, a denial
 * all come back as an ephemeral reply. Reads answer only the asker; what changes a cluster (a
 * request, a decision, a cancel) is shown to the channel.
 */
export async function handleCommand(command: Command, ctx: CommandContext): Promise<Reply> {
  try {
    return await dispatch(command, ctx);
  } catch (error) {
    if (!isAppError(error)) {
      (ctx.logger ?? silentLogger).error('command failed unexpectedly', { command: command.kind, error: String(error) });
    }
    return onlyYou(renderError(error));
  }
}

async function dispatch(command: Command, ctx: CommandContext): Promise<Reply> {
  const { service, signal } = ctx;
  if (command.kind === 'invalid') return onlyYou(renderProblem(command.message));
  if (command.kind === 'help') {
    const audience = ctx.roles === undefined ? undefined : { roles: ctx.roles, cluster: ctx.defaultCluster };
    return onlyYou(renderHelp(COMMANDS, ctx.defaultCluster, audience));
  }
  if (command.kind === 'approve' || command.kind === 'reject') return decide(command.kind, command.opId, ctx, command.kind === 'approve' ? command.typedName : undefined);
  if (command.kind === 'cancel') {
    const result = await service.cancel(command.opId, ctx.user);
    return result.kind === 'not-cancellable' ? onlyYou(renderProblem(result.message)) : everyone(renderNotice(result.message));
  }

  if (command.kind === 'schedules') return onlyYou(renderSchedules(command.cluster, service.control.schedules(command.cluster)));
  if (command.kind === 'audit') return audit(command.cluster, command.since, ctx);
  const cluster = command.cluster ?? ctx.defaultCluster;
  const known = service.clusterNames();
  if (!known.includes(cluster)) {
    return onlyYou(renderProblem(`There is no cluster '${cluster}'. Known clusters: ${known.join(', ') || 'none'}.`));
  }
  switch (command.kind) {
    case 'status':
      return onlyYou(renderStatus(cluster, await service.status(cluster, signal)));
    case 'nodes':
      return onlyYou(renderNodes(cluster, await service.nodes(cluster, signal)));
    case 'plan':
      return onlyYou(renderPlan(await service.plan(cluster, command.operation, signal)));
    case 'queue':
      return onlyYou(renderQueue(cluster, service.queue(cluster)));
    case 'logs':
      return onlyYou(renderLogs(cluster, await service.logs(cluster, command.count, signal)));
    case 'request': {
      // A database name is the one target a user types: check it against the cluster before
      // anything is queued, so a typo gets an answer now instead of a failed operation later.
      if ('database' in command.operation) await service.plan(cluster, command.operation, signal);
      const result = await service.request({
        cluster,
        operation: command.operation,
        requestedBy: ctx.user,
        ...(ctx.channel === undefined ? {} : { channel: ctx.channel }),
        ...(command.reason === undefined ? {} : { reason: command.reason }),
        ...(command.override ? { override: true as const } : {}),
      });
      return requestReply(result);
    }
    case 'hold': {
      const result = await service.control.hold(cluster, ctx.user, command.durationMs, command.reason ?? '', ctx.channel);
      if (result.kind === 'refused') return onlyYou(renderProblem(result.message));
      return everyone(result.kind === 'held' ? renderHeld(result.hold, result.replaced) : renderUnheld(result.hold, ctx.user));
    }
    case 'unhold': {
      const result = await service.control.unhold(cluster, ctx.user, ctx.channel);
      if (result.kind === 'refused') return onlyYou(renderProblem(result.message));
      return everyone(result.kind === 'held' ? renderHeld(result.hold, result.replaced) : renderUnheld(result.hold, ctx.user));
    }
  }
}

/** `/exa audit [cluster] [since]`: the summary, for the asker only (it names people and reasons). */
async function audit(cluster: string | undefined, sinceText: string | undefined, ctx: CommandContext): Promise<Reply> {
  const { control } = ctx.service;
  if (cluster !== undefined && !ctx.service.clusterNames().includes(cluster)) {
    return onlyYou(renderProblem(`There is no cluster '${cluster}'. Known clusters: ${ctx.service.clusterNames().join(', ') || 'none'}.`));
  }
  const now = new Date(control.now());
  const since = parseSince(sinceText ?? DEFAULT_AUDIT_SINCE, now);
  const all = await control.entries(since.getTime());
  // Without a cluster named, the summary covers the clusters the asker may view, and no other.
  const visible = new Map<string, boolean>();
  for (const name of new Set(all.map((e) => e.cluster))) visible.set(name, ctx.mayView ? await ctx.mayView(name) : true);
  const entries = all.filter((e) => visible.get(e.cluster) === true);
  return onlyYou(renderAuditSummary(entries, { ...(cluster === undefined ? {} : { cluster }), since, now }));
}

const DEFAULT_AUDIT_SINCE = '7d';

function requestReply(result: RequestResult): Reply {
  switch (result.kind) {
    case 'awaiting-approval':
      return { ...everyone(renderApprovalRequest(result.op, result.plan)), approvalFor: result.op.id };
    case 'queued': {
      const { op, position } = result;
      const when = position === 0 ? 'nothing is ahead of it, so it starts now' : `${position} operation(s) ahead of it`;
      return everyone(
        renderNotice(
          `Queued as ${op.id}, position ${position + 1}: ${operationTitle(op.operation, op.cluster)}, requested by ${op.requestedBy}.`,
          `${capitalise(when)}. Cancel with /exa cancel ${op.id}.`,
          [op.requestedBy],
        ),
      );
    }
    case 'duplicate':
      return onlyYou(renderProblem(result.message, [result.existing.requestedBy]));
    case 'refused':
      return onlyYou(renderProblem(result.message, result.people ?? []));
  }
}

async function decide(kind: 'approve' | 'reject', opId: string, ctx: CommandContext, typedName: string | undefined): Promise<Reply> {
  const where = ctx.channel === undefined ? {} : { channel: ctx.channel };
  const result = kind === 'approve' ? await ctx.service.approve(opId, ctx.user, { ...where, ...(typedName === undefined ? {} : { typedName }) }) : await ctx.service.reject(opId, ctx.user, where);
  switch (result.kind) {
    case 'approved':
    case 'rejected':
      return everyone(renderApprovalDecided(result.op, result.kind, ctx.user));
    case 'approval-added':
      // The request in the channel is edited to show it; the approver is told it counted.
      return onlyYou(renderApprovalCounted(result.op, result.have, result.need));
    case 'denied':
    case 'not-pending':
      return onlyYou(renderProblem(result.message));
  }
}
