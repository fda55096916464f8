// The request form (issue 16): opened by `/exa` alone or a Home card's button, filled in live by
// the executor as the user picks (request-forms.ts), and submitted as the command it stands for,
// so a form takes exactly the way of a typed request: access, reason rules, approval, queue.
import type { App } from '@slack/bolt';
import { errorMessage } from '../../operations/operation-core.js';
import { ACTION_PREFIX } from '../render-blocks.js';
import { FORM_CALLBACK, FORM_FIELD, formCommand, readFormChannel, readFormValues } from '../request-form-view.js';
import { slackString } from '../slack-request.js';
import type { Respond } from '../slack-deps.js';
import { answerInChannel, take, tell, type FeatureContext } from './feature-context.js';

const FORM_ACTIONS = new RegExp(`^(${Object.values(FORM_FIELD).join('|')})$`);

/** Who may use the form: an operator on one of the clusters here (the check is repeated on submit). */
export async function mayRequestHere(ctx: FeatureContext, user: string, channel: string): Promise<boolean> {
  const { deps } = ctx;
  if (!deps.access.channelAllowed(channel)) return false;
  const checks = deps.service.clusterNames().map(async (cluster) => (await deps.access.check(user, channel, 'operator', cluster)).allowed);
  return (await Promise.all(checks)).some(Boolean);
}

/** Opens the form for `user`, posting to `channel`; says why not when it cannot (in `respond`). */
export async function openRequestForm(ctx: FeatureContext, input: { trigger: string; user: string; channel: string; cluster?: string; respond: Respond }): Promise<void> {
  const { deps } = ctx;
  if (!deps.views || !deps.forms) return;
  if (!deps.accepting()) return tell(ctx, input.respond, 'The bot is restarting and takes no requests right now. Try again in a minute.');
  if (!deps.access.channelAllowed(input.channel)) return tell(ctx, input.respond, 'Not allowed: /exa is not enabled in this channel.');
  // The request would be posted, and its answers sent, in a channel without the bot: nowhere.
  if ((await deps.channelMembership?.(input.channel)) === 'not-member') {
    return tell(ctx, input.respond, 'I am not a member of this channel, so I cannot post a request here. Invite me with /invite @exa-chatops, then try again.');
  }
  try {
    await deps.views.open(input.trigger, deps.forms.initial(input.channel, input.cluster ?? deps.defaultClusterFor(input.channel)));
  } catch (error) {
    ctx.logger.warn('could not open the request form', { error: errorMessage(error) });
    await tell(ctx, input.respond, 'I could not open the request form just now. Type the request instead, e.g. /exa shutdown -- quarterly patching; /exa help lists every command.');
  }
}

export function registerRequestForm(app: App, ctx: FeatureContext): void {
  // A pick in the form: the executor reads the databases and the dry run and updates the form.
  app.action({ type: 'block_actions', action_id: FORM_ACTIONS }, async ({ ack, body }) => {
    await ack();
    if (ctx.foreignTeam(body.team?.id ?? body.user.team_id)) return;
    const view = body.view;
    const channel = readFormChannel(view?.private_metadata);
    if (!view || view.callback_id !== FORM_CALLBACK || !channel) return;
    const values = readFormValues(view.state);
    const request = { kind: 'form-change', user: body.user.id, channel, viewId: view.id, hash: slackString(view.hash), values } as const;
    take(ctx, { key: slackString(body.trigger_id), request, responseUrl: undefined }, async () => undefined);
  });

  app.view(FORM_CALLBACK, async ({ ack, body, view }) => {
    const team = body.team?.id ?? body.user.team_id;
    const channel = readFormChannel(view.private_metadata);
    if (ctx.foreignTeam(team) || !channel) {
      await ack();
      if (ctx.foreignTeam(team)) ctx.foreignDenial(team, body.user.id, channel, 'request form');
      return;
    }
    const command = formCommand(readFormValues(view.state));
    // What is missing is said beside the field, and the form stays open.
    if ('errors' in command) return void (await ack({ response_action: 'errors', errors: command.errors }));
    await ack();
    const user = body.user.id;
    const delivery = { key: slackString((body as { trigger_id?: unknown }).trigger_id), request: { kind: 'command', user, channel, text: command.text }, responseUrl: undefined, replyTo: { channel, user } } as const;
    take(ctx, delivery, answerInChannel(ctx, channel, user));
  });

  // A Home card's "Request an operation…": the form with that cluster, posting to its channel.
  app.action({ type: 'block_actions', action_id: `${ACTION_PREFIX}request` }, async ({ ack, body, action }) => {
    await ack();
    if (ctx.foreignTeam(body.team?.id ?? body.user.team_id)) return;
    const cluster = (action as { value?: string }).value;
    const trigger = slackString(body.trigger_id);
    const channel = cluster === undefined ? undefined : ctx.deps.forms?.channelFor(cluster);
    const user = body.user.id;
    if (!trigger || !channel || !cluster) return;
    ctx.run(() => openRequestForm(ctx, { trigger, user, channel, cluster, respond: answerInChannel(ctx, channel, user) }));
  });
}
