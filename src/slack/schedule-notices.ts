import type { ScheduleNotices } from '../change-control/scheduler.js';
import { renderApprovalRequest, withDeciders, type Deciders } from '../messages/approval-view.js';
import { renderScheduleNotice } from '../messages/schedule-notice-view.js';
import type { OperationMessages } from './features/progress-messages.js';
import { renderBlocks } from './render-blocks.js';
import type { SlackPoster } from './slack-poster.js';

/**
 * The scheduler's notices in Slack: one message per run, posted once and edited as the run changes
 * (snoozed, skipped, fired). A run that waits for approvers gets its approval request posted as a
 * typed request's would be, with the approvers mentioned; decisions then edit it as usual.
 */
export function slackScheduleNotices(poster: SlackPoster, messages: OperationMessages, deciders: (cluster: string, channel: string) => Deciders): ScheduleNotices {
  const posted = new Map<string, { channel: string; ts: string }>();
  return {
    async show(schedule, occurrence, state) {
      const key = `${schedule.id}@${occurrence}`;
      const message = renderBlocks(renderScheduleNotice(schedule, occurrence, state));
      const at = posted.get(key);
      if (at) await poster.update(at.channel, at.ts, message);
      else posted.set(key, { channel: schedule.channel, ts: await poster.post(schedule.channel, message) });
      // Finished with this run's notice: nothing edits it again.
      if (state.kind !== 'upcoming') posted.delete(key);
      if (state.kind === 'fired' && state.result.kind === 'awaiting-approval') {
        const { op, plan } = state.result;
        const ts = await poster.post(schedule.channel, renderBlocks(withDeciders(renderApprovalRequest(op, plan), deciders(op.cluster, schedule.channel), op.requestedBy)));
        messages.rememberApproval(op.id, schedule.channel, ts);
      }
    },
  };
}
