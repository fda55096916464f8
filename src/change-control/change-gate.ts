import type { OperationName } from '../lifecycle/operation-kind.js';
import { DEFAULT_APPROVAL_KINDS } from '../operations/approval-policy.js';
import type { Clock } from '../util/clock.js';
import { activeFreeze, type FreezeWindow } from './freeze-calendar.js';
import type { Holds } from './holds.js';

/** What keeps destructive operations off a cluster right now: a freeze window or a hold. */
export type Freeze =
  | { readonly kind: 'window'; readonly name: string; readonly reason: string; readonly until: number; readonly timeZone: string }
  | { readonly kind: 'hold'; readonly by: string; readonly reason: string; readonly until: number };

/** A hold stops what a freeze window stops by default: the operations that take something down. */
export const FROZEN_BY_DEFAULT: readonly OperationName[] = [...DEFAULT_APPROVAL_KINDS];

/**
 * The one question the request path asks (approval-workflow.ts): is this operation frozen on this
 * cluster now, and by what? A hold is named first: it is the more recent, deliberate decision.
 */
export class ChangeGate {
  constructor(
    private readonly windows: readonly FreezeWindow[],
    readonly holds: Holds | undefined,
    private readonly clock: Pick<Clock, 'now'>,
  ) {}

  frozen(cluster: string, operation: OperationName): Freeze | undefined {
    const hold = this.holds?.active(cluster);
    if (hold && FROZEN_BY_DEFAULT.includes(operation)) return { kind: 'hold', by: hold.by, reason: hold.reason, until: hold.until };
    const window = activeFreeze(this.windows, cluster, operation, this.clock.now());
    if (window) return { kind: 'window', name: window.window.name, reason: window.window.reason, until: window.until, timeZone: window.window.timeZone };
    return undefined;
  }
}

/** "the freeze window 'weekend' (weekend freeze) until Mon 8 Dec 06:00 Europe/Berlin", or the hold's who and why. */
export function describeFreeze(freeze: Freeze): string {
  if (freeze.kind === 'hold') return `a hold set by ${freeze.by} (${freeze.reason}) until ${formatUntil(freeze.until, 'UTC')}`;
  return `the freeze window '${freeze.name}' (${freeze.reason}) until ${formatUntil(freeze.until, freeze.timeZone)}`;
}

export function formatUntil(at: number, timeZone: string): string {
  const local = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(at));
  return `${local.replace(',', '')} ${timeZone}`;
}
