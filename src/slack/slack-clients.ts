// The bot's Web API clients, each for one kind of work. The SDK pauses a client's whole queue
// while one of its calls waits out a 429, so work that must not wait behind another gets a client
// of its own: an approval is never held up by group lookups (Tier 2), notifications, Home tabs or
// modals. Every way out to Slack goes through the outbound proxy when one is configured.
import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { SlackConfig } from '../config/app-config.js';
import type { OutboundProxy } from './outbound-proxy.js';

export interface SlackClients {
  /** Posts: approval requests, answers, thread replies. */
  readonly web: WebClient;
  /** Progress edits: they handle 429 themselves (skip stale states, wait Retry-After), so no SDK retries. */
  readonly editor: WebClient;
  /** usergroups.users.list, for the access policy. */
  readonly directory: WebClient;
  /** The watcher's notifications. */
  readonly notifier: WebClient;
  /** views.publish of Home tabs. */
  readonly home: WebClient;
  /** views.open and views.update: a trigger_id lasts 3 s. */
  readonly views: WebClient;
  /** conversations.info, before a request is taken. */
  readonly membership: WebClient;
}

export function createSlackClients(slack: SlackConfig, proxy: OutboundProxy | undefined): SlackClients {
  const client = (options: WebClientOptions = { retryConfig: { retries: 3 } }): WebClient =>
    new WebClient(slack.botToken, {
      ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}),
      ...(proxy ? { fetch: proxy.fetch } : {}),
      ...options,
    });
  return {
    web: client(),
    editor: client({ rejectRateLimitedCalls: true, retryConfig: { retries: 0 } }),
    directory: client(),
    notifier: client(),
    home: client(),
    // A retry would come after the trigger_id's 3 s: a failed open is said to the user at once.
    views: client({ retryConfig: { retries: 0 } }),
    membership: client(),
  };
}
