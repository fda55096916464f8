// Every XML-RPC call the server received, in arrival order, so bot tests can assert the exact
// sequence of operations. An entry is written on arrival and its outcome filled in when answered.

export type CallOutcome =
  | 'pending'
  | 'ok'
  | 'fault'
  | 'http-401'
  | 'http-404'
  /** EXAoperation was coming up: its web server answered 503 with an HTML page. */
  | 'http-503'
  /** ConfD: a non-master node redirected the call to the master. */
  | 'http-302'
  /** ConfD: the job ran (or was refused) with result_code != 0; faultString holds 'name: desc'. */
  | 'job-failed'
  | 'hang'
  | 'malformed'
  /** The connection was closed (server stopped or went offline) before an answer was sent. */
  | 'dropped';

export interface RecordedCall {
  /** Model clock time (ms) at arrival. */
  readonly at: number;
  /** 'cluster', 'storage', 'db_exa_db1', 'logservice1', 'n0011', ... */
  readonly object: string;
  readonly method: string;
  readonly params: readonly unknown[];
  readonly outcome: CallOutcome;
  /** The faultString sent, when outcome is 'fault'. */
  readonly faultString?: string;
  /** True when fault injection, not the model, decided the outcome. */
  readonly injected: boolean;
}

type MutableCall = { -readonly [K in keyof RecordedCall]: RecordedCall[K] };

export interface CallHandle {
  settle(outcome: Exclude<CallOutcome, 'pending'>, details?: { faultString?: string; injected?: boolean }): void;
}

export class CallLog {
  private readonly entries: MutableCall[] = [];

  constructor(private readonly onSettled?: (call: RecordedCall) => void) {}

  get calls(): readonly RecordedCall[] {
    return this.entries;
  }

  record(at: number, object: string, method: string, params: readonly unknown[]): CallHandle {
    const entry: MutableCall = { at, object, method, params, outcome: 'pending', injected: false };
    this.entries.push(entry);
    return {
      settle: (outcome, details = {}) => {
        if (entry.outcome !== 'pending') return;
        entry.outcome = outcome;
        if (details.faultString !== undefined) entry.faultString = details.faultString;
        entry.injected = details.injected ?? false;
        this.onSettled?.(entry);
      },
    };
  }
}
