// Approve, Reject and Cancel buttons (action-listener.ts does the work after the ack), and the
// confirm form of a critical cluster's shut-down: its Approve button opens a form here, on the
// replica that received the click (the trigger_id lasts 3 s), where the approver types the name.
import type { App } from '@slack/bolt';
import type { ButtonAction } from '../action-listener.js';
import { CONFIRM_CALLBACK, CONFIRM_FIELD, parseConfirmValue, readConfirmation, renderConfirmByName } from '../confirm-name-view.js';
import { errorMessage } from '../../operations/operation-core.js';
import { ACTION_PREFIX, TYPED_SUFFIX } from '../render-blocks.js';
import { slackString } from '../slack-request.js';
import { answerInChannel, take, tell, type FeatureContext } from './feature-context.js';

export function registerDecisions(app: App, ctx: FeatureContext): void {
  app.action(new RegExp(`^${ACTION_PREFIX}(approve|reject|cancel)$`), async ({ ack, body, action, respond }) => {
    await ack();
    if (ctx.foreignTeam(body.team?.id)) {
      ctx.logger.warn('refused a button click from another workspace', { team: body.team?.id, user: body.user.id });
      ctx.foreignDenial(body.team?.id, body.user.id, body.channel?.id, `click on ${(action as { action_id?: string }).action_id ?? 'a button'}`);
      return;
    }
    if (body.type !== 'block_actions' || action.type !== 'button') return;
    const button = action as { action_id: string; value?: string };
    const delivery = {
      key: slackString(body.trigger_id),
      request: { kind: 'click', user: body.user.id, channel: body.channel?.id, action: button.action_id.slice(ACTION_PREFIX.length) as ButtonAction, opId: button.value ?? '' },
      responseUrl: slackString(body.response_url),
    } as const;
    take(ctx, delivery, ctx.safe(respond));
  });

  // Approve on a critical cluster's shut-down: the confirm form, with the cluster to type.
  app.action({ type: 'block_actions', action_id: `${ACTION_PREFIX}approve${TYPED_SUFFIX}` }, async ({ ack, body, action, respond }) => {
    await ack();
    if (ctx.foreignTeam(body.team?.id)) {
      ctx.foreignDenial(body.team?.id, body.user.id, body.channel?.id, 'click on approve');
      return;
    }
    const target = parseConfirmValue((action as { value?: string }).value);
    const channel = body.channel?.id;
    const trigger = slackString(body.trigger_id);
    const views = ctx.deps.views;
    if (!target || !channel || !trigger || !views) {
      return ctx.run(() => tell(ctx, ctx.safe(respond), "I could not open the confirm form for this button. Approve by typing the cluster's name instead: /exa approve ID CLUSTER (the id and the cluster are on the request)."));
    }
    ctx.run(async () => {
      try {
        await views.open(trigger, renderConfirmByName({ ...target, channel }));
      } catch (error) {
        ctx.logger.warn('could not open the confirm form', { error: errorMessage(error) });
        await tell(ctx, ctx.safe(respond), `I could not open the confirm form. Approve by typing the cluster's name instead: /exa approve ${target.opId} ${target.cluster}`);
      }
    });
  });

  app.view(CONFIRM_CALLBACK, async ({ ack, body, view }) => {
    const team = body.team?.id ?? body.user.team_id;
    const read = readConfirmation(view);
    if (ctx.foreignTeam(team) || !read) {
      await ack();
      if (ctx.foreignTeam(team)) ctx.foreignDenial(team, body.user.id, read?.target.channel, 'confirm form');
      return;
    }
    const { target, typed } = read;
    // Said beside the field at once; the core checks the name against the operation itself.
    if (typed.trim() !== target.cluster) {
      return void (await ack({ response_action: 'errors', errors: { [CONFIRM_FIELD]: `Type the cluster's name exactly: ${target.cluster}` } }));
    }
    await ack();
    const user = body.user.id;
    const delivery = {
      key: slackString((body as { trigger_id?: unknown }).trigger_id),
      request: { kind: 'click', user, channel: target.channel, action: 'approve', opId: target.opId, typedName: typed.trim() },
      responseUrl: undefined,
      replyTo: { channel: target.channel, user },
    } as const;
    take(ctx, delivery, answerInChannel(ctx, target.channel, user));
  });
}
