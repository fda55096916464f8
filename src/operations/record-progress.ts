import type { ProgressEvent } from '../lifecycle/progress.js';
import type { AuditWriter, JournalStore } from '../store/operation-store.js';
import type { OperationRecord } from './operation-record.js';

/**
 * Writes each step's start and outcome to the journal (so a crash can say where it stopped) and
 * each outcome to the audit log. Awaited (durable) before the runner moves on.
 */
export async function recordProgress(journal: JournalStore, audit: AuditWriter, op: OperationRecord, event: ProgressEvent): Promise<void> {
  const base = { opId: op.id, cluster: op.cluster };
  if (event.type === 'step-started') {
    await journal.append({ type: 'step', ...base, stepId: event.step.id, title: event.step.title, outcome: 'started' });
    return;
  }
  if (event.type !== 'step-finished') return;
  const { result } = event;
  const reason = result.kind === 'skipped' || result.kind === 'failed' ? result.reason : result.note;
  await journal.append({
    type: 'step',
    ...base,
    stepId: event.step.id,
    title: event.step.title,
    outcome: result.kind,
    durationMs: Math.round(event.durationMs),
    ...(reason ? { reason } : {}),
  });
  await audit.record({
    action: 'step',
    actor: 'system',
    ...base,
    detail: `step ${event.step.id} '${event.step.title}': ${result.kind}${reason ? ` (${reason})` : ''}`,
  });
}
