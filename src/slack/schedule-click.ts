import { renderNotice } from '../messages/notice-view.js';
import { renderProblem } from '../messages/error-view.js';
import { renderBlocks } from './render-blocks.js';
import type { Respond, SlackDeps } from './slack-deps.js';
import type { SlackRequest } from './slack-request.js';

type ScheduleClick = Extract<SlackRequest, { kind: 'schedule-click' }>;

/**
 * Snooze 1 h or Skip on a schedule's notice, on the replica that runs the schedules: an operator of
 * the schedule's cluster in this channel may say "not tonight"; the scheduler records it first.
 */
export async function runScheduleClick(request: ScheduleClick, respond: Respond, deps: SlackDeps): Promise<void> {
  const answer = (message: Parameters<typeof renderBlocks>[0]): Promise<unknown> => respond({ response_type: 'ephemeral', replace_original: false, ...renderBlocks(message) });
  try {
    const schedule = deps.scheduler?.find(request.schedule);
    if (!deps.scheduler || !schedule) {
      await answer(renderProblem(`There is no schedule '${request.schedule}' any more (the configuration changed); nothing was changed.`));
      return;
    }
    const decision = await deps.access.check(request.user, request.channel, 'operator', schedule.cluster, schedule.operation);
    if (!decision.allowed) {
      await deps.audit.record({ action: 'denied', actor: request.user, cluster: schedule.cluster, channel: request.channel, schedule: schedule.id, detail: `${request.action} of schedule ${schedule.id} refused: ${decision.reason}` });
      await answer(renderProblem(`Not allowed: ${decision.reason}.`));
      return;
    }
    const result = request.action === 'snooze' ? await deps.scheduler.snooze(schedule.id, request.occurrence, request.user) : await deps.scheduler.skip(schedule.id, request.occurrence, request.user);
    await answer(result.kind === 'done' ? renderNotice(result.message) : renderProblem(result.message));
  } catch (error) {
    deps.logger.error('a schedule button failed', { error: error instanceof Error ? error.message : String(error) });
  }
}
