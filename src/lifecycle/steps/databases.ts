import { LifecycleError } from '../errors.js';
import { waitUntil } from '../wait-until.js';
import { done, skipped, waitOptions, type StepContext, type StepOutcome } from './step-context.js';

export async function startDatabase(ctx: StepContext, database: string): Promise<StepOutcome> {
  const state = await ctx.client.getDatabaseState(database, { signal: ctx.signal });
  switch (state.kind) {
    case 'running':
    case 'startup':
      return skipped(`database ${database} is already ${state.kind}`);
    case 'setup':
      await ctx.client.startDatabase(database, { signal: ctx.signal });
      return done();
    default:
      throw new LifecycleError(
        'PRECONDITION_FAILED',
        `Database ${database} is in state '${state.kind === 'unknown' ? state.raw : state.kind}' and cannot be started now. Check it in EXAoperation.`,
      );
  }
}

export async function waitDatabaseAccepting(ctx: StepContext, database: string): Promise<StepOutcome> {
  await waitUntil(async (signal) => {
    const connection = await ctx.client.getDatabaseConnectionState(database, signal ? { signal } : {});
    if (connection.kind === 'accepting') return { done: true, value: undefined };
    return { done: false, seen: `connection state ${connection.kind === 'unknown' ? connection.raw : 'No'}` };
  }, waitOptions(ctx, `database ${database} accepts connections`, ctx.profile.timeouts.databaseStartMs));
  const connectionString = await ctx.client.getDatabaseConnectionString(database, { signal: ctx.signal });
  ctx.detail({ kind: 'database-accepting', database, connectionString });
  return done(`accepts connections at ${connectionString}`);
}

/**
 * The article's rule: stop a database only when it runs and its operation is 'None'. A busy
 * database (a backup, say) stops the whole operation here, before storage is touched.
 */
export async function stopDatabase(ctx: StepContext, database: string): Promise<StepOutcome> {
  const call = { signal: ctx.signal };
  const state = await ctx.client.getDatabaseState(database, call);
  switch (state.kind) {
    case 'setup':
    case 'none':
      return skipped(`database ${database} is already stopped`);
    case 'shutdown':
      return skipped(`database ${database} is already shutting down`);
    case 'running': {
      const operation = await ctx.client.getDatabaseOperation(database, call);
      if (operation.kind === 'busy') {
        throw new LifecycleError(
          'PRECONDITION_FAILED',
          `Database ${database} is busy with operation '${operation.raw}'. Stopped here; storage and nodes were left alone. ` +
            'Wait until the operation finishes, then request again.',
        );
      }
      await ctx.client.stopDatabase(database, call);
      return done();
    }
    default:
      throw new LifecycleError(
        'PRECONDITION_FAILED',
        `Database ${database} is in state '${state.kind === 'unknown' ? state.raw : state.kind}' and cannot be stopped now. Stopped here.`,
      );
  }
}

export async function waitDatabaseStopped(ctx: StepContext, database: string): Promise<StepOutcome> {
  await waitUntil(async (signal) => {
    const state = await ctx.client.getDatabaseState(database, signal ? { signal } : {});
    if (state.kind === 'setup' || state.kind === 'none') return { done: true, value: undefined };
    return { done: false, seen: `state ${state.kind === 'unknown' ? state.raw : state.kind}` };
  }, waitOptions(ctx, `database ${database} is stopped (state 'setup')`, ctx.profile.timeouts.databaseStopMs));
  return done();
}

/**
 * Before a shut-down stops its first database, every database's state and operation is read once
 * more: a backup that started since the approval stops the operation before any database goes down.
 */
export async function checkDatabasesIdle(ctx: StepContext): Promise<StepOutcome> {
  const call = { signal: ctx.signal };
  const names = await ctx.client.getDatabaseList(call);
  const infos = await Promise.all(names.map((db) => ctx.client.getDatabaseInfo(db, call)));
  const busy = infos.filter((info) => info.state.kind !== 'setup' && info.state.kind !== 'none' && info.operation.kind === 'busy');
  if (busy.length > 0) {
    const list = busy.map((info) => `${info.name} (operation '${info.operation.kind === 'busy' ? info.operation.raw : ''}')`).join(', ');
    throw new LifecycleError(
      'PRECONDITION_FAILED',
      `Database(s) ${list} are busy. Stopped before any database went down; storage and nodes were left alone. ` +
        'Wait until the operation finishes, then request again.',
    );
  }
  return done(names.length ? `${names.length} database(s) idle or stopped` : 'no databases');
}
