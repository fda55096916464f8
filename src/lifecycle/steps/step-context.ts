import type { ExaOperationClient } from '../../exaoperation/client.js';
import { isExaOperationError, type ExaErrorCode } from '../../exaoperation/errors.js';
import type { Clock } from '../../util/clock.js';
import type { ClusterProfile } from '../cluster-profile.js';
import type { BootTracker } from './boot-tracker.js';

/** What a step did: acted (with an optional note for the progress message), or skipped and why. */
export type StepOutcome =
  | { readonly kind: 'done'; readonly note?: string; readonly warning?: boolean }
  | { readonly kind: 'skipped'; readonly reason: string };

/** A step's finer-grained news, e.g. one node finished booting. */
export type StepDetail =
  | { readonly kind: 'node-powered-on'; readonly node: string }
  | { readonly kind: 'node-booted'; readonly node: string; readonly seconds: number }
  | { readonly kind: 'database-accepting'; readonly database: string; readonly connectionString: string }
  | { readonly kind: 'note'; readonly text: string }
  /** A host action's end and the tail of its output (Exasol 8 power step): shown in the operation's thread. */
  | { readonly kind: 'host-output'; readonly node: string; readonly direction: 'off' | 'on'; readonly end: string; readonly ok: boolean; readonly output: string; readonly truncated: boolean };

export interface StepContext {
  readonly client: ExaOperationClient;
  readonly profile: ClusterProfile;
  readonly clock: Clock;
  /** Aborts waits (cancellation) and every call (bot shutting down). */
  readonly signal: AbortSignal;
  readonly boot: BootTracker;
  /**
   * 1, or more when the step runs again because EXAoperation did not answer (retry-step.ts): an
   * earlier attempt's action may then have gone through with its answer lost, so a refusal may
   * mean "already under way", and the wait that follows decides.
   */
  readonly attempt: number;
  /**
   * Aborted by a cancel or a stop of the bot, even during a step that is not safe to interrupt:
   * such a step is not started again after its first attempt once this fired (retry-step.ts).
   */
  readonly retryGate?: AbortSignal;
  detail(detail: StepDetail): void;
}

/** Attempts per step (retry-step.ts): enough for a restart or two, few enough that a call that always hangs ends the operation. */
export const MAX_STEP_ATTEMPTS = 3;

export const done = (note?: string): StepOutcome => (note === undefined ? { kind: 'done' } : { kind: 'done', note });
export const skipped = (reason: string): StepOutcome => ({ kind: 'skipped', reason });

/**
 * During a wait, EXAoperation being briefly unreachable, slow, answering 5xx or a page that is not
 * XML-RPC (a restarting or half-started web server) is "not yet", not failure: the wait's own
 * deadline decides. Anything else (a fault, bad credentials, a 404) ends the wait at once.
 */
export function isTransient(error: unknown): boolean {
  if (!isExaOperationError(error)) return false;
  switch (error.code) {
    case 'EXA_UNREACHABLE':
    case 'EXA_TIMEOUT':
    case 'EXA_MALFORMED_RESPONSE':
      return true;
    case 'EXA_HTTP_ERROR':
      return error.httpStatus !== undefined && error.httpStatus >= 500;
    default:
      return false;
  }
}

/**
 * While the license server boots, EXAoperation refuses connections, times out, or its half-started
 * web server answers with an HTTP error or with something that is not XML-RPC: all of these mean
 * "not up yet" to anything waiting for EXAoperation itself to answer. Bad credentials or a fault do not.
 */
const NOT_UP_YET: ReadonlySet<ExaErrorCode> = new Set(['EXA_UNREACHABLE', 'EXA_TIMEOUT', 'EXA_HTTP_ERROR', 'EXA_MALFORMED_RESPONSE']);

export function isExaoperationNotUpYet(error: unknown): boolean {
  return isExaOperationError(error) && NOT_UP_YET.has(error.code);
}

/** Waits start polling this often and slow down as they go on (see waitUntil). */
const MIN_POLL_MS = 250;

export function waitOptions(ctx: StepContext, description: string, timeoutMs: number) {
  return {
    description,
    timeoutMs,
    intervalMs: ctx.profile.pollIntervalMs,
    minIntervalMs: MIN_POLL_MS,
    clock: ctx.clock,
    signal: ctx.signal,
    tolerate: isTransient,
  };
}
