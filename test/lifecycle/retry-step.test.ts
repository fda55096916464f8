// A step that failed because EXAoperation did not answer runs again once it answers; anything else
// ends it at once, and so does the last attempt.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { ExaOperationError } from '../../src/exaoperation/errors.js';
import { BootTracker } from '../../src/lifecycle/steps/boot-tracker.js';
import { executeWithRetries, RetryStopped } from '../../src/lifecycle/steps/retry-step.js';
import { MAX_STEP_ATTEMPTS, type StepContext, type StepDetail } from '../../src/lifecycle/steps/step-context.js';
import { systemClock } from '../../src/util/clock.js';
import { startSimCluster, type SimCluster } from '../helpers/sim-cluster.js';

let cluster: SimCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

const site = { endpoint: 'http://127.0.0.1/cluster1', object: 'cluster', method: 'startupNode' };
const unreachable = () => new ExaOperationError('EXA_UNREACHABLE', 'Cannot reach EXAoperation (ECONNRESET).', site);
const refused = () => new ExaOperationError('EXA_PRECONDITION_FAILED', 'EXAoperation refused: Node n0011 is not powered off.', site);

async function context(): Promise<{ ctx: Omit<StepContext, 'attempt'>; details: StepDetail[] }> {
  cluster = await startSimCluster();
  const details: StepDetail[] = [];
  const ctx = {
    client: cluster.client,
    profile: cluster.profile,
    clock: systemClock,
    signal: new AbortController().signal,
    boot: new BootTracker(cluster.client, 1, 'retry-test'),
    detail: (d: StepDetail) => details.push(d),
  };
  return { ctx, details };
}

describe('executeWithRetries', () => {
  it('runs a step again, with its attempt number, after EXAoperation did not answer', async () => {
    const { ctx, details } = await context();
    const attempts: number[] = [];
    const outcome = await executeWithRetries(ctx, { kind: 'check-master' }, async (c) => {
      attempts.push(c.attempt);
      if (c.attempt === 1) throw unreachable();
      return { kind: 'done', note: 'second time lucky' };
    });
    assert.deepEqual(outcome, { kind: 'done', note: 'second time lucky' });
    assert.deepEqual(attempts, [1, 2]);
    assert.match(details[0]?.kind === 'note' ? details[0].text : '', /EXAoperation did not answer \(Cannot reach EXAoperation \(ECONNRESET\)\.\); the step runs again once it answers \(attempt 2 of 3\)/);
  });

  it('does not run a step again after a refusal, and gives up after the last attempt', async () => {
    const { ctx } = await context();
    let calls = 0;
    await assert.rejects(executeWithRetries(ctx, { kind: 'check-master' }, async () => {
      calls += 1;
      throw refused();
    }), /refused/);
    assert.equal(calls, 1);
    calls = 0;
    await assert.rejects(executeWithRetries(ctx, { kind: 'check-master' }, async () => {
      calls += 1;
      throw unreachable();
    }), /Cannot reach/);
    assert.equal(calls, MAX_STEP_ATTEMPTS);
  });

  it('waits for EXAoperation to answer again before the next attempt', async () => {
    const { ctx } = await context();
    const sim = (cluster as SimCluster).sim;
    const timeline: string[] = [];
    await executeWithRetries(ctx, { kind: 'check-master' }, async (c) => {
      if (c.attempt === 1) {
        await sim.goOffline();
        setTimeout(() => {
          timeline.push('back');
          void sim.comeBack();
        }, 300);
        throw unreachable();
      }
      timeline.push('attempt 2');
      return { kind: 'done' };
    });
    assert.deepEqual(timeline, ['back', 'attempt 2']);
  });

  it('does not start a step again once a cancel or a stop came, even while it waits for EXAoperation', async () => {
    const { ctx } = await context();
    const sim = (cluster as SimCluster).sim;
    const gate = new AbortController();
    let attempts = 0;
    const run = executeWithRetries({ ...ctx, retryGate: gate.signal }, { kind: 'stop-storage' }, async () => {
      attempts += 1;
      await sim.goOffline();
      setTimeout(() => gate.abort(), 100);
      throw unreachable();
    });
    await assert.rejects(run, (error: unknown) => error instanceof RetryStopped && /Cannot reach EXAoperation/.test(error.message));
    assert.equal(attempts, 1);
    await sim.comeBack();
  });
});
