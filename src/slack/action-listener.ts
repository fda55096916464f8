import { renderProblem } from '../messages/error-view.js';
import type { Role } from '../access/role.js';
import { renderBlocks } from './render-blocks.js';
import type { Respond, SlackDeps } from './slack-deps.js';

export type ButtonAction = 'approve' | 'reject' | 'cancel';

export interface ClickInput {
  readonly user: string;
  readonly channel: string | undefined;
  readonly action: ButtonAction;
  readonly opId: string;
}

const ROLE: Record<ButtonAction, Role> = { approve: 'approver', reject: 'approver', cancel: 'operator' };

/**
 * A click on Approve, Reject or Cancel, after its ack. Refusals answer the clicker alone and go to
 * the audit log; a decision edits the request message (through the service's events).
 */
export async function runButtonClick(input: ClickInput, respond: Respond, deps: SlackDeps): Promise<void> {
  const refuse = async (reason: string, cluster: string): Promise<void> => {
    deps.audit.record({
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
    const op = deps.service.get(input.opId);
    if (!op) {
      await respond({ response_type: 'ephemeral', replace_original: false, ...renderBlocks(renderProblem(`${input.opId} no longer exists.`)) });
      return;
    }
    // A button only acts in the channel its request was made in: a copy of the message (or a
    // crafted payload) elsewhere must not reach another channel's operation.
    if (op.channel !== input.channel) return await refuse('this request belongs to another channel', op.cluster);
    const decision = await deps.access.check(input.user, input.channel, ROLE[input.action], op.cluster);
    if (!decision.allowed) return await refuse(decision.reason, op.cluster);

    if (input.action === 'cancel') {
      const result = deps.service.cancel(op.id, input.user);
      await respond({ response_type: 'ephemeral', replace_original: false, ...renderBlocks(renderProblem(result.message)) });
      return;
    }
    const result = input.action === 'approve' ? await deps.service.approve(op.id, input.user) : await deps.service.reject(op.id, input.user);
    if (result.kind === 'denied' || result.kind === 'not-pending') {
      await respond({ response_type: 'ephemeral', replace_original: false, ...renderBlocks(renderProblem(result.message)) });
    }
  } catch (error) {
    deps.logger.error('button click failed', { error: error instanceof Error ? error.message : String(error) });
  }
}
