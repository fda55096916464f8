// What every Slack feature's register(app, ctx) gets (the Bolt starter's shape): the dependencies,
// the intake that runs a request where it should run, and the checks every listener makes first.
import type { Logger } from '../../logging/logger.js';
import { renderProblem } from '../../messages/error-view.js';
import { renderBlocks } from '../render-blocks.js';
import type { RequestIntake } from '../request-intake.js';
import type { Delivery } from '../slack-request.js';
import { ephemeralResponder, type Respond, type SlackDeps } from '../slack-deps.js';

export interface FeatureContext {
  readonly deps: SlackDeps;
  readonly intake: RequestIntake;
  readonly logger: Logger;
  /** True for a signed request from a workspace this bot does not serve. */
  foreignTeam(team: string | undefined): boolean;
  /** Puts such a request on the record (a security event). */
  foreignDenial(team: string | undefined, user: string, channel: string | undefined, what: string): void;
  /** Bolt's respond(), with every reply redacted. */
  safe(respond: (message: never) => Promise<unknown>): Respond;
  /** Runs `work` after the acks already waiting, tracked so a stop waits for it. */
  run(work: () => Promise<unknown>): void;
}

/** Hands a delivery to the intake after the pending acks; its answers go to `respond`. */
export function take(ctx: FeatureContext, delivery: Delivery, respond: Respond): void {
  ctx.run(() => ctx.intake.take(delivery, respond));
}

/** Where a form's answers go: there is no response_url, so an ephemeral message in the channel. */
export function answerInChannel(ctx: FeatureContext, channel: string, user: string): Respond {
  return ephemeralResponder(ctx.deps.poster, channel, user);
}

/** An ephemeral problem through `respond`; a failure to deliver it is logged, never thrown. */
export async function tell(ctx: FeatureContext, respond: Respond, problem: string): Promise<void> {
  await respond({ response_type: 'ephemeral', replace_original: false, ...renderBlocks(renderProblem(problem)) }).catch((error: unknown) => {
    ctx.logger.warn('could not answer a Slack request', { error: error instanceof Error ? error.message : String(error) });
  });
}
