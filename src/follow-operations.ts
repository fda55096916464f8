// What follows every operation event besides the operation itself: its Slack messages, the Home
// tabs, the watcher (quiet while the bot's own operation runs, and told of a planned outage), and
// the metrics. One subscriber, so the order is the same for every event.
import type { BotMetrics } from './metrics/metrics.js';
import type { OperationService } from './operations/operation-service.js';
import type { HomeTabs } from './slack/features/home.js';
import type { OperationMessages } from './slack/features/progress-messages.js';
import type { WatchService } from './watch/watch-service.js';

export function followOperations(service: Pick<OperationService, 'subscribe'>, to: { messages: OperationMessages; home: HomeTabs; watch: WatchService | undefined; metrics: BotMetrics }): () => void {
  const { messages, home, watch, metrics } = to;
  return service.subscribe((event) => {
    messages.handle(event);
    home.changed();
    if (event.type === 'started' || event.type === 'reattached') watch?.setOperationRunning(event.op.cluster, true);
    if (event.type !== 'progress') return;
    if (event.event.type === 'step-finished') metrics.stepSeconds.observe({ action: event.event.step.action.kind }, event.event.durationMs / 1000);
    if (event.event.type === 'finished') {
      // A shut-down that succeeded took EXAoperation down with the license server: its silence
      // from now on is the plan, not an outage (before the watcher polls again on its own).
      if (event.op.operation.kind === 'cluster-shutdown' && event.event.outcome.kind === 'succeeded') watch?.plannedOutage(event.op.cluster);
      watch?.setOperationRunning(event.op.cluster, false);
      metrics.operations.inc({ kind: event.op.operation.kind, outcome: event.event.outcome.kind });
    }
  });
}
