// Where a delivered request goes after its ack. With the file store there is one process and it
// runs everything (directIntake). With PostgreSQL every replica takes Slack traffic (Socket Mode
// spreads events over the open connections; a load balancer over the pods), but only the executor
// acts: a standby forwards each request through the database and the executor answers it through
// its response_url; a retry that reaches the other replica is recognised by its key and dropped.
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logging/logger.js';
import type { Redactor } from '../logging/redact.js';
import { renderProblem } from '../messages/error-view.js';
import { errorMessage } from '../operations/operation-core.js';
import type { Message } from '../messages/message.js';
import type { Clock } from '../util/clock.js';
import { renderBlocks } from './render-blocks.js';
import { ephemeralResponder, type Respond, type SlackDeps } from './slack-deps.js';
import { parseDelivery, runRequest, type Delivery } from './slack-request.js';

export interface RequestIntake {
  take(delivery: Delivery, respond: Respond): Promise<void>;
}

/** One process: it runs what it receives. */
export function directIntake(deps: SlackDeps): RequestIntake {
  return { take: (delivery, respond) => runRequest(delivery.request, respond, deps) };
}

/** The shared table of deliveries (pg-intake.ts), as this module uses it. */
export interface IntakeQueue {
  takeOwn(key: string): Promise<boolean>;
  forward(key: string, payload: unknown): Promise<boolean>;
  withdraw(key: string): Promise<boolean>;
  claim(limit?: number): Promise<readonly { key: string; payload: unknown; ageMs: number }[]>;
}

export interface SharedIntakeOptions {
  readonly queue: IntakeQueue;
  readonly deps: SlackDeps;
  /** Answers a request through its response_url (the executor answers what a standby received). */
  readonly respondTo: (responseUrl: string) => Respond;
  /** Calls `wake` at each NOTIFY of a forwarded request, until the signal aborts. */
  readonly listen: (wake: () => void, signal: AbortSignal) => void;
  readonly redact: Redactor;
  readonly logger: Logger;
  readonly clock: Clock;
  /** How long a forwarded request waits for an executor to claim it before the standby takes it back. */
  readonly waitMs: number;
  /** The executor also looks for forwarded requests this often, in case a notification was missed. */
  readonly pollMs: number;
}

const CLAIM_BATCH = 20;

/** An ephemeral answer; a failure to deliver it is logged by the caller's logger, never thrown. */
const answerWith =
  (logger: Logger) =>
  async (respond: Respond, message: Message): Promise<void> => {
    await respond({ response_type: 'ephemeral', replace_original: false, ...renderBlocks(message) }).catch((error: unknown) => {
      logger.warn(`could not answer a Slack request through its response_url: ${errorMessage(error)}`);
    });
  };

/**
 * The PostgreSQL intake of one replica: forwarding while it stands by, executing (its own requests
 * and those forwarded by the others) from execute() on. A forwarded request is claimed by the
 * executor or withdrawn by its standby, never both; the person is told either way.
 */
export class SharedIntake implements RequestIntake {
  private executing = false;
  private readonly stopping = new AbortController();
  private poll: NodeJS.Timeout | undefined;
  private claiming: Promise<void> | undefined;
  private again = false;

  constructor(private readonly options: SharedIntakeOptions) {}

  async take(delivery: Delivery, respond: Respond): Promise<void> {
    const { deps, logger } = this.options;
    const answer = answerWith(logger);
    // Without a trigger_id (never seen from Slack) the delivery cannot be matched to a retry.
    const key = delivery.key ?? `untracked-${randomUUID()}`;
    if (this.executing) {
      // A database that cannot say whether a retry was seen does not stop the request: a repeated
      // request or decision is refused by the operations core anyway (one pending per cluster, one decision).
      const first = await this.options.queue.takeOwn(key).catch((error: unknown) => {
        logger.warn(`could not record a Slack delivery in PostgreSQL (${errorMessage(error)}); running it without the check for a retry`);
        return true;
      });
      if (!first) return void logger.info('a Slack delivery another replica already took arrived again (a retry): ignored', { user: delivery.request.user });
      return runRequest(delivery.request, respond, deps);
    }
    if (!deps.accepting()) return void (await answer(respond, renderProblem('The bot is restarting and takes no requests right now. Try again in a minute.')));
    const request = redactRequest(delivery.request, this.options.redact);
    try {
      if (!(await this.options.queue.forward(key, { key, request, responseUrl: delivery.responseUrl, ...(delivery.replyTo ? { replyTo: delivery.replyTo } : {}) }))) {
        return void logger.info('a Slack delivery already forwarded arrived again (a retry): ignored', { user: delivery.request.user });
      }
    } catch (error) {
      logger.error(`could not hand a Slack request to the executing replica: ${errorMessage(error)}`);
      return void (await answer(respond, renderProblem('I could not hand your request to the replica that executes operations: the shared database did not answer. Nothing was done. Try again in a minute.')));
    }
    await this.options.clock.sleep(this.options.waitMs, this.stopping.signal, { keepAlive: false }).catch(() => undefined);
    let withdrawn: boolean;
    try {
      withdrawn = await this.options.queue.withdraw(key);
    } catch (error) {
      logger.error(`could not check whether the executing replica took a Slack request: ${errorMessage(error)}`);
      return void (await answer(respond, renderProblem('I could not confirm that the replica executing operations took your request (the shared database did not answer). See /exa queue before you ask again.')));
    }
    if (!withdrawn) return;
    if (this.stopping.signal.aborted) {
      return void (await answer(respond, renderProblem('This replica is stopping and the one executing operations had not taken your request yet. Nothing was done. Try again in a minute.')));
    }
    logger.warn(`no replica claimed a forwarded Slack request within ${this.options.waitMs / 1000} s: taken back and answered`, { user: delivery.request.user });
    await answer(respond, renderProblem(`No replica took your request within ${Math.round(this.options.waitMs / 1000)} s: the one executing operations is being replaced. Nothing was done. Try again in a minute.`));
  }

