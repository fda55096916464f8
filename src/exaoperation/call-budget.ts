// EXAoperation runs on the license server, one small machine that also serves every operator's
// browser and every monitoring script. The bot's calls to one cluster — waits, the watcher and
// status reads together — are held to a budget: at most `perSecond` calls start in any window of
// a little over one second (the margin keeps calls that start within one second within one second
// when they arrive, whatever the network and the event loop add). A call over the budget waits
// for a slot, in arrival order; its own deadline starts once it has one.

/** Slightly longer than a second: see above. */
export const BUDGET_WINDOW_MS = 1100;

export class CallBudget {
  /** Start times of the calls in the current window, oldest first. */
  private readonly starts: number[] = [];
  private chain: Promise<void> = Promise.resolve();

  constructor(
    readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
    private readonly windowMs = BUDGET_WINDOW_MS,
  ) {
    if (!(Number.isInteger(perSecond) && perSecond > 0)) throw new RangeError(`calls per second: expected a positive integer, got ${perSecond}`);
  }

  /** Resolves when the call may start; rejects with the signal's reason if it is aborted first. */
  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.chain.then(() => this.slot());
    // The next caller waits for this slot whether or not this caller gave up meanwhile: a slot
    // taken and not used only makes the bot politer.
    this.chain = turn;
    if (signal === undefined) return turn;
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      turn.then(
        () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }

  private async slot(): Promise<void> {
    for (;;) {
      const now = this.now();
      while (this.starts.length > 0 && (this.starts[0] as number) <= now - this.windowMs) this.starts.shift();
      if (this.starts.length < this.perSecond) {
        this.starts.push(now);
        return;
      }
      const wait = (this.starts[0] as number) + this.windowMs - now;
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.ceil(wait))));
    }
  }
}
