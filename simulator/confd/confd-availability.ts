// Which ConfD listeners answer. A node's listener is open while its node is online (and, with
// noQuorum 'refused', while the cluster has quorum); the single cluster listener while any node
// is online. Test switches (goOffline, downAfterCalls, a restart) and stop() close them all. One
// real timer is armed for the model's next event instead of polling.
import type { ClusterModel } from '../model/cluster-model.js';
import type { SwitchableListener } from '../server/switchable-listener.js';
import { hasQuorum, onlineNodes } from './cluster-view.js';
import type { ResolvedReadings } from './confd-options.js';

export interface ConfdEndpoint {
  /** The model node this listener belongs to; undefined for the one cluster listener. */
  readonly node: string | undefined;
  readonly listener: SwitchableListener;
}

export type ConfdOfflineReason = 'manual' | 'down-after-calls' | 'restart' | 'stopped';

export class ConfdAvailability {
  private readonly reasons = new Set<ConfdOfflineReason>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly endpoints: readonly ConfdEndpoint[],
    private readonly model: ClusterModel,
    private readonly readings: ResolvedReadings,
    private readonly now: () => number,
    private readonly onError: (error: unknown) => void,
  ) {}

  set(reason: ConfdOfflineReason, offline: boolean): Promise<void> {
    if (offline) this.reasons.add(reason);
    else this.reasons.delete(reason);
    return this.refresh();
  }

  /** Opens and closes listeners for the model's current state, and arms the timer for its next change. */
  async refresh(): Promise<void> {
    if (this.reasons.has('stopped')) return;
    clearTimeout(this.timer);
    const next = this.model.nextEventAt();
    if (next !== undefined) {
      this.timer = setTimeout(() => {
        this.refresh().catch(this.onError);
      }, Math.max(0, next - this.now()) + 1);
    }
    const online = onlineNodes(this.model);
    const answers = this.readings.noQuorum === 'http-503' || hasQuorum(this.model);
    await Promise.all(
      this.endpoints.map((e) => {
        const up = e.node === undefined ? online.length > 0 : online.includes(e.node);
        return e.listener.setOpen(this.reasons.size === 0 && up && answers);
      }),
    );
  }

  async stop(): Promise<void> {
    this.reasons.add('stopped');
    clearTimeout(this.timer);
    await Promise.all(this.endpoints.map((e) => e.listener.setOpen(false)));
  }
}
