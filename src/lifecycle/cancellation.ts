/**
 * A request to stop an operation at its next safe point. Separate from the hard AbortSignal used
 * when the bot itself stops: a cancel lets the current action finish and only cuts waits short.
 */
export class Cancellation {
  private readonly controller = new AbortController();
  private requestedBy: string | undefined;

  get requested(): boolean {
    return this.requestedBy !== undefined;
  }

  get by(): string | undefined {
    return this.requestedBy;
  }

  /** Aborts when cancel() is called; used only for steps that are safe to interrupt. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  cancel(by: string): void {
    if (this.requestedBy !== undefined) return;
    this.requestedBy = by;
    this.controller.abort(new Error(`cancelled by ${by}`));
  }
}
