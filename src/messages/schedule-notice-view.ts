import type { NoticeState } from '../change-control/scheduler.js';
import { formatUntil } from '../change-control/change-gate.js';
import type { ScheduleConfig } from '../config/change-control-config.js';
import { describeOperation } from '../lifecycle/operation-kind.js';
import { context, people, text, user, type Block, type Message } from './message.js';

type Schedule = Pick<ScheduleConfig, 'id' | 'cluster' | 'operation' | 'timeZone' | 'configuredBy' | 'reason' | 'waiveApproval'>;

/** The button value names the occurrence, so a click on an old notice cannot snooze a later run. */
export const scheduleButtonValue = (id: string, occurrence: number): string => `${id}@${occurrence}`;

export function parseScheduleButtonValue(value: string | undefined): { readonly id: string; readonly occurrence: number } | undefined {
  const match = /^([A-Za-z0-9][A-Za-z0-9_-]{0,63})@(\d{1,15})$/.exec(value ?? '');
  return match ? { id: match[1] as string, occurrence: Number(match[2]) } : undefined;
}

/**
 * One message per scheduled run, edited as it changes: the notice before it (with Snooze 1 h and
 * Skip for operators), then what became of it. Who configured the schedule is always named: a run
 * nobody asked for today still has someone who answers for it.
 */
export function renderScheduleNotice(schedule: Schedule, occurrence: number, state: NoticeState): Message {
  const what = `${describeOperation(schedule.operation)} of ${schedule.cluster}`;
  const by = people([`Schedule ${schedule.id}, configured by `, user(schedule.configuredBy), `. Reason: ${schedule.reason}`]);
  const approval = schedule.waiveApproval ? 'It runs without an approver (the schedule waives it).' : 'It then waits for its approvers like any request.';
  switch (state.kind) {
    case 'upcoming': {
      const when = formatUntil(state.due, schedule.timeZone);
      const snoozed: Block[] = state.snoozedBy ? [people(['Snoozed by ', user(state.snoozedBy), '.'])] : [];
      return {
        title: `Scheduled: the ${what} runs at ${when}`,
        blocks: [
          text(`Scheduled: the ${what} runs at ${when}.`, 'strong'),
          by,
          ...snoozed,
          context(`${approval} Not tonight? Snooze it by an hour, or skip this run; the next one is due as usual.`),
          {
            kind: 'actions',
            buttons: [
              { actionId: 'schedule_snooze', value: scheduleButtonValue(schedule.id, occurrence), label: 'Snooze 1 h' },
              {
                actionId: 'schedule_skip',
                value: scheduleButtonValue(schedule.id, occurrence),
                label: 'Skip this run',
                style: 'danger',
                confirm: { title: 'Skip this run?', text: `The ${what} does not run this time; the schedule's next run is due as usual.`, confirm: 'Skip it', deny: 'Back' },
              },
            ],
          },
        ],
      };
    }
    case 'skipped':
      return { title: `Skipped: the scheduled ${what}`, blocks: [people([`Skipped: the scheduled ${what} does not run this time; skipped by `, user(state.by), '.'], 'warning'), by] };
    case 'missed':
      return {
        title: `Missed: the scheduled ${what} of ${formatUntil(state.due, schedule.timeZone)}`,
        blocks: [
          text(`Missed: the scheduled ${what} was due at ${formatUntil(state.due, schedule.timeZone)}, while the bot was not running. It was not run late; request it now if it is still wanted.`, 'warning'),
          by,
        ],
      };
    case 'fired': {
      const r = state.result;
      const line =
        r.kind === 'queued'
          ? text(`The scheduled ${what} runs now as ${r.op.id}; its progress follows.`, 'success')
          : r.kind === 'awaiting-approval'
            ? text(`The scheduled ${what} was requested as ${r.op.id} and waits for its approvers (the request follows).`, 'strong')
            : text(`The scheduled ${what} did not run: ${r.message}`, 'warning');
      return { title: `Schedule ${schedule.id}: ${r.kind === 'refused' || r.kind === 'duplicate' ? 'did not run' : r.op.id}`, blocks: [line, by] };
    }
  }
}
