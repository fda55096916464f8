import type { AccessPolicy } from '../access/access-policy.js';
import type { Scheduler } from '../change-control/scheduler.js';
import type { Logger } from '../logging/logger.js';
import type { Redactor } from '../logging/redact.js';
import type { BotMetrics } from '../metrics/metrics.js';
import type { OperationService } from '../operations/operation-service.js';
import type { AuditInput } from '../operations/audit-log.js';
import type { AuditWriter } from '../store/operation-store.js';
import type { HomeTabs } from './features/home.js';
import type { OperationMessages } from './features/progress-messages.js';
import type { RequestForms } from './request-forms.js';
import type { SlackPoster } from './slack-poster.js';

/** What the Slack listeners need; passed in, so they can be exercised without a Bolt App. */
export interface SlackDeps {
  readonly service: OperationService;
  readonly access: AccessPolicy;
  readonly audit: AuditWriter;
  readonly poster: SlackPoster;
  readonly messages: OperationMessages;
  readonly logger: Logger;
  /** For what we write ourselves from user input (the audit log): people paste passwords. */
  readonly redact: Redactor;
  readonly metrics?: BotMetrics;
  /** The Home tab and the answer to direct messages (absent: both ignored). */
  readonly home?: HomeTabs;
  /** Modals: the request form and the confirm form of a critical shut-down (absent: /exa alone shows help). */
  readonly views?: ViewsPort;
  /** The request form's live part: databases and dry run (absent: form changes are ignored). */
  readonly forms?: RequestForms;
  /** Snooze and Skip on schedule notices (absent: no schedules configured). */
  readonly scheduler?: Pick<Scheduler, 'find' | 'snooze' | 'skip'>;
  defaultClusterFor(channel: string): string;
  /**
   * Whether the bot is a member of the channel, so it can post there: asked before a request
   * creates an operation. 'unknown' when Slack cannot say (a missing scope): then the post decides.
   */
  channelMembership?(channel: string): Promise<'member' | 'not-member' | 'unknown'>;
  /** False once SIGTERM arrived: no new commands. */
  accepting(): boolean;
  /** Tracks work started after an ack, so shutdown can wait for it. */
  track(work: Promise<unknown>): void;
}

/** What a listener can answer through: Bolt's respond() (response_url), typed loosely. */
export type Respond = (message: Record<string, unknown>) => Promise<unknown>;

/** views.open and views.update, as the bot uses them (a WebClient of its own, redacted). */
export interface ViewsPort {
  /** Opens a modal for the user whose action gave `triggerId` (valid 3 s, once). */
  open(triggerId: string, view: Record<string, unknown>): Promise<{ readonly id: string; readonly hash: string | undefined }>;
  /**
   * Replaces an open modal. `hash`: the view as the bot last saw it; 'stale' when another update
   * landed since (Slack's hash_conflict; the hash changes with updates only) or it was closed
   * (not_found), so the newer view is left alone.
   */
  update(viewId: string, hash: string | undefined, view: Record<string, unknown>): Promise<{ readonly kind: 'updated'; readonly hash: string | undefined } | { readonly kind: 'stale' }>;
}

/**
 * An answer to a form's submission, which has no response_url: an ephemeral message in the
 * channel, or, where that cannot reach them (the user is not in it, or the bot is not), a direct
 * message from the app: every answer reaches the person who asked.
 */
export function ephemeralResponder(poster: SlackPoster, channel: string, user: string): Respond {
  return async (message) => {
    const text = typeof message['text'] === 'string' ? message['text'] : '';
    const blocks = Array.isArray(message['blocks']) ? (message['blocks'] as Record<string, unknown>[]) : [];
    try {
      await poster.ephemeral(channel, user, { text, blocks });
    } catch {
      // A user id as the channel: Slack posts it in the app's direct messages with that user.
      await poster.post(user, { text, blocks });
    }
  };
}

/**
 * Puts a refusal on the record without holding up the answer to the user: the refusal stands
 * either way, and a write that fails is logged (the store says why, never a secret).
 */
export function auditRefusal(deps: Pick<SlackDeps, 'audit' | 'logger'>, entry: AuditInput): void {
  void deps.audit.record(entry).catch((error: unknown) => deps.logger.error('could not write a refusal to the audit log', { action: entry.action, error: error instanceof Error ? error.message : String(error) }));
}
