// What a person asked of the bot through Slack, free of Bolt: a slash command or a click on one of
// our buttons. Every replica can receive one; the executor runs it (request-intake.ts).
import { OPERATION_NAMES } from '../lifecycle/operation-kind.js';
import { runButtonClick, type ButtonAction } from './action-listener.js';
import { runSlashCommand } from './command-listener.js';
import { runScheduleClick } from './schedule-click.js';
import type { FormValues } from './request-form-view.js';
import type { Respond, SlackDeps } from './slack-deps.js';

export type SlackRequest =
  | { readonly kind: 'command'; readonly user: string; readonly channel: string; readonly text: string }
  /** `typedName`: the cluster's name, typed in the confirm form of a critical cluster's shut-down. */
  | { readonly kind: 'click'; readonly user: string; readonly channel: string | undefined; readonly action: ButtonAction; readonly opId: string; readonly typedName?: string }
  /** A field of the request form changed: the executor fills in the databases and the dry run. */
  | { readonly kind: 'form-change'; readonly user: string; readonly channel: string; readonly viewId: string; readonly hash: string | undefined; readonly values: FormValues }
  /** Snooze 1 h or Skip on a schedule's notice: `occurrence` names the run (ms). */
  | { readonly kind: 'schedule-click'; readonly user: string; readonly channel: string; readonly action: 'snooze' | 'skip'; readonly schedule: string; readonly occurrence: number }
  /** The user opened the app's Home tab (app_home_opened). */
  | { readonly kind: 'home-opened'; readonly user: string }
  /** The user wrote to the app in its Messages tab (message.im). */
  | { readonly kind: 'direct-message'; readonly user: string; readonly channel: string };

/** A request as delivered: with what identifies the delivery and where to answer it. */
export interface Delivery {
  /** Slack's trigger_id: the same in a retry of this delivery, new for every other one. */
  readonly key: string | undefined;
  readonly request: SlackRequest;
  /** Where the answer goes when another replica gives it (valid 30 minutes, 5 uses). */
  readonly responseUrl: string | undefined;
  /**
   * A form's submission has no response_url: its answers are ephemeral messages to this user in
   * this channel (chat.postEphemeral), whichever replica gives them.
   */
  readonly replyTo?: { readonly channel: string; readonly user: string };
}

/** A payload field Slack sends as a string (a trigger_id, an event_id, a response_url), or undefined. */
export function slackString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Runs a request on this replica: parse, check access, act, answer through `respond`. */
export async function runRequest(request: SlackRequest, respond: Respond, deps: SlackDeps): Promise<void> {
  switch (request.kind) {
    case 'command':
      return runSlashCommand(request, respond, deps);
    case 'click':
      return runButtonClick(request, respond, deps);
    case 'form-change':
      return deps.forms?.refresh(request);
    case 'schedule-click':
      return runScheduleClick(request, respond, deps);
    case 'home-opened':
      return deps.home?.opened(request.user);
    case 'direct-message':
      return deps.home?.answerDirectMessage(request.user, request.channel);
  }
}

const ACTIONS: readonly string[] = ['approve', 'reject', 'cancel'] satisfies readonly ButtonAction[];

/**
 * A delivery read back from where another replica stored it, checked field by field: a row that
 * is not one (written by a newer bot, or by hand) is refused, never half-run.
 */
export function parseDelivery(value: unknown): Delivery | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { key, request, responseUrl, replyTo } = value as Record<string, unknown>;
  if (typeof request !== 'object' || request === null) return undefined;
  const r = request as Record<string, unknown>;
  const str = (v: unknown): v is string => typeof v === 'string';
  const optional = (v: unknown): v is string | undefined => v === undefined || typeof v === 'string';
  if (!optional(key) || !optional(responseUrl) || !str(r['user'])) return undefined;
  const reply = replyTo as Record<string, unknown> | undefined;
  if (reply !== undefined && (typeof reply !== 'object' || reply === null || !str(reply['channel']) || !str(reply['user']))) return undefined;
  const common = { key, responseUrl, ...(reply ? { replyTo: { channel: reply['channel'] as string, user: reply['user'] as string } } : {}) };
  if (r['kind'] === 'command' && str(r['channel']) && str(r['text'])) {
    return { ...common, request: { kind: 'command', user: r['user'], channel: r['channel'], text: r['text'] } };
  }
  if (r['kind'] === 'home-opened') return { ...common, request: { kind: 'home-opened', user: r['user'] } };
  if (r['kind'] === 'direct-message' && str(r['channel'])) return { ...common, request: { kind: 'direct-message', user: r['user'], channel: r['channel'] } };
  if (r['kind'] === 'click' && optional(r['channel']) && str(r['action']) && ACTIONS.includes(r['action']) && str(r['opId']) && optional(r['typedName'])) {
    const typed = r['typedName'] === undefined ? {} : { typedName: r['typedName'] };
    return { ...common, request: { kind: 'click', user: r['user'], channel: r['channel'], action: r['action'] as ButtonAction, opId: r['opId'], ...typed } };
  }
  if (r['kind'] === 'schedule-click' && str(r['channel']) && (r['action'] === 'snooze' || r['action'] === 'skip') && str(r['schedule']) && typeof r['occurrence'] === 'number' && Number.isSafeInteger(r['occurrence'])) {
    return { ...common, request: { kind: 'schedule-click', user: r['user'], channel: r['channel'], action: r['action'], schedule: r['schedule'], occurrence: r['occurrence'] } };
  }
  if (r['kind'] === 'form-change' && str(r['channel']) && str(r['viewId']) && optional(r['hash'])) {
    const values = formValues(r['values']);
    if (values) return { ...common, request: { kind: 'form-change', user: r['user'], channel: r['channel'], viewId: r['viewId'], hash: r['hash'], values } };
  }
  return undefined;
}

/** A form's values read back from the database: each field a string, the operation one of ours. */
function formValues(value: unknown): FormValues | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const field of ['cluster', 'operation', 'database', 'reason'] as const) {
    if (v[field] === undefined) continue;
    if (typeof v[field] !== 'string') return undefined;
    out[field] = v[field];
  }
  if (out['operation'] !== undefined && !(OPERATION_NAMES as readonly string[]).includes(out['operation'])) return undefined;
  return out as FormValues;
}
