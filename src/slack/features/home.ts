// The Home tab and direct messages (issue 16): `app_home_opened` publishes one card per cluster
// for whoever opened it, and every change of an operation publishes it again for those who had
// it open in the last day (debounced, one status read per cluster per refresh); a direct message
// to the app is answered with a short help. Both reach the executor through the intake, as
// commands do, so a standby forwards them.
import type { App } from '@slack/bolt';
import type { Logger } from '../../logging/logger.js';
import { renderDirectMessageHelp, renderHome, RECENT_PER_CARD, type HomeCard } from '../../messages/home-view.js';
import { errorMessage } from '../../operations/operation-core.js';
import type { OperationService } from '../../operations/operation-service.js';
import type { Clock } from '../../util/clock.js';
import { renderBlocks } from '../render-blocks.js';
import { take, type FeatureContext } from './feature-context.js';
import { slackString } from '../slack-request.js';
import type { SlackPoster } from '../slack-poster.js';

/** views.publish, as HomeTabs uses it (a WebClient of its own in the bot). */
export type PublishHome = (user: string, view: { type: 'home'; blocks: unknown[] }) => Promise<unknown>;

export interface HomeDeps {
  readonly service: Pick<OperationService, 'clusterNames' | 'status' | 'queue' | 'recent' | 'control'>;
  readonly publish: PublishHome;
  readonly poster: SlackPoster;
  readonly logger: Logger;
  readonly clock: Clock;
  /** The channel a cluster's operations are requested in, if one is configured for it. */
  readonly channelFor: (cluster: string) => string | undefined;
  /** Whether `user` may see `cluster` (the viewer role, as for /exa status): other cards are left out. */
  readonly mayView: (user: string, cluster: string) => Promise<boolean>;
  /** Whether `user` may request operations on `cluster` (the operator role): its card offers the form. */
  readonly mayRequest?: (user: string, cluster: string) => Promise<boolean>;
  /** Applied to whatever the tab shows from outside (an error's text may quote a configured secret). */
  readonly redact: (text: string) => string;
  /** Changes within this window are published together. @default 2000 */
  readonly debounceMs?: number;
}

/** Whoever opened the tab within this long gets it refreshed when something changes. */
const VIEWER_TTL_MS = 24 * 3600_000;
/** A bound on the refresh fan-out: views.publish is Tier 4 (100+ per minute). */
const MAX_VIEWERS = 50;
const STATUS_TIMEOUT_MS = 5000;

export class HomeTabs {
  private readonly viewers = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  /** Every read-and-publish runs after the one before, so an older read never lands over a newer one. */
  private serial: Promise<void> = Promise.resolve();

  constructor(private readonly deps: HomeDeps) {}

  /** app_home_opened: this user's tab, from a fresh read. */
  async opened(user: string): Promise<void> {
    this.viewers.delete(user);
    this.viewers.set(user, this.deps.clock.now());
    while (this.viewers.size > MAX_VIEWERS) this.viewers.delete(this.viewers.keys().next().value as string);
    await this.inTurn(async () => this.publishTo([user], await this.cards()));
  }

  private inTurn(work: () => Promise<void>): Promise<void> {
    const run = this.serial.then(work).catch((error: unknown) => void this.deps.logger.warn('could not publish a Home tab', { error: errorMessage(error) }));
    this.serial = run;
    return run;
  }

  /** A direct message to the app: the short help, in that conversation. */
  async answerDirectMessage(_user: string, channel: string): Promise<void> {
    await this.deps.poster.post(channel, renderBlocks(renderDirectMessageHelp(this.deps.service.clusterNames()))).catch((error: unknown) => {
      this.deps.logger.warn('could not answer a direct message', { error: errorMessage(error) });
    });
  }

  /** Something changed: the open tabs are published again, once per debounce window. */
  changed(): void {
    if (this.timer || this.viewers.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // After a refresh still under way, never instead of it: the last change must be shown.
      void this.inTurn(() => this.refresh());
    }, this.deps.debounceMs ?? 2000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.serial;
  }

  private async refresh(): Promise<void> {
    const now = this.deps.clock.now();
    for (const [user, at] of this.viewers) if (now - at > VIEWER_TTL_MS) this.viewers.delete(user);
    if (this.viewers.size === 0) return;
    await this.publishTo([...this.viewers.keys()], await this.cards());
  }

  /** Each user sees the cards of the clusters they may view, and nothing else. */
  private async publishTo(users: readonly string[], cards: readonly HomeCard[]): Promise<void> {
    for (const user of users) {
      const visible: HomeCard[] = [];
      for (const card of cards) {
        if (!(await this.deps.mayView(user, card.cluster))) continue;
        visible.push({ ...card, requestable: card.channel !== undefined && (await this.deps.mayRequest?.(user, card.cluster)) === true });
      }
      const blocks = renderBlocks(renderHome(visible, this.deps.clock.now())).blocks;
      await this.deps.publish(user, { type: 'home', blocks: [...blocks] }).catch((error: unknown) => {
        this.deps.logger.warn('could not publish a Home tab', { user, error: errorMessage(error) });
      });
    }
  }

  /** Every cluster's card; the live reads in parallel, each within a deadline. */
  private async cards(): Promise<HomeCard[]> {
    const { service } = this.deps;
    return Promise.all(
      service.clusterNames().map(async (cluster): Promise<HomeCard> => {
        const state = await service.status(cluster, AbortSignal.timeout(STATUS_TIMEOUT_MS)).then(
          (snapshot) => ({ kind: 'read' as const, snapshot }),
          (error: unknown) => ({ kind: 'unreadable' as const, why: this.deps.redact(errorMessage(error)) }),
        );
        const queue = service.queue(cluster);
        const recent = [...service.recent(cluster)].sort((a, b) => b.requestedAt - a.requestedAt).slice(0, RECENT_PER_CARD);
        const frozen = service.control.gate?.frozen(cluster, 'cluster-shutdown');
        return { cluster, state, running: queue.running, pending: queue.pending, awaitingApproval: queue.awaitingApproval, recent, channel: this.deps.channelFor(cluster), ...(frozen ? { frozen } : {}) };
      }),
    );
  }
}

/** Routes the two events into the intake (the executor runs them); Bolt acks events itself. */
export function registerHome(app: App, ctx: FeatureContext): void {
  const none = async (): Promise<void> => undefined;
  const { foreignTeam } = ctx;
  app.event('app_home_opened', async ({ event, body }) => {
    if (event.tab !== 'home' || foreignTeam(body.team_id)) return;
    take(ctx, { key: slackString(body.event_id), request: { kind: 'home-opened', user: event.user }, responseUrl: undefined }, none);
  });
  app.event('message', async ({ event, body }) => {
    const message = event as { channel_type?: string; subtype?: string; bot_id?: string; user?: string; channel?: string };
    // Only people writing to the app; never its own messages, edits or other bots.
    if (message.channel_type !== 'im' || message.subtype !== undefined || message.bot_id !== undefined || !message.user || !message.channel) return;
    if (foreignTeam(body.team_id)) return;
    take(ctx, { key: slackString(body.event_id), request: { kind: 'direct-message', user: message.user, channel: message.channel }, responseUrl: undefined }, none);
  });
}
