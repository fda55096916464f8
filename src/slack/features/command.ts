// `/exa`: acked at once, then run by the intake (command-listener.ts does the work). `/exa` with
// nothing after it opens the request form here, on the replica that received it: its trigger_id
// is valid for 3 s only, and the form opens from configuration alone.
import type { App } from '@slack/bolt';
import { slackString } from '../slack-request.js';
import { mayRequestHere, openRequestForm } from './request-form.js';
import { take, type FeatureContext } from './feature-context.js';

export function registerCommand(app: App, ctx: FeatureContext): void {
  app.command('/exa', async ({ command, ack, respond }) => {
    if (ctx.foreignTeam(command.team_id)) {
      await ack({ response_type: 'ephemeral', text: 'This bot does not serve your workspace.' });
      ctx.logger.warn('refused a command from another workspace', { team: command.team_id, user: command.user_id });
      ctx.foreignDenial(command.team_id, command.user_id, command.channel_id, `/exa ${command.text}`);
      return;
    }
    await ack();
    const trigger = slackString(command.trigger_id);
    const delivery = {
      key: trigger,
      request: { kind: 'command', user: command.user_id, channel: command.channel_id, text: command.text },
      responseUrl: slackString(command.response_url),
    } as const;
    // `/exa` alone: the form for those who may request something here; help (what they may do) for the others.
    if (command.text.trim() === '' && trigger !== undefined && ctx.deps.views && ctx.deps.forms) {
      return ctx.run(async () => {
        if (!(await mayRequestHere(ctx, command.user_id, command.channel_id))) return ctx.intake.take(delivery, ctx.safe(respond));
        return openRequestForm(ctx, { trigger, user: command.user_id, channel: command.channel_id, respond: ctx.safe(respond) });
      });
    }
    take(ctx, delivery, ctx.safe(respond));
  });
}
