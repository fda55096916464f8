// Per-test fault injection: the only way to see how the bot copes with Slack being slow, broken
// or throttling, without which retry and back-off code would go untested.
import type { FaultHandle, FaultSpec } from './types.js';

interface Fault {
  readonly method: string;
  readonly spec: FaultSpec;
  remaining: number;
  hits: number;
}

export class FaultRegistry {
  private faults: Fault[] = [];

  add(method: string, spec: FaultSpec): FaultHandle {
    const fault: Fault = { method, spec, remaining: spec.times ?? 1, hits: 0 };
    this.faults.push(fault);
    return {
      method,
      get hits() {
        return fault.hits;
      },
      get remaining() {
        return fault.remaining;
      },
      cancel: () => {
        fault.remaining = 0;
      },
    };
  }

  /** The first live fault for `method` (or for '*') whose `when` accepts the params; consumes one use. */
  take(method: string, params: Readonly<Record<string, unknown>>): FaultSpec | undefined {
    const fault = this.faults.find(
      (f) => f.remaining > 0 && (f.method === method || f.method === '*') && (f.spec.when?.(params) ?? true),
    );
    if (!fault) return undefined;
    fault.remaining -= 1;
    fault.hits += 1;
    return fault.spec;
  }

  clear(): void {
    for (const fault of this.faults) fault.remaining = 0;
    this.faults = [];
  }
}
