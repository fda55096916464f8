// Whether the server answers at all. Several independent reasons can keep it silent (a test called
// goOffline(), downAfterCalls fired, the simulated license server is off or EXAoperation restarts,
// the simulator stopped);
// it listens only while none applies. The model knows when the license server goes down or comes
// back, so one real timer is armed for the next such moment instead of polling.
import type { ClusterModel } from '../model/cluster-model.js';
import type { SwitchableListener } from './switchable-listener.js';

export type OfflineReason = 'manual' | 'down-after-calls' | 'license-server' | 'stopped';

export class Availability {
  private readonly reasons = new Set<OfflineReason>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly listener: SwitchableListener,
    private readonly model: ClusterModel,
    private readonly now: () => number,
    /** Reopening can fail (e.g. the port was taken meanwhile); there is no caller to tell but this. */
    private readonly onError: (error: unknown) => void,
  ) {}

  set(reason: OfflineReason, offline: boolean): Promise<void> {
    if (offline) this.reasons.add(reason);
    else this.reasons.delete(reason);
    return this.listener.setOpen(this.reasons.size === 0);
  }

  /** Re-reads the license server's state and arms the timer for its next change. */
  watchModel(): Promise<void> {
    if (this.reasons.has('stopped')) return Promise.resolve();
    clearTimeout(this.timer);
    const next = this.model.nextAvailabilityChangeAt();
    if (next !== undefined) {
      // +1 ms: the event is due at `next`, and the model applies events due at or before now.
      const wait = Math.max(0, next - this.now()) + 1;
      this.timer = setTimeout(() => {
        this.watchModel().catch(this.onError);
      }, wait);
    }
    // While EXAoperation comes up its web server may already answer (with 503 pages); the port is
    // closed only while nothing answers at all.
    return this.set('license-server', this.model.exaoperationPhase() === 'down');
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    await this.set('stopped', true);
  }
}
