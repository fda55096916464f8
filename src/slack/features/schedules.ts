// Snooze 1 h and Skip on a schedule's notice (schedule-click.ts does the work after the ack).
import type { App } from '@slack/bolt';
import { parseScheduleButtonValue } from '../../messages/schedule-notice-view.js';
import { ACTION_PREFIX } from '../render-blocks.js';
import { slackString } from '../slack-request.js';
import { take, tell, type FeatureContext } from './feature-context.js';

export function registerSchedules(app: App, ctx: FeatureContext): void {
  app.action(new RegExp(`^${ACTION_PREFIX}schedule_(snooze|skip)$`), async ({ ack, body, action, respond }) => {
    await ack();
    if (ctx.foreignTeam(body.team?.id)) {
      ctx.foreignDenial(body.team?.id, body.user.id, body.channel?.id, 'click on a schedule notice');
      return;
    }
    if (body.type !== 'block_actions' || action.type !== 'button') return;
    const button = action as { action_id: string; value?: string };
    const target = parseScheduleButtonValue(button.value);
    const channel = body.channel?.id;
    if (!target || !channel) return ctx.run(() => tell(ctx, ctx.safe(respond), 'This button does not name a scheduled run I know; nothing was changed. See /exa schedules.'));
    const delivery = {
      key: slackString(body.trigger_id),
      request: { kind: 'schedule-click', user: body.user.id, channel, action: button.action_id.endsWith('snooze') ? 'snooze' : 'skip', schedule: target.id, occurrence: target.occurrence },
      responseUrl: slackString(body.response_url),
    } as const;
    take(ctx, delivery, ctx.safe(respond));
  });
}
