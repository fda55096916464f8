import type { ConfdClient } from '../confd/client.js';
import { isConfdNotUpYet } from '../confd/errors.js';
import type { ConfdDatabaseInfo } from '../confd/types.js';
import { LifecycleError } from '../lifecycle/errors.js';
import type { Step } from '../lifecycle/plan.js';
import { done, skipped, type StepOutcome } from '../lifecycle/steps/step-context.js';
import { waitUntil } from '../lifecycle/wait-until.js';
import type { StepRun } from './cluster-backend.js';
import { readDatabases } from './confd-databases.js';
import { powerHosts } from './confd-host-steps.js';

const VERB: Partial<Record<Step['action']['kind'], string>> = {
  'start-database': 'start database',
  'stop-database': 'stop database',
  'abort-backup': 'abort the backup of database',
};

/** Waits start polling this often and slow down as they go on (see waitUntil). */
const MIN_POLL_MS = 250;

function waiting(run: StepRun, description: string, timeoutMs: number) {
  return { description, timeoutMs, intervalMs: run.profile.pollIntervalMs, minIntervalMs: MIN_POLL_MS, clock: run.clock, signal: run.signal, tolerate: isConfdNotUpYet };
}

const stateName = (info: Pick<ConfdDatabaseInfo, 'state'>): string => (info.state.kind === 'unknown' ? info.state.raw : info.state.kind);

/**
 * The steps of a plan on Exasol 8, each reading the live state before it acts. Only db_start and
 * db_stop change anything, and only for the database this step of the approved plan names.
 */
export async function runConfdStep(client: ConfdClient, run: StepRun, step: Step): Promise<StepOutcome> {
  const action = step.action;
  const call = { signal: run.signal };
  const allowed = (kind: Step['action']['kind'], database: string): void => {
    if (step.expect.kind !== 'act' || action.kind !== kind || !('database' in action) || action.database !== database) {
      throw new LifecycleError(
        'NOT_APPROVED',
        `Stopped here: step ${step.id} would now ${VERB[kind] ?? kind} ${database}, which the plan this run was approved with does not include. ` +
          'Nothing was changed by it. Check the cluster with /exa status and request the operation again to approve the current plan.',
      );
    }
  };
  switch (action.kind) {
    case 'wait-cluster-online':
      return waitClusterOnline(client, run);
    case 'check-databases-idle':
      return checkDatabasesIdle(client, run, action.backupsAborted === true);
    case 'power-off-hosts':
    case 'power-on-hosts':
      return powerHosts(client, run, step, action.kind === 'power-off-hosts' ? 'off' : 'on', action.nodes);
    case 'start-databases-after-boot':
      return startDatabasesAfterBoot(client, run);
    case 'abort-backup': {
      const backup = await client.dbBackupProgress(action.database, call);
      if (backup.kind === 'none') return skipped(`no backup of ${action.database} is running`);
      allowed('abort-backup', action.database);
      run.detail({ kind: 'note', text: `aborting the backup of ${action.database} (${backup.text})` });
      await client.dbBackupAbort(action.database, call);
      // Over when ConfD says no backup runs and the database is idle again, so the stop may follow.
      await waitUntil(async (signal) => {
        const options = signal ? { signal } : {};
        const [progress, info] = await Promise.all([client.dbBackupProgress(action.database, options), client.dbInfo(action.database, options)]);
        if (progress.kind === 'none' && info.operation.kind === 'idle') return { done: true, value: undefined };
        return { done: false, seen: progress.kind === 'running' ? `backup still running (${progress.text})` : `operation '${info.operation.kind === 'busy' ? info.operation.raw : ''}'` };
      }, waiting(run, `the backup of ${action.database} has ended`, run.profile.timeouts.databaseStopMs));
      return done('backup aborted');
    }
    case 'check-databases-stopped': {
      const infos = await readDatabases(client, call);
      const running = infos.filter((i) => i.state.kind !== 'setup' && i.state.kind !== 'none');
      if (running.length > 0) {
        throw new LifecycleError('PRECONDITION_FAILED', `Database(s) ${running.map((i) => `${i.name} (${stateName(i)})`).join(', ')} still run. Stopped here; nothing else was changed.`);
      }
      return done(`${infos.length} database(s) stopped`);
    }
    case 'start-database': {
      const state = await client.dbState(action.database, call);
      if (state.kind === 'running' || state.kind === 'startup') return skipped(`database ${action.database} is already ${state.kind === 'running' ? 'running' : 'starting'}`);
      if (state.kind !== 'setup') {
        throw new LifecycleError('PRECONDITION_FAILED', `Database ${action.database} is in state '${stateName({ state })}' and cannot be started now. Check it with confd_client db_info.`);
      }
      allowed('start-database', action.database);
      // db_start may answer only once the database runs ([I]): the call gets the step's deadline.
      await client.dbStart(action.database, { ...call, timeoutMs: run.profile.timeouts.databaseStartMs });
      return done();
    }
    case 'wait-database-accepting': {
      const info = await waitUntil(async (signal) => {
        const current = await client.dbInfo(action.database, signal ? { signal } : {});
        if (current.connection.kind === 'accepting') return { done: true, value: current };
        return { done: false, seen: `state ${stateName(current)}, connectible ${current.connection.kind === 'unknown' ? current.connection.raw : 'No'}` };
      }, waiting(run, `database ${action.database} accepts connections`, run.profile.timeouts.databaseStartMs));
      run.detail({ kind: 'database-accepting', database: action.database, connectionString: info.connectionString });
      return done(`accepts connections at ${info.connectionString}`);
    }
    case 'stop-database': {
      const info = await client.dbInfo(action.database, call);
      if (info.state.kind === 'setup' || info.state.kind === 'none') return skipped(`database ${action.database} is already stopped`);
      if (info.state.kind === 'shutdown') return skipped(`database ${action.database} is already stopping`);
      if (info.state.kind !== 'running') {
        throw new LifecycleError('PRECONDITION_FAILED', `Database ${action.database} is in state '${stateName(info)}' and cannot be stopped now. Stopped here.`);
      }
      await refuseIfBusy(client, info, run, false);
      allowed('stop-database', action.database);
      await client.dbStop(action.database, { ...call, timeoutMs: run.profile.timeouts.databaseStopMs });
      return done();
    }
    case 'wait-database-stopped':
      await waitUntil(async (signal) => {
        const state = await client.dbState(action.database, signal ? { signal } : {});
        if (state.kind === 'setup') return { done: true, value: undefined };
        return { done: false, seen: `state ${stateName({ state })}` };
      }, waiting(run, `database ${action.database} is stopped (state 'setup')`, run.profile.timeouts.databaseStopMs));
      return done();
    default:
      throw new LifecycleError('NOT_SUPPORTED', `Step '${step.title}' has no ConfD equivalent; this plan cannot run on an Exasol 8 cluster.`);
  }
}

