import { isExaOperationError, type ExaErrorCode } from '../exaoperation/errors.js';
import type { ContactEvent } from './events.js';

/**
 * A lost contact that was announced, or a planned outage (the bot's own shut-down took EXAoperation
 * down, so nothing was announced); persisted so a restart neither repeats nor forgets it.
 */
export interface LostContact {
  readonly lostAt: number;
  readonly reason: string;
  readonly planned?: true;
}

const REASONS: Readonly<Record<ExaErrorCode, string>> = {
  EXA_UNREACHABLE: 'not reachable',
  EXA_TIMEOUT: 'no answer in time',
  EXA_AUTH_FAILED: 'login refused',
  EXA_TLS_UNTRUSTED: 'TLS certificate not trusted',
  EXA_HTTP_ERROR: 'HTTP error',
  EXA_MALFORMED_RESPONSE: 'unexpected answer',
  EXA_NOT_FOUND: 'object not found',
  EXA_PRECONDITION_FAILED: 'request refused',
  EXA_FAULT: 'fault',
  EXA_ABORTED: 'call cancelled',
};

/**
 * A few words for the title and a sentence for the thread. Only our own coded errors are quoted:
 * their messages are built from templates without credentials. Anything else may carry whatever
 * a library put in it, so the channel gets a pointer to the bot's log instead.
 */
export function describeFailure(error: unknown): { readonly reason: string; readonly detail: string } {
  if (isExaOperationError(error)) return { reason: REASONS[error.code], detail: error.message };
  return { reason: 'internal error', detail: 'The watcher failed unexpectedly; the bot log has the details.' };
}

/** Poll delay after `failures` consecutive failures: doubling from the base, capped. */
export function backoffDelay(baseMs: number, failures: number, capMs: number): number {
  if (failures <= 0) return baseMs;
  return Math.min(capMs, baseMs * 2 ** Math.min(failures, 30));
}

/**
 * Turns a stream of poll outcomes into at most one "lost" and one "back" per outage. A single
 * failed poll (one timeout) is not an outage: it takes `failuresBeforeLost` in a row.
 */
export class ContactTracker {
  private failures = 0;
  private firstFailureAt: number | undefined;

  constructor(
    private readonly failuresBeforeLost: number,
    private lost: LostContact | undefined = undefined,
  ) {}

  get consecutiveFailures(): number {
    return this.failures;
  }

  get lostContact(): LostContact | undefined {
    return this.lost;
  }

  /**
   * A failed poll. With `quiet` (an operation of the bot runs on the cluster, and a start-up or a
   * shut-down takes EXAoperation away as part of its plan) it is counted but not announced; if the
   * silence outlasts the operation, the next failed poll announces it.
   */
  failed(now: number, error: unknown, quiet = false): ContactEvent | undefined {
    this.failures += 1;
    this.firstFailureAt ??= now;
    if (quiet || this.lost !== undefined || this.failures < this.failuresBeforeLost) return undefined;
    const { reason, detail } = describeFailure(error);
    this.lost = { lostAt: this.firstFailureAt, reason };
    return { kind: 'contact-lost', reason, detail };
  }

  /** The bot's own shut-down has taken EXAoperation down: its silence is expected, not news. */
  expectOutage(now: number): void {
    this.lost = { lostAt: this.lost?.lostAt ?? now, reason: 'shut down by the bot', planned: true };
  }

  succeeded(now: number): ContactEvent | undefined {
    this.failures = 0;
    this.firstFailureAt = undefined;
    if (this.lost === undefined) return undefined;
    const downMs = Math.max(0, now - this.lost.lostAt);
    const planned = this.lost.planned === true;
    this.lost = undefined;
    return planned ? { kind: 'contact-restored', downMs, planned: true } : { kind: 'contact-restored', downMs };
  }
}
