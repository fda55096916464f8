// The messages of one operation, against a fake at the poster interface: what was posted and
// edited, in order. Covers the paths where an operation's message could be left behind.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Cancellation } from '../../src/lifecycle/cancellation.js';
import type { OperationRecord } from '../../src/operations/operation-record.js';
import { OperationMessages } from '../../src/slack/operation-messages.js';
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
});
