import { renderApprovalCounted } from '../messages/approval-view.js';
import { renderProblem } from '../messages/error-view.js';
import { checkOperationAction, type OperationAction } from '../operations/operation-action.js';
import { renderBlocks } from './render-blocks.js';
import type { Respond, SlackDeps } from './slack-deps.js';

export type ButtonAction = OperationAction;

export interface ClickInput {
  readonly user: string;
  readonly channel: string | undefined;
  readonly action: ButtonAction;
  readonly opId: string;
  /** What the approver typed in the confirm form of a critical cluster's shut-down. */
  readonly typedName?: string;
}

/**
 * A click on Approve, Reject or Cancel, after its ack. Refusals answer the clicker alone and go to
 * the audit log; a decision edits the request message (through the service's events).
 */
export async function runButtonClick(input: ClickInput, respond: Respond, deps: SlackDeps): Promise<void> {
  const refuse = async (reason: string, cluster: string): Promise<void> => {
    await deps.audit.record({
      action: 'denied',
      actor: input.user,
      cluster,
      opId: input.opId,
      ...(input.channel ? { channel: input.channel } : {}),
      detail: `${input.action} refused: ${reason}`,
    });
    await respond({ response_type: 'ephemeral', replace_original: false, ...renderBlocks(renderProblem(`You cannot ${input.action} ${input.opId}: ${reason}.`)) });
  };
  try {
    if (!deps.accepting()) {
      await respond({ response_type: 'ephemeral', replace_original: false, ...renderBlocks(renderProblem('The bot is restarting and takes no decisions right now. Try again in a minute.')) });
      return;
    }
    const check = await checkOperationAction(input, { get: (id) => deps.service.get(id), mayAct: (...args) => deps.access.check(...args) });
    if (check.kind === 'refused') {
      // A click on a request this bot does not know (left over from before a restart, or
      // crafted), on a copy of the message in another channel, or without the role.
      await deps.audit.record({
        action: 'denied',
        actor: input.user,
        cluster: check.op?.cluster ?? deps.defaultClusterFor(input.channel ?? ''),
        opId: input.opId,
        ...(input.channel ? { channel: input.channel } : {}),
        detail: check.why,
      });
      await respond({ response_type: 'ephemeral', replace_original: false, ...renderBlocks(renderProblem(check.message)) });
      return;
    }
    const { op } = check;

    if (input.action === 'cancel') {
      const result = await deps.service.cancel(op.id, input.user);
      await respond({ response_type: 'ephemeral', replace_original: false, ...renderBlocks(renderProblem(result.message)) });
      return;
    }
    const where = input.channel ? { channel: input.channel } : {};
    // What was typed may end up in the audit log (a wrong name is quoted in the refusal).
    const typed = input.typedName === undefined ? {} : { typedName: deps.redact(input.typedName) };
    const result = input.action === 'approve' ? await deps.service.approve(op.id, input.user, { ...where, ...typed }) : await deps.service.reject(op.id, input.user, where);
    if (result.kind === 'not-pending') {
      // The loser of a double click, or a click after expiry: refused, and on the record.
      return await refuse(result.message.replace(`${op.id} is `, 'it is ').replace(/\.$/, ''), op.cluster);
    }
    if (result.kind === 'denied') {
      await respond({ response_type: 'ephemeral', replace_original: false, ...renderBlocks(renderProblem(result.message)) });
    }
    if (result.kind === 'approval-added') {
      await respond({ response_type: 'ephemeral', replace_original: false, ...renderBlocks(renderApprovalCounted(result.op, result.have, result.need)) });
    }
  } catch (error) {
    deps.logger.error('button click failed', { error: error instanceof Error ? error.message : String(error) });
  }
}
