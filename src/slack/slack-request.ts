// What a person asked of the bot through Slack, free of Bolt: a slash command or a click on one of
// our buttons. Every replica can receive one; the executor runs it (request-intake.ts).
import { runButtonClick, type ButtonAction } from './action-listener.js';
import { runSlashCommand } from './command-listener.js';
import type { Respond, SlackDeps } from './slack-deps.js';

export type SlackRequest =
  | { readonly kind: 'command'; readonly user: string; readonly channel: string; readonly text: string }
  | { readonly kind: 'click'; readonly user: string; readonly channel: string | undefined; readonly action: ButtonAction; readonly opId: string }
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
  const { key, request, responseUrl } = value as Record<string, unknown>;
  if (typeof request !== 'object' || request === null) return undefined;
  const r = request as Record<string, unknown>;
  const str = (v: unknown): v is string => typeof v === 'string';
  const optional = (v: unknown): v is string | undefined => v === undefined || typeof v === 'string';
  if (!optional(key) || !optional(responseUrl) || !str(r['user'])) return undefined;
  const common = { key, responseUrl };
  if (r['kind'] === 'command' && str(r['channel']) && str(r['text'])) {
    return { ...common, request: { kind: 'command', user: r['user'], channel: r['channel'], text: r['text'] } };
  }
  if (r['kind'] === 'home-opened') return { ...common, request: { kind: 'home-opened', user: r['user'] } };
  if (r['kind'] === 'direct-message' && str(r['channel'])) return { ...common, request: { kind: 'direct-message', user: r['user'], channel: r['channel'] } };
  if (r['kind'] === 'click' && optional(r['channel']) && str(r['action']) && ACTIONS.includes(r['action']) && str(r['opId'])) {
    return { ...common, request: { kind: 'click', user: r['user'], channel: r['channel'], action: r['action'] as ButtonAction, opId: r['opId'] } };
  }
  return undefined;
}
