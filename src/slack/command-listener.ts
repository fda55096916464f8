import { withDeciders } from '../messages/approval-view.js';
import { handleCommand } from '../commands/handle-command.js';
import { parseCommand, type Command } from '../commands/parse-command.js';
import { renderProblem } from '../messages/error-view.js';
import type { Message } from '../messages/message.js';
import { renderBlocks } from './render-blocks.js';
import { requiredRole } from './required-role.js';
import { checkOperationAction } from '../operations/operation-action.js';
import { auditRefusal, type Respond, type SlackDeps } from './slack-deps.js';

const ALLOWED = { allowed: true } as const;

export interface SlashInput {
  readonly user: string;
  readonly channel: string;
  readonly text: string;
}

/**
 * Everything after the ack of `/exa`: parse, check access, run, deliver. The listener acks
 * before calling this, so Slack's 3-second deadline holds whatever EXAoperation does.
 * Ephemeral answers go through response_url (works even where the bot is not a member);
 * what the channel should see is posted as the bot.
 */
export async function runSlashCommand(input: SlashInput, respond: Respond, deps: SlackDeps): Promise<void> {
  const ephemeral = async (message: Message): Promise<void> => {
    await respond({ response_type: 'ephemeral', replace_original: false, ...renderBlocks(message) });
  };
  try {
    if (!deps.accepting()) {
      await ephemeral(renderProblem('The bot is restarting and takes no commands right now. Try again in a minute.'));
      return;
    }
    const parsed = parseCommand(input.text);
    // A reason is stored (journal, audit log) and shown: a pasted secret is redacted first.
    const command =
      (parsed.kind === 'request' || parsed.kind === 'hold') && parsed.reason !== undefined
        ? { ...parsed, reason: deps.redact(parsed.reason) }
        : parsed.kind === 'approve' && parsed.typedName !== undefined
          ? { ...parsed, typedName: deps.redact(parsed.typedName) }
          : parsed;
    const role = requiredRole(command);
    const deny = (detail: string, where: { cluster?: string | undefined; opId?: string }): void => {
      const { cluster, opId } = where;
      auditRefusal(deps, {
        action: 'denied',
        actor: input.user,
        cluster: cluster ?? deps.defaultClusterFor(input.channel),
        ...(opId === undefined ? {} : { opId }),
        channel: input.channel,
        detail,
      });
    };
    // A decision or cancel by id: the same check as a click (operation-action.ts), made on the
    // operation it names, which is then the one acted on.
    if (command.kind === 'approve' || command.kind === 'reject' || command.kind === 'cancel') {
      const check = await checkOperationAction({ user: input.user, channel: input.channel, action: command.kind, opId: command.opId }, { get: (id) => deps.service.get(id), mayAct: (...args) => deps.access.check(...args) });
      if (check.kind === 'refused') {
        deny(check.refusal === 'not-allowed' ? deps.redact(`/exa ${input.text.trim()}: ${check.why}`) : check.why, { cluster: check.op?.cluster, opId: command.opId });
        await ephemeral(renderProblem(check.message));
        return;
      }
      // Answered by the handler below; recorded here, as a refused click is.
      if (command.kind !== 'cancel' && check.op.status.kind !== 'awaiting-approval') deny(`${command.kind} refused: no longer waiting for a decision`, { cluster: check.op.cluster, opId: check.op.id });
    }
    const cluster = targetCluster(command, input.channel, deps);
    const operation = command.kind === 'request' ? command.operation : undefined;
    // By id, the role was checked on the operation's cluster above.
    const byId = command.kind === 'approve' || command.kind === 'reject' || command.kind === 'cancel';
    const decision = byId ? ALLOWED : await deps.access.check(input.user, input.channel, role ?? 'viewer', cluster, operation);
    // Help and typos are answered in any allowed channel, whatever the user's roles.
    const channelOnly = role === undefined && deps.access.channelAllowed(input.channel);
    if (!decision.allowed && !channelOnly) {
      // What was typed goes into the audit file as it is, unless it holds a known secret.
      deny(deps.redact(`/exa ${input.text.trim()}: ${decision.reason}`), { cluster });
      await ephemeral(renderProblem(`Not allowed: ${decision.reason}.`));
      return;
    }
    // An operation whose messages cannot be posted would wait unseen (an approval for 15 minutes,
    // blocking every retry): in a channel without the bot, nothing is created.
    if (command.kind === 'request' && (await deps.channelMembership?.(input.channel)) === 'not-member') {
      deny(`/exa ${deps.redact(input.text.trim())}: the bot is not a member of this channel`, { cluster });
      await ephemeral(
        renderProblem('I am not a member of this channel, so I cannot post the approval request or the progress here. Invite me with /invite @exa-chatops, then ask again. Nothing was started.'),
      );
      return;
    }
    const reply = await handleCommand(command, {
      service: deps.service,
      user: input.user,
      channel: input.channel,
      defaultCluster: deps.defaultClusterFor(input.channel),
      ...(command.kind === 'help' ? { roles: await deps.access.roles(input.user, input.channel, deps.defaultClusterFor(input.channel)) } : {}),
      logger: deps.logger,
      mayView: async (name) => (await deps.access.check(input.user, input.channel, 'viewer', name)).allowed,
    });
    if (reply.visibility === 'ephemeral') {
      await ephemeral(reply.message);
      return;
    }
    try {
      const cluster = command.kind === 'request' ? (command.cluster ?? deps.defaultClusterFor(input.channel)) : undefined;
      const message = reply.approvalFor && cluster ? withDeciders(reply.message, deps.access.principals('approver', cluster, input.channel), input.user) : reply.message;
      const ts = await deps.poster.post(input.channel, renderBlocks(message));
      if (reply.approvalFor) deps.messages.rememberApproval(reply.approvalFor, input.channel, ts);
    } catch (error) {
      const code = (error as { data?: { error?: string } }).data?.error ?? 'error';
      const hint = code === 'not_in_channel' || code === 'channel_not_found' ? ' Invite me first: /invite @exa-chatops.' : '';
      // Nobody could approve a request nobody sees: it is withdrawn rather than left to block retries.
      const withdrawn = reply.approvalFor !== undefined && (await deps.service.cancel(reply.approvalFor, input.user)).kind === 'removed';
      await ephemeral(renderProblem(`I could not post in this channel (${code}).${hint} ${withdrawn ? `Request ${reply.approvalFor} was withdrawn; ask again once I can post here.` : 'Your request: see /exa queue.'}`));
    }
  } catch (error) {
    deps.logger.error('slash command failed', { error: error instanceof Error ? error.message : String(error) });
    await ephemeral(renderProblem('Sorry, an internal error occurred. It has been logged; please tell the bot operators.')).catch(() => undefined);
  }
}

/**
 * The cluster a command that names no operation id acts on, for a grant scoped to clusters: the
 * one typed, or the channel's default. Undefined when unknown (a typo'd cluster): the role is then
 * checked on any cluster and the handler explains the typo.
 */
function targetCluster(command: Command, channel: string, deps: SlackDeps): string | undefined {
  switch (command.kind) {
    case 'help':
    case 'invalid':
      return deps.defaultClusterFor(channel);
    case 'cancel':
    case 'approve':
    case 'reject':
      return undefined; // the caller uses the operation's own cluster
    default: {
      const cluster = command.cluster ?? deps.defaultClusterFor(channel);
      return deps.service.clusterNames().includes(cluster) ? cluster : undefined;
    }
  }
}
