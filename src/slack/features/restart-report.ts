// The restart report: what a crash, restart or takeover cut off is told in its channel (one
// message per channel), and what the old run left in Slack (live Approve buttons, a checklist
// still "running") is corrected, so nobody acts on it.
import type { Logger } from '../../logging/logger.js';
import { renderCutOff, renderRecovery } from '../../messages/recovery-view.js';
import type { RecoveryReport } from '../../operations/recovery.js';
import { renderBlocks } from '../render-blocks.js';
import type { SlackPoster } from '../slack-poster.js';

export async function postRecoveryReports(reports: readonly RecoveryReport[], poster: SlackPoster, logger: Logger): Promise<void> {
  const byChannel = new Map<string, RecoveryReport[]>();
  for (const report of reports) {
    if (report.channel) byChannel.set(report.channel, [...(byChannel.get(report.channel) ?? []), report]);
  }
  for (const [channel, inChannel] of byChannel) {
    await poster.post(channel, renderBlocks(renderRecovery(inChannel))).catch((error: unknown) => logger.error('could not post a recovery report', { error: String(error) }));
  }
  for (const report of reports) {
    for (const ref of Object.values(report.messages)) {
      await poster
        .update(ref.channel, ref.ts, renderBlocks(renderCutOff(report)))
        .catch((error: unknown) => logger.warn('could not update a message left by the previous run', { opId: report.opId, error: String(error) }));
    }
  }
}
