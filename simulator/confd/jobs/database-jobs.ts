// Database jobs: list, state, info, start, stop and backups. Result shapes follow §1.3 of the
// reference; where it is silent the choice is in ASSUMPTIONS.md ("ConfD mode").
import type { RpcValue } from '../../api/rpc-value.js';
import { scaledMs } from '../../model/durations.js';
import { isoSeconds } from '../confd-time.js';
import { JobFailure } from '../job-result.js';
import { DB_GROUPS, database, done, optionalBool, optionalInt, type JobContext, type JobRun, type JobSpec, type Params } from '../job-spec.js';
import { confdName } from '../node-ids.js';

export function dbState(ctx: JobContext, db: string): string {
  const kind = ctx.model.getDatabaseState(db);
  if (ctx.readings.transitionalStates === 'starting-stopping') {
    if (kind === 'startup') return 'starting';
    if (kind === 'shutdown') return 'stopping';
  }
  return kind;
}

function usage(ctx: JobContext, used: number): RpcValue[] {
  return ctx.model.getNodeList().map((n, i) => ({ host: confdName(n), size: '100 GiB', used: `${used} GiB`, 'volume id': String(i) }));
}

function dbInfo(ctx: JobContext, db: string): RpcValue {
  const info = ctx.model.getDatabaseInfo(db);
  const index = ctx.model.getDatabaseList().indexOf(db);
  const running = info.state === 'running';
  const names = (list: readonly string[]): string[] => list.map(confdName);
  return {
    connectible: info.connectible,
    'connection string': info['connection string'],
    info: '',
    name: db,
    nodes: { active: names(info.nodes.active), failed: names(info.nodes.failed), reserve: names(info.nodes.reserve) },
    operation: info.operation,
    'persistent volume': `DataVolume${index + 1}`,
    quota: 0,
    state: dbState(ctx, db),
    'temporary volume': running ? `TempVolume${index + 1}` : 'None',
    'usage persistent': usage(ctx, 42),
    'usage temporary': running ? usage(ctx, 1) : [],
    config: {
      name: db,
      version: '8.29.13',
      auto_start: ctx.model.config.autoStartDatabases.includes(db),
      owner: [500, 500],
      params: '',
      port: ctx.model.config.databasePortBase + index,
      nodes: names(info.nodes.active),
      backups: {},
    },
  };
}

/** Blocks (dbCalls 'blocking') until the database reaches `target`; fails if it ends elsewhere. */
function untilState(ctx: JobContext, db: string, target: 'running' | 'setup', deadline: number | undefined): JobRun {
  if (ctx.readings.dbCalls === 'immediate') return done();
  const via = target === 'running' ? 'startup' : 'shutdown';
  return {
    kind: 'waiting',
    check: () => {
      const kind = ctx.model.getDatabaseState(db);
      if (kind === target) return { output: undefined };
      if (kind !== via) return new JobFailure('JobFailed', `Database ${db} did not reach state ${target}; it is ${kind}.`);
      if (deadline !== undefined && ctx.now() >= deadline) {
        ctx.model.abortDatabaseStart(db);
        return new JobFailure('Timeout', `Timeout reached while starting database ${db}; the operation was aborted.`);
      }
      return undefined;
    },
    checkAgainAt: () => {
      const next = ctx.model.nextEventAt();
      return deadline === undefined ? next : Math.min(next ?? deadline, deadline);
    },
  };
}

function backupProgress(ctx: JobContext, db: string): RpcValue {
  const op = ctx.model.runningDatabaseOperation(db);
  if (op === undefined || op.operation !== 'Backup') return { running: false };
  const total = scaledMs(ctx.backupSeconds, ctx.model.config.timeScale);
  const since = op.until - total;
  const percent = Math.min(99, Math.max(0, Math.floor(((ctx.now() - since) / total) * 100)));
  return { running: true, operation: 'Backup', level: 0, started: isoSeconds(since), progress: percent };
}

const job = (name: string, description: string, mandatory: string[], optional: string[], run: (ctx: JobContext, p: Params) => JobRun): JobSpec => ({
  name,
  description,
  mandatory,
  optional,
  groups: name === 'db_list' ? [...DB_GROUPS, 'exausers'] : DB_GROUPS,
  run,
});

export const DATABASE_JOBS: readonly JobSpec[] = [
  job('db_list', 'List all databases.', [], [], (ctx) => done(ctx.model.getDatabaseList())),
  job('db_state', 'Get the state of a database.', ['db_name'], [], (ctx, p) => done(dbState(ctx, database(ctx, p)))),
  job('db_info', 'Get information about a database.', ['db_name'], [], (ctx, p) => done(dbInfo(ctx, database(ctx, p)))),
  job('db_start', 'Start a database.', ['db_name'], ['cluster', 'maintenance', 'timeout'], (ctx, p) => {
    const db = database(ctx, p);
    optionalBool(p, 'maintenance');
    const timeout = optionalInt(p, 'timeout', 0);
    ctx.model.startDatabase(db);
    const deadline = timeout === 0 ? undefined : ctx.now() + scaledMs(timeout, ctx.model.config.timeScale);
    return untilState(ctx, db, 'running', deadline);
  }),
  job('db_stop', 'Stop a database. The database nodes will remain online.', ['db_name'], ['cluster', 'force'], (ctx, p) => {
    const db = database(ctx, p);
    if (optionalBool(p, 'force')) ctx.model.forceStopDatabase(db);
    else ctx.model.stopDatabase(db);
    return untilState(ctx, db, 'setup', undefined);
  }),
  job('db_backup_start', 'Start a backup of a database.', ['db_name'], ['backup_volume_name', 'level', 'expire'], (ctx, p) => {
    const db = database(ctx, p);
    optionalInt(p, 'level', 0);
    ctx.model.beginDatabaseOperation(db, 'Backup', ctx.backupSeconds);
    return done();
  }),
  job('db_backup_progress', 'Show the progress of the running backup.', ['db_name'], [], (ctx, p) => done(backupProgress(ctx, database(ctx, p)))),
  job('db_backup_abort', 'Abort the running backup.', ['db_name'], [], (ctx, p) => {
    const db = database(ctx, p);
    if (ctx.model.runningDatabaseOperation(db)?.operation !== 'Backup') throw new JobFailure('JobFailed', `No backup is running on database ${db}.`);
    ctx.model.abortDatabaseOperation(db);
    return done();
  }),
];
