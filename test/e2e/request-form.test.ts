// Forms instead of syntax (issue 16, items 4 and 5), through the real Bolt app in both modes:
// `/exa` alone opens the request form; picking the operation fills in the dry run and makes the
// reason required; the submitted form becomes the approval request, which mentions the approver
// group; on a cluster marked critical the approver types the cluster's name in the confirm form
// (a wrong name is refused beside the field, approving by id alone is refused); the progress
// lands in the request's thread, the requester is mentioned at the end, and the Home tab shows the
// new state and offers the form for the cluster.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FakeSlack, OpenedView } from '../fakes/slack/index.js';
import { botMessages, CHANNELS, CLUSTER, nextEphemeral, startStack, textOf, USERS, type Stack } from './harness.js';

const DBAS = 'S0DBAS';

const viewText = (view: OpenedView | undefined): string => (view ? textOf({ text: '', blocks: view.view['blocks'] as never }) : '');
const homeText = (fake: FakeSlack, user: string): string => {
  const home = fake.home(user);
  return home ? textOf({ text: '', blocks: home.view['blocks'] as never }) : '';
};
const modalOf = (fake: FakeSlack, user: string, callback: string, after = 0): OpenedView | undefined =>
  fake.views().filter((v) => v.user === user && v.view['callback_id'] === callback && v.at >= after).at(-1);

