import type { ExaOperationClient } from '../../exaoperation/client.js';
import { isExaOperationError } from '../../exaoperation/errors.js';
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
  | { readonly kind: 'note'; readonly text: string };

export interface StepContext {
  readonly client: ExaOperationClient;
  readonly profile: ClusterProfile;
  readonly clock: Clock;
  /** Aborts waits (cancellation) and every call (bot shutting down). */
  readonly signal: AbortSignal;
  readonly boot: BootTracker;
  detail(detail: StepDetail): void;
}

export const done = (note?: string): StepOutcome => (note === undefined ? { kind: 'done' } : { kind: 'done', note });
export const skipped = (reason: string): StepOutcome => ({ kind: 'skipped', reason });

/**
 * During a wait, EXAoperation being briefly unreachable or slow is "not yet", not failure: the
 * wait's own deadline decides. Anything else (a fault, bad credentials) ends the wait at once.
 */
export function isTransient(error: unknown): boolean {
  return isExaOperationError(error) && (error.code === 'EXA_UNREACHABLE' || error.code === 'EXA_TIMEOUT');
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
