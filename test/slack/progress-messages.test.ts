// The messages of one operation, against a fake at the poster interface: what was posted and
// edited, in order. Covers the paths where an operation's message could be left behind.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Cancellation } from '../../src/lifecycle/cancellation.js';
import type { OperationRecord } from '../../src/operations/operation-record.js';
import { OperationMessages } from '../../src/slack/features/progress-messages.js';
import type { RenderedMessage } from '../../src/slack/render-blocks.js';
import type { SlackPoster } from '../../src/slack/slack-poster.js';
import { recordingLogger } from '../e2e/harness.js';

function fakePoster() {
  const log: { call: string; ts: string; threadTs?: string; text: string }[] = [];
  let next = 1;
  const poster: SlackPoster = {
    post: async (_channel, message: RenderedMessage, threadTs) => {
      const ts = `${next++}.0`;
      log.push({ call: 'post', ts, ...(threadTs ? { threadTs } : {}), text: JSON.stringify(message) });
      return ts;
    },
    update: async (_channel, ts, message) => {
      log.push({ call: 'update', ts, text: JSON.stringify(message) });
    },
    ephemeral: async () => undefined,
  };
  return { poster, log };
}

const op = (): OperationRecord => ({
  id: 'op-7',
  cluster: 'prod',
  operation: { kind: 'cluster-startup' },
  requestedBy: 'U0OP',
  channel: 'C0OPS',
  reason: undefined,
  requestedAt: 0,
  plan: undefined,
  approvedBy: 'U0APP',
  approvedActions: [],
  status: { kind: 'running', stepId: undefined, stepTitle: undefined },
  cancellation: new Cancellation(),
});

describe('OperationMessages', () => {
  it("closes a start-up's waiting message when its plan goes back to approval, and posts the new request", async () => {
    const { poster, log } = fakePoster();
    const messages = new OperationMessages(poster, poster, recordingLogger(), 0);
    const record = op();
    messages.handle({ type: 'preparing', op: record, waitingFor: 'Wait until EXAoperation answers' });
    messages.handle({ type: 'reapproval-needed', op: record, plan: { operation: record.operation, cluster: 'prod', steps: [], blockers: [] } as never, changes: [] });
    await messages.drain();
    const progress = log.filter((e) => e.ts === '1.0');
    assert.match(progress.at(-1)?.text ?? '', /waits for a new approval/);
    assert.ok(log.some((e) => e.call === 'post' && e.ts !== '1.0' && /Approval needed/.test(e.text)), 'the new approval request');
  });

  it('posts the outcome of an operation that ended before it started, and mentions the requester in its thread', async () => {
    const { poster, log } = fakePoster();
    const messages = new OperationMessages(poster, poster, recordingLogger(), 0);
    const record = op();
    const outcome = { kind: 'failed', stepId: '', reason: 'could not read the cluster state: HTTP 401', code: 'EXA_AUTH_FAILED' } as const;
    record.status = { kind: 'finished', outcome };
    messages.handle({ type: 'progress', op: record, event: { type: 'finished', outcome, snapshot: undefined, at: 1 } });
    await messages.drain();
    assert.match(log.filter((e) => e.ts === '1.0').at(-1)?.text ?? '', /Failed before the first step: could not read the cluster state: HTTP 401/);
    const notice = log.find((e) => e.threadTs === '1.0');
    assert.match(notice?.text ?? '', /<@U0OP> op-7 \(start-up of cluster prod\) failed before its first step/);
  });

  it('turns an approved request into its progress: the decision edit first, then the steps, in the same message', async () => {
    const { poster, log } = fakePoster();
    const messages = new OperationMessages(poster, poster, recordingLogger(), 0);
    const record: OperationRecord = { ...op(), operation: { kind: 'database-stop', database: 'exa_db1' }, approvedBy: undefined };
    messages.rememberApproval(record.id, 'C0OPS', '9.0');
    record.approvedBy = 'U0APP';
    messages.handle({ type: 'approved', op: record, by: 'U0APP' });
    messages.handle({ type: 'started', op: record, plan: { operation: record.operation, cluster: 'prod', steps: [], blockers: [] } as never });
    const outcome = { kind: 'succeeded', warnings: 0 } as const;
    messages.handle({ type: 'progress', op: record, event: { type: 'finished', outcome, snapshot: undefined, at: 1 } });
    await messages.drain();
    assert.deepEqual(log.filter((e) => e.threadTs === undefined).map((e) => [e.call, e.ts]).slice(0, 2), [['update', '9.0'], ['update', '9.0']], 'no new message: the request is edited');
    assert.match(log[0]?.text ?? '', /Approved by <@U0APP>/);
    assert.match(log.filter((e) => e.ts === '9.0').at(-1)?.text ?? '', /Succeeded/);
    assert.equal(log.filter((e) => e.call === 'post' && e.threadTs === undefined).length, 0);
    assert.match(log.find((e) => e.threadTs === '9.0')?.text ?? '', /Audit log: op-7/);
  });

  it('an approved request cancelled while queued says so on its own message', async () => {
    const { poster, log } = fakePoster();
    const messages = new OperationMessages(poster, poster, recordingLogger(), 0);
    const record = { ...op(), operation: { kind: 'database-stop', database: 'exa_db1' } as const };
    messages.rememberApproval(record.id, 'C0OPS', '9.0');
    messages.handle({ type: 'approved', op: record, by: 'U0APP' });
    const outcome = { kind: 'cancelled', stepId: undefined, by: 'U0OP', where: 'while queued' } as const;
    messages.handle({ type: 'progress', op: record, event: { type: 'finished', outcome, snapshot: undefined, at: 1 } as never });
    await messages.drain();
    assert.match(log.filter((e) => e.ts === '9.0').at(-1)?.text ?? '', /Cancelled by <@U0OP> while queued/);
    assert.equal(log.filter((e) => e.call === 'post' && e.threadTs === undefined).length, 0, 'nothing new in the channel');
  });

  it('posts the progress as a new message when the request message cannot be edited', async () => {
    const { poster, log } = fakePoster();
    const failing: typeof poster = {
      ...poster,
      update: async (channel, ts, message) => {
        if (ts === '9.0') throw Object.assign(new Error('message_not_found'), { data: { error: 'message_not_found' } });
        return poster.update(channel, ts, message);
      },
    };
    const messages = new OperationMessages(failing, failing, recordingLogger(), 0);
    const record: OperationRecord = { ...op(), operation: { kind: 'database-stop', database: 'exa_db1' } };
    messages.rememberApproval(record.id, 'C0OPS', '9.0');
    messages.handle({ type: 'approved', op: record, by: 'U0APP' });
    messages.handle({ type: 'started', op: record, plan: { operation: record.operation, cluster: 'prod', steps: [], blockers: [] } as never });
    const outcome = { kind: 'succeeded', warnings: 0 } as const;
    messages.handle({ type: 'progress', op: record, event: { type: 'finished', outcome, snapshot: undefined, at: 1 } });
    await messages.drain();
    const posted = log.find((e) => e.call === 'post' && e.threadTs === undefined);
    assert.ok(posted, 'a progress message of its own');
    assert.match(log.filter((e) => e.ts === posted.ts).at(-1)?.text ?? '', /Succeeded/);
  });
});