/**
 * The article's rule on Exasol 8 too: stop only a database whose operation is 'None' and that runs
 * no backup. With `backupsAborted` (the approved plan aborts backups first) a running backup, and
 * the busy operation while it runs, do not count.
 */
async function refuseIfBusy(client: ConfdClient, info: ConfdDatabaseInfo, run: StepRun, backupsAborted: boolean): Promise<void> {
  if (backupsAborted) {
    const backup = await client.dbBackupProgress(info.name, { signal: run.signal });
    if (backup.kind === 'running') return;
  }
  if (info.operation.kind === 'busy') {
    throw new LifecycleError(
      'PRECONDITION_FAILED',
      `Database ${info.name} is busy with operation '${info.operation.raw}'. Stopped here; nothing else was changed. Wait until the operation finishes, then request again.`,
    );
  }
  const backup = await client.dbBackupProgress(info.name, { signal: run.signal });
  if (backup.kind === 'running') {
    throw new LifecycleError(
      'PRECONDITION_FAILED',
      `Database ${info.name} has a backup running (${backup.text}). Stopped here; nothing else was changed. Wait until the backup finishes, then request again.`,
    );
  }
}

async function checkDatabasesIdle(client: ConfdClient, run: StepRun, backupsAborted: boolean): Promise<StepOutcome> {
  const call = { signal: run.signal };
  const infos = await readDatabases(client, call);
  for (const info of infos) if (info.state.kind === 'running') await refuseIfBusy(client, info, run, backupsAborted);
  return done(infos.length ? `${infos.length} database(s) idle or stopped` : 'no databases');
}

/** Quorum first (ConfD answers at all), then every node online; a user who may not read node states is told so. */
async function waitClusterOnline(client: ConfdClient, run: StepRun): Promise<StepOutcome> {
  const count = await waitUntil(async (signal) => {
    const states = await client.nodeState(signal ? { signal } : {});
    const offline = states.nodes.filter((n) => n.state.kind !== 'online');
    if (states.nodes.length > 0 && offline.length === 0) return { done: true, value: states.nodes.length };
    return { done: false, seen: offline.length ? `offline: ${offline.map((n) => n.name).join(', ')}` : 'no nodes listed' };
  }, waiting(run, 'ConfD answers with quorum and every node is online', run.profile.timeouts.nodeBootMs));
  return done(`${count} node(s) online`);
}

/**
 * After a cold start: the databases with auto_start off are started; the others start by
 * themselves (confd-api.md: auto_start defaults to True), and one that has not left 'setup'
 * after a grace is started too. Then every database must accept connections.
 */
async function startDatabasesAfterBoot(client: ConfdClient, run: StepRun): Promise<StepOutcome> {
  const call = { signal: run.signal };
  const names = await client.dbList(call);
  const deadline = run.profile.timeouts.databaseStartMs;
  const graceUntil = run.clock.now() + Math.min(AUTO_START_GRACE_MS, deadline / 4);
  const started: string[] = [];
  const startIfIdle = async (db: string, info: ConfdDatabaseInfo): Promise<void> => {
    if (info.state.kind !== 'setup' || started.includes(db)) return;
    run.detail({ kind: 'note', text: info.autoStart === false ? `${db} has auto_start off: starting it` : `${db} did not start by itself: starting it` });
    started.push(db);
    try {
      await client.dbStart(db, { ...call, timeoutMs: deadline });
    } catch (error) {
      // It may have begun to start by itself meanwhile: only a database still in 'setup' is a failure.
      if ((await client.dbState(db, call)).kind === 'setup') throw error;
    }
  };
  for (const db of names) {
    const info = await client.dbInfo(db, call);
    if (info.autoStart === false) await startIfIdle(db, info);
  }
  await waitUntil(async (signal) => {
    const options = signal ? { signal } : {};
    const infos = await Promise.all(names.map((db) => client.dbInfo(db, options)));
    if (run.clock.now() >= graceUntil) for (const info of infos) await startIfIdle(info.name, info);
    const waiting = infos.filter((i) => i.connection.kind !== 'accepting');
    if (waiting.length === 0) return { done: true, value: undefined };
    return { done: false, seen: waiting.map((i) => `${i.name} ${stateName(i)}`).join(', ') };
  }, waiting(run, 'every database accepts connections', deadline));
  return done(`${names.length} database(s) accept connections${started.length ? `; started by the bot: ${started.join(', ')}` : ''}`);
}

/** How long an auto_start database may stay in 'setup' after the cluster is online before the bot starts it. */
const AUTO_START_GRACE_MS = 60_000;