for (const mode of ['http', 'socket'] as const) {
  describe(`the request form and the confirm form (${mode === 'http' ? 'HTTP mode' : 'Socket Mode'})`, { timeout: 90_000 }, () => {
    let stack: Stack;
    before(async () => {
      stack = await startStack({
        mode,
        env: {
          EXA_CRITICAL_CLUSTERS: CLUSTER,
          EXA_CHANNEL_CLUSTERS: `${CHANNELS.ops}=${CLUSTER}`,
          EXA_APPROVERS: DBAS,
          EXA_REASON_REQUIRED_FOR: 'cluster-shutdown',
        },
      });
      stack.fake.addUserGroup(DBAS, [USERS.app, USERS.app2]);
    });
    after(async () => {
      await stack.close();
    });

    it('a database operation lists the databases from the cluster, and the dry run of what was picked', async () => {
      const { fake } = stack;
      const started = Date.now();
      await fake.slashCommand({ user: USERS.op, channel: CHANNELS.other, text: '  ' });
      const form = await fake.waitFor(() => modalOf(fake, USERS.op, 'exa_request_form', started), 5000, 'the request form');
      await fake.selectInView({ user: USERS.op, viewId: form.id, blockId: 'exa_form_operation', actionId: 'exa_form_operation', value: 'database-start' });
      const database = (view: OpenedView | undefined): Record<string, unknown> | undefined =>
        (view?.view['blocks'] as Array<Record<string, unknown>> | undefined)?.find((b) => b['block_id'] === 'exa_form_database.cluster1');
      const listed = await fake.waitFor(() => database(fake.view(form.id)), 10_000, 'the databases');
      assert.deepEqual(((listed['element'] as Record<string, unknown>)['options'] as Array<{ value: string }>).map((o) => o.value), ['exa_db1', 'exa_db2'], 'as the cluster lists them');
      assert.match(viewText(fake.view(form.id)), /Pick the database to see the dry run/);
      // The database is a required pick: the Slack client does not submit the form without it.
      await assert.rejects(fake.submitView({ user: USERS.op, viewId: form.id }), /required input exa_form_database/);
      // With the database picked, the dry run of its start (it already runs: a step to skip).
      await fake.selectInView({ user: USERS.op, viewId: form.id, blockId: 'exa_form_database.cluster1', actionId: 'exa_form_database', value: 'exa_db2' });
      await fake.waitFor(() => (/Dry run: Start of database exa_db2 on cluster cluster1/.test(viewText(fake.view(form.id))) ? true : undefined), 10_000, 'the dry run of the database start');
      assert.equal(fake.view(form.id)?.values['exa_form_operation']?.['exa_form_operation'], 'database-start', 'the picks stay as the user made them');
    });

    it('a shut-down requested through the form, approved with the cluster name typed, reported in one thread', async () => {
      const { fake } = stack;
      const opened = Date.now();
      const typed = await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: '' });
      assert.equal(typed.status, 200);
      const form = await fake.waitFor(() => modalOf(fake, USERS.op, 'exa_request_form', opened), 5000, 'the request form');
      assert.match(viewText(form), /Pick a cluster and an operation to see the dry run/);
      assert.equal(form.values['exa_form_cluster']?.['exa_form_cluster'], CLUSTER, "the channel's cluster is picked");

      await fake.selectInView({ user: USERS.op, viewId: form.id, blockId: 'exa_form_operation', actionId: 'exa_form_operation', value: 'cluster-shutdown' });
      const filled = await fake.waitFor(() => (/Dry run: Shut-down of cluster cluster1/.test(viewText(fake.view(form.id))) ? fake.view(form.id) : undefined), 10_000, 'the dry run in the form');
      assert.match(viewText(filled), /Nothing blocks this plan[\s\S]*steps: \d+ to do/);
      const reason = (filled.view['blocks'] as Array<Record<string, unknown>>).find((b) => b['block_id'] === 'exa_form_reason');
      assert.equal(reason?.['optional'], false, 'a shut-down needs a reason here');
      // The Slack client does not submit a required field left empty.
      await assert.rejects(fake.submitView({ user: USERS.op, viewId: form.id }), /required input exa_form_reason/);

      fake.typeInView({ user: USERS.op, viewId: form.id, blockId: 'exa_form_reason', actionId: 'exa_form_reason', text: 'quarterly patching' });
      const submitted = await fake.submitView({ user: USERS.op, viewId: form.id });
      assert.equal(submitted.status, 200);
      assert.equal(fake.view(form.id)?.open, false, 'the form closed');

      const request = await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /Approval needed for op-1:/)[0], 5000, 'the approval request');
      assert.match(textOf(request), new RegExp(`<!subteam\\^${DBAS}> may approve or reject this request`), 'the approver group is mentioned');
      assert.match(textOf(request), /quarterly patching/);

      // The critical cluster's Approve opens the confirm form instead of a yes/no dialog.
      const clicked = Date.now();
      await fake.clickButton({ user: USERS.app, channel: CHANNELS.ops, messageTs: request.ts, actionId: 'exa_approve_typed' });
      const confirm = await fake.waitFor(() => modalOf(fake, USERS.app, 'exa_confirm_name', clicked), 5000, 'the confirm form');
      assert.match(viewText(confirm), /You approve \*op-1\*: the \*shut-down of cluster cluster1\*, which is marked critical/);
      fake.typeInView({ user: USERS.app, viewId: confirm.id, blockId: 'exa_confirm_name_input', actionId: 'exa_confirm_name_input', text: 'cluster2' });
      await fake.submitView({ user: USERS.app, viewId: confirm.id });
      assert.deepEqual(fake.view(confirm.id)?.errors, { exa_confirm_name_input: "Type the cluster's name exactly: cluster1" });
      assert.equal(fake.view(confirm.id)?.open, true, 'a wrong name keeps the form open');
      // By id alone, it is refused with the way to do it.
      await fake.slashCommand({ user: USERS.app2, channel: CHANNELS.ops, text: 'approve op-1' });
      assert.match(textOf(await nextEphemeral(fake, USERS.app2, CHANNELS.ops, 0)), /marked critical, so its shut-down is approved with its name typed: click Approve and type cluster1, or \/exa approve op-1 cluster1/);
      assert.equal(stack.bot.service.get('op-1')?.status.kind, 'awaiting-approval', 'nothing was approved yet');

      fake.typeInView({ user: USERS.app, viewId: confirm.id, blockId: 'exa_confirm_name_input', actionId: 'exa_confirm_name_input', text: 'cluster1' });
      await fake.submitView({ user: USERS.app, viewId: confirm.id });
      assert.equal(fake.view(confirm.id)?.open, false);

      // The request message becomes the progress message; the steps and the summary go to its thread.
      await fake.waitFor(() => (/Shut-down of cluster cluster1[\s\S]*succeeded/i.test(textOf(fake.message(CHANNELS.ops, request.ts))) ? true : undefined), 60_000, 'the shut-down to finish');
      const summary = await fake.waitFor(() => fake.messages(CHANNELS.ops).find((m) => m.threadTs === request.ts && /<@U0OP>/.test(textOf(m)) && /quarterly patching/.test(textOf(m))), 10_000, 'the thread summary');
      assert.match(textOf(summary), /<@U0APP>/, 'who approved');
      assert.equal(botMessages(fake, CHANNELS.ops, /op-1/).filter((m) => m.threadTs === undefined).length, 1, 'one message in the channel for the operation');
      const approved = stack.audit().find((e) => e['action'] === 'approved' && e['opId'] === 'op-1');
      assert.equal(approved?.['actor'], USERS.app);

      // The Home tab: the new state, and the form for the cluster.
      await fake.openHome(USERS.op);
      await fake.waitFor(() => (/op-1 shut-down of cluster cluster1: succeeded · requested by <@U0OP>, approved by <@U0APP>/.test(homeText(fake, USERS.op)) ? true : undefined), 10_000, 'the Home tab');
      const homeClick = Date.now();
      await fake.clickInHome({ user: USERS.op, actionId: 'exa_request' });
      const fromHome = await fake.waitFor(() => modalOf(fake, USERS.op, 'exa_request_form', homeClick), 5000, 'the form from the Home tab');
      assert.equal(fromHome.values['exa_form_cluster']?.['exa_form_cluster'], CLUSTER);
      assert.match(String(fromHome.view['private_metadata']), new RegExp(CHANNELS.ops), 'it posts to the cluster\'s channel');
      // A viewer is offered no form.
      await fake.openHome(USERS.view);
      await fake.waitFor(() => fake.home(USERS.view), 5000, "the viewer's Home tab");
      assert.doesNotMatch(homeText(fake, USERS.view), /Request an operation/);
      assert.ok(fake.apiCalls('views.update').every((c) => c.ok) && fake.apiCalls('views.open').every((c) => c.ok), 'every view was valid');
    });
  });
}
