// Server-level fault injection: rules matched per call before the model sees it. A plain method
// name matches on every object; 'db_exa_db1.stopDatabase' matches one object only;
// 'cluster.shutdownNode(n0010)' matches only calls whose first argument is 'n0010'.

export type TerminalFault =
  | { readonly kind: 'fail'; readonly exception: string; readonly message: string | undefined }
  | { readonly kind: 'hang' }
  | { readonly kind: 'malformed' }
  | { readonly kind: 'unauthorized' }
  /** The server goes away as this call arrives: the call is dropped, later connections refused. */
  | { readonly kind: 'refuse' }
  /** EXAoperation restarts as this call arrives: the call is dropped, and it is back `seconds` later. */
  | { readonly kind: 'restart'; readonly seconds: number };

type RuleAction = TerminalFault | { readonly kind: 'slow'; readonly ms: number };

interface Rule {
  readonly object: string | undefined;
  readonly method: string;
  /** The first argument the call must have, when the spec names one. */
  readonly firstArg: string | undefined;
  readonly action: RuleAction;
  remaining: number;
}

export interface CallPlan {
  /** Global latency plus every matching slow rule. */
  readonly delayMs: number;
  /** The first matching terminal rule, if any. */
  readonly fault: TerminalFault | undefined;
}

export class FaultRules {
  private rules: Rule[] = [];
  private latencyMs = 0;
  private callsUntilDown: number | undefined;

  add(methodSpec: string, action: RuleAction, times = Number.POSITIVE_INFINITY): void {
    if (!(times > 0)) throw new RangeError(`times: expected a positive number, got ${times}`);
    const args = /^(.*)\(([^()]*)\)$/.exec(methodSpec);
    const spec = args ? (args[1] ?? '') : methodSpec;
    const dot = spec.lastIndexOf('.');
    const object = dot < 0 ? undefined : spec.slice(0, dot);
    this.rules.push({ object, method: spec.slice(dot + 1), firstArg: args ? args[2] : undefined, action, remaining: times });
  }

  setLatency(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`latency: expected ms >= 0, got ${ms}`);
    this.latencyMs = ms;
  }

  setDownAfterCalls(n: number): void {
    if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`downAfterCalls: expected an integer >= 0, got ${n}`);
    this.callsUntilDown = n;
  }

  clear(): void {
    this.rules = [];
    this.latencyMs = 0;
    this.callsUntilDown = undefined;
  }

  /** Counts one received call; true when it is the last one before the server goes down. */
  countCall(): boolean {
    if (this.callsUntilDown === undefined) return false;
    this.callsUntilDown--;
    if (this.callsUntilDown > 0) return false;
    this.callsUntilDown = undefined;
    return true;
  }

  /** Decides what happens to one call and uses up the `times` of the rules that fire. */
  plan(object: string, method: string, params: readonly unknown[] = []): CallPlan {
    let delayMs = this.latencyMs;
    let fault: TerminalFault | undefined;
    for (const rule of this.rules) {
      if (rule.remaining <= 0 || rule.method !== method || (rule.object !== undefined && rule.object !== object)) continue;
      if (rule.firstArg !== undefined && params[0] !== rule.firstArg) continue;
      if (rule.action.kind === 'slow') {
        delayMs += rule.action.ms;
        rule.remaining--;
      } else if (fault === undefined) {
        fault = rule.action;
        rule.remaining--;
      }
    }
    this.rules = this.rules.filter((r) => r.remaining > 0);
    return { delayMs, fault };
  }
}