  /** This replica now executes: it runs what it receives, and claims what the others forward. */
  execute(): void {
    if (this.executing) return;
    this.executing = true;
    this.options.listen(() => this.wake(), this.stopping.signal);
    this.poll = setInterval(() => this.wake(), this.options.pollMs);
    this.poll.unref();
    this.wake();
  }

  /** No more claims; a standby's forwarded requests still waiting are taken back (and answered) at once. */
  async stop(): Promise<void> {
    this.stopping.abort();
    clearInterval(this.poll);
    await this.claiming;
  }

  private wake(): void {
    if (this.stopping.signal.aborted) return;
    if (this.claiming) {
      this.again = true;
      return;
    }
    this.claiming = (async () => {
      do {
        this.again = false;
        await this.claimAll();
      } while (this.again && !this.stopping.signal.aborted);
    })().finally(() => {
      this.claiming = undefined;
    });
  }

  private async claimAll(): Promise<void> {
    const { queue, deps, logger } = this.options;
    for (;;) {
      let claimed: Awaited<ReturnType<IntakeQueue['claim']>>;
      try {
        claimed = await queue.claim(CLAIM_BATCH);
      } catch (error) {
        return void logger.warn(`could not claim forwarded Slack requests from PostgreSQL (${errorMessage(error)}); trying again in ${this.options.pollMs / 1000} s`);
      }
      for (const row of claimed) this.runForwarded(row, deps, logger);
      if (claimed.length < CLAIM_BATCH || this.stopping.signal.aborted) return;
    }
  }

  private runForwarded(row: { key: string; payload: unknown; ageMs: number }, deps: SlackDeps, logger: Logger): void {
    const delivery = parseDelivery(row.payload);
    if (!delivery) return void logger.error('a forwarded Slack request could not be read (another version of the bot wrote it?): not run', { key: row.key });
    // Events (the Home tab, a direct message) come without a response_url: their answers are posts;
    // a form's submission is answered with ephemeral messages.
    const respond: Respond = delivery.responseUrl
      ? this.options.respondTo(delivery.responseUrl)
      : delivery.replyTo
        ? ephemeralResponder(deps.poster, delivery.replyTo.channel, delivery.replyTo.user)
        : async () => undefined;
    const answer = answerWith(logger);
    // Older than its standby would wait: that standby died before it could take it back. Whoever
    // asked may have asked again since, or given up: it is not run late.
    const stale = row.ageMs > this.options.waitMs + 5000;
    const work = stale
      ? answer(respond, renderProblem(`Your request waited ${Math.round(row.ageMs / 1000)} s for a replica to execute it, so it was not run. Ask again if it is still needed.`))
      : runRequest(delivery.request, respond, deps);
    deps.track(work.catch((error: unknown) => logger.error(`a forwarded Slack request failed: ${errorMessage(error)}`)));
  }
}

/** What a person typed, before it is stored in the shared table: people paste passwords. */
function redactRequest(request: Delivery['request'], redact: Redactor): Delivery['request'] {
  switch (request.kind) {
    case 'command':
      return { ...request, text: redact(request.text) };
    case 'click':
      return request.typedName === undefined ? request : { ...request, typedName: redact(request.typedName) };
    case 'form-change':
      return request.values.reason === undefined ? request : { ...request, values: { ...request.values, reason: redact(request.values.reason) } };
    default:
      return request;
  }
}
