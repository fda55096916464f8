import { LifecycleError } from '../errors.js';
import { waitUntil } from '../wait-until.js';
import { isExaOperationError } from '../../exaoperation/errors.js';
import { done, isTransient, MAX_STEP_ATTEMPTS, skipped, waitOptions, type StepContext, type StepOutcome } from './step-context.js';

/**
 * startEXAStorage and stopEXAStorage may answer only once storage is online or offline (Exasol's
 * start.py implies it; the reference leaves it open), so they run under the step's deadline, not
 * the per-call timeout. When the answer is lost, EXAoperation may or may not have acted:
 * - a dropped connection, a 5xx or a garbled answer: the step runs again once EXAoperation answers
 *   (retry-step.ts), and reads the state first; on its last attempt the wait that follows decides;
 * - a call that used up the whole step deadline: sending it again proves nothing, the wait decides;
 * - a refusal on a later attempt ("already starting") may be the first attempt's call at work: the wait decides.
 * Any other refusal (UsageError) ends the operation with EXAoperation's reason.
 */
async function storageCall<T>(ctx: StepContext, call: (options: { signal: AbortSignal; timeoutMs: number }) => Promise<T>): Promise<
  { readonly kind: 'answered'; readonly value: T } | { readonly kind: 'lost'; readonly why: string }
> {
  try {
    return { kind: 'answered', value: await call({ signal: ctx.signal, timeoutMs: ctx.profile.timeouts.storageMs }) };
  } catch (error) {
    if (ctx.signal.aborted || !isExaOperationError(error)) throw error;
    if (error.code === 'EXA_TIMEOUT') return { kind: 'lost', why: `no answer within the step's deadline (${error.message})` };
    if (isTransient(error)) {
      if (ctx.attempt < MAX_STEP_ATTEMPTS) throw error;
      return { kind: 'lost', why: `the answer was lost (${error.message})` };
    }
    if (ctx.attempt > 1 && error.code === 'EXA_PRECONDITION_FAILED') {
      return { kind: 'lost', why: `EXAoperation refused (${error.fault?.text || error.message}) after an earlier attempt's answer was lost, so it may be under way` };
    }
    throw error;
  }
}

const lostNote = (why: string): StepOutcome => ({
  kind: 'done',
  note: `${why}; the next step reads EXAStorage's state and decides`,
  warning: true,
});

export async function startStorage(ctx: StepContext): Promise<StepOutcome> {
  const call = { signal: ctx.signal };
  if (await ctx.client.serviceIsOnline(call)) return skipped('EXAStorage is already online');
  const answer = await storageCall(ctx, (o) => ctx.client.startEXAStorage([], o));
  return answer.kind === 'lost' ? lostNote(answer.why) : done(`EXAoperation answered ${answer.value}`);
}

export async function waitServicesOk(ctx: StepContext): Promise<StepOutcome> {
  await waitUntil(async (signal) => {
    const services = await ctx.client.getServiceState(signal ? { signal } : {});
    const bad = services.filter((s) => s.state.kind !== 'ok');
    return bad.length === 0
      ? { done: true, value: undefined }
      : { done: false, seen: bad.map((s) => `${s.name}: ${s.state.kind === 'unknown' ? s.state.raw : s.state.kind}`).join(', ') };
  }, waitOptions(ctx, 'every service reports OK', ctx.profile.timeouts.storageMs));
  return done();
}

export async function checkStorageOnline(ctx: StepContext): Promise<StepOutcome> {
  if (!(await ctx.client.serviceIsOnline({ signal: ctx.signal }))) {
    throw new LifecycleError('PRECONDITION_FAILED', 'EXAStorage is not online, so no database can start. Start it first (storage start).');
  }
  return done('EXAStorage is online');
}

/** Never stop storage while a database runs: checked right before, whatever the plan said. */
export async function checkDatabasesStopped(ctx: StepContext): Promise<StepOutcome> {
  const call = { signal: ctx.signal };
  const names = await ctx.client.getDatabaseList(call);
  const states = await Promise.all(names.map((n) => ctx.client.getDatabaseState(n, call)));
  const up = names.filter((_, i) => {
    const kind = states[i]?.kind;
    return kind !== 'setup' && kind !== 'none';
  });
  if (up.length > 0) {
    throw new LifecycleError(
      'PRECONDITION_FAILED',
      `Database(s) ${up.join(', ')} are not stopped; EXAStorage must not be stopped under a running database. Stopped here.`,
    );
  }
  return done(names.length ? `all ${names.length} database(s) are stopped` : 'no databases defined');
}

export async function stopStorage(ctx: StepContext): Promise<StepOutcome> {
  const call = { signal: ctx.signal };
  if (!(await ctx.client.serviceIsOnline(call))) return skipped('EXAStorage is already stopped');
  // Run again after EXAoperation did not answer, perhaps minutes later: the databases are checked
  // again right before, as the plan's own check did before the first attempt.
  if (ctx.attempt > 1) await checkDatabasesStopped(ctx);
  const answer = await storageCall(ctx, (o) => ctx.client.stopEXAStorage(o));
  return answer.kind === 'lost' ? lostNote(answer.why) : done();
}

export async function waitStorageStopped(ctx: StepContext): Promise<StepOutcome> {
  await waitUntil(async (signal) => {
    const services = await ctx.client.getServiceState(signal ? { signal } : {});
    const storaged = services.find((s) => s.name === 'Storaged');
    if (storaged?.state.kind === 'not-running') return { done: true, value: undefined };
    const seen = storaged ? (storaged.state.kind === 'unknown' ? storaged.state.raw : storaged.state.kind) : 'no Storaged service';
    return { done: false, seen: `Storaged: ${seen}` };
  }, waitOptions(ctx, "Storaged reports 'not running'", ctx.profile.timeouts.storageMs));
  return done();
}
