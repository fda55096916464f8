import type { RecoveryReport } from '../operations/recovery.js';
import { context, header, people, text, withPeople, type Message } from './message.js';

/** What a restart cut off: said once at start-up, so nobody assumes an operation is still running. */
export function renderRecovery(reports: readonly RecoveryReport[]): Message {
  if (reports.length === 0) {
    return { title: 'No operations were cut off by the last stop', blocks: [text('No operations were cut off by the last stop.')] };
  }
  const title = `${reports.length} operation(s) were cut off by the last stop and were not resumed`;
  return {
    title,
    blocks: [
      header(title),
      ...reports.map((r) => people(withPeople(r.message, [r.requestedBy, r.approvedBy]), r.phase === 'running' ? 'danger' : 'warning')),
      context('These were not resumed: the cluster may have changed in the meantime.'),
    ],
  };
}

/**
 * What a message left behind by the previous run (an approval request with live buttons, a
 * progress checklist that still says "running") is turned into at restart: the truth, no buttons.
 */
export function renderCutOff(report: RecoveryReport): Message {
  const what = report.phase === 'running' ? 'interrupted by a restart, not resumed' : 'dropped by a restart, never run';
  return {
    title: `${report.opId}: ${what}`,
    blocks: [
      header(`${report.opId}: ${what}`),
      people(withPeople(report.message, [report.requestedBy, report.approvedBy]), report.phase === 'running' ? 'danger' : 'warning'),
      context('Updated by the bot when it started again. It was not resumed: check with /exa status, then ask again.'),
    ],
  };
}

/** In an operation's thread: another replica took it over and goes on with it (PostgreSQL store). */
export function renderTakeover(note: string): Message {
  return {
    title: note,
    blocks: [text(note, 'warning'), context('The replica that ran it stopped; this one executes the cluster now and does no more than was approved. /exa queue shows what runs.')],
  };
}
