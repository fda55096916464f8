// The one check for an action on an operation (approve, reject, cancel) that Slack's buttons, its
// typed commands and the console share: unknown id, another channel, the role on its cluster.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkOperationAction } from '../../src/operations/operation-action.js';
import type { OperationRecord } from '../../src/operations/operation-record.js';

const op = { id: 'op-3', cluster: 'prod', channel: 'C0OPS', operation: { kind: 'database-stop', database: 'db1' } } as unknown as OperationRecord;
const asked: unknown[][] = [];
const ports = {
  get: (id: string) => (id === 'op-3' ? op : undefined),
  mayAct: async (...args: unknown[]) => {
    asked.push(args);
    return args[0] === 'U0APP' ? ({ allowed: true } as const) : ({ allowed: false, reason: 'you are not an approver for cluster prod' } as const);
  },
};

describe('checkOperationAction', () => {
  it('refuses an unknown id, another channel and a missing role, each saying what to do', async () => {
    const unknown = await checkOperationAction({ user: 'U0APP', channel: 'C0OPS', action: 'approve', opId: 'op-9' }, ports);
    assert.equal(unknown.kind === 'refused' && unknown.refusal, 'no-such-operation');
    assert.match(unknown.kind === 'refused' ? unknown.message : '', /There is no operation op-9: .*See \/exa queue/);
    const elsewhere = await checkOperationAction({ user: 'U0APP', channel: 'C0OTHER', action: 'approve', opId: 'op-3' }, ports);
    asked.length = 0;
    assert.equal(elsewhere.kind === 'refused' && elsewhere.refusal, 'other-channel');
    const strangerElsewhere = await checkOperationAction({ user: 'U0X', channel: 'C0OTHER', action: 'approve', opId: 'op-3' }, ports);
    assert.equal(strangerElsewhere.kind === 'refused' && strangerElsewhere.refusal, 'not-allowed', 'the role first: without it, nothing is said about the channel');
    const stranger = await checkOperationAction({ user: 'U0X', channel: 'C0OPS', action: 'reject', opId: 'op-3' }, ports);
    assert.deepEqual(stranger.kind === 'refused' ? [stranger.refusal, stranger.message, stranger.why] : [], ['not-allowed', 'You cannot reject op-3: you are not an approver for cluster prod.', 'reject refused: you are not an approver for cluster prod']);
  });

  it('checks the role on the operation\'s own cluster; a cancel with its kind, for an operator grant that names operations', async () => {
    asked.length = 0;
    const allowed = await checkOperationAction({ user: 'U0APP', channel: 'C0OPS', action: 'cancel', opId: 'op-3' }, ports);
    assert.equal(allowed.kind, 'allowed');
    assert.deepEqual(asked, [['U0APP', 'C0OPS', 'operator', 'prod', { kind: 'database-stop', database: 'db1' }]]);
    await checkOperationAction({ user: 'U0APP', channel: 'C0OPS', action: 'approve', opId: 'op-3' }, ports);
    assert.deepEqual(asked[1], ['U0APP', 'C0OPS', 'approver', 'prod', undefined]);
  });
});
