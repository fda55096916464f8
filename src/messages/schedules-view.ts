import type { ScheduleView } from '../change-control/schedule-view-model.js';
import { formatUntil } from '../change-control/change-gate.js';
import { context, header, people, user, type Block, type Message } from './message.js';

/** `/exa schedules`: what runs when without a person, and who configured it. */
export function renderSchedules(cluster: string | undefined, schedules: readonly ScheduleView[]): Message {
  const where = cluster ?? 'all clusters';
  if (schedules.length === 0) {
    return { title: `No schedules for ${where}`, blocks: [context(`No schedules for ${where}. They are configured in EXA_CHANGE_CONTROL_FILE ("schedules").`)] };
  }
  const lines = schedules.slice(0, 40).map((s): Block =>
    people([
      `${s.id}: ${s.operation} of ${s.cluster}, "${s.cron}" (${s.timeZone}); next ${s.next === undefined ? 'never' : formatUntil(s.next, s.timeZone)}${s.note ? ` (${s.note})` : ''}. ` +
        `Reason: ${s.reason}. ${s.waiveApproval ? 'Runs without an approver.' : 'Waits for its approvers.'} Configured by `,
      user(s.configuredBy),
      '.',
    ]),
  );
  return {
    title: `${schedules.length} schedule(s) for ${where}`,
    blocks: [header(`Schedules: ${where}`), ...lines, context('Before each run a notice with Snooze 1 h and Skip buttons is posted; a run missed while the bot was down is reported, never run late.')],
  };
}
