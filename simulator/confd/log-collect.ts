// log_collect over the model's log. Event shape and service names are the simulator's choice
// (the reference says only "log events"): oldest first, each
// {timestamp, service, node, level, message} plus db for database events.
import type { RpcValue } from '../api/rpc-value.js';
import type { ClusterModel } from '../model/cluster-model.js';
import type { LogPriority, LogRecord } from '../model/log-service.js';
import { isoSeconds, parseIsoSeconds } from './confd-time.js';
import { JobFailure } from './job-result.js';
import { confdName, confdNames } from './node-ids.js';

const LEVELS = ['ERR', 'WARN', 'NOTICE', 'INFO'] as const;
type Level = (typeof LEVELS)[number];
const LEVEL_OF: Record<LogPriority, Level> = { Error: 'ERR', Warning: 'WARN', Notice: 'NOTICE', Information: 'INFO' };

/** The tag cursors: the sequence number each tag has read up to. */
export class LogCursors {
  private readonly seen = new Map<string, number>();
  since(tag: string): number {
    return this.seen.get(tag) ?? 0;
  }
  set(tag: string, seq: number): void {
    this.seen.set(tag, seq);
  }
}

export interface LogQuery {
  readonly services: readonly string[];
  readonly dbs: readonly string[] | undefined;
  readonly nodes: readonly string[] | undefined;
  readonly errorLevel: string | undefined;
  readonly startTime: string | undefined;
  readonly stopTime: string | undefined;
  readonly tag: string | undefined;
}

function serviceOf(model: ClusterModel, record: LogRecord): { service: string; db?: string } {
  if (model.hasDatabase(record.system)) return { service: 'DWAd', db: record.system };
  if (record.system === 'Storage') return { service: 'Storage' };
  return { service: 'ConfD' };
}

function time(text: string | undefined, key: string): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseIsoSeconds(text);
  if (ms === undefined) throw new JobFailure('InvalidParameters', `Parameter '${key}': expected '%F %T' (e.g. 2024-03-01 12:00:00), got '${text}'.`);
  return ms;
}

export function collectLogs(model: ClusterModel, cursors: LogCursors, q: LogQuery): RpcValue[] {
  const level = (q.errorLevel ?? 'INFO').toUpperCase();
  const rank = LEVELS.indexOf(level as Level);
  if (rank < 0) throw new JobFailure('InvalidParameters', `Parameter 'error_level': expected ERR, WARN, NOTICE or INFO, got '${level}'.`);
  const from = time(q.startTime, 'start_time');
  const to = time(q.stopTime, 'stop_time');
  const services = new Set(q.services.map((s) => s.toLowerCase()));
  const nodes = q.nodes?.map((n) => `n${n.replace(/^n/, '')}`);
  const records = model.logRecords();
  const since = q.tag === undefined ? 0 : cursors.since(q.tag);
  const last = records[records.length - 1]?.seq ?? since;
  if (q.tag !== undefined) cursors.set(q.tag, Math.max(since, last));
  const out: RpcValue[] = [];
  for (const r of records) {
    if (r.seq <= since) continue;
    const { service, db } = serviceOf(model, r);
    const node = confdName(r.node);
    const recordLevel = LEVEL_OF[r.priority];
    if (!services.has(service.toLowerCase())) continue;
    if (LEVELS.indexOf(recordLevel) > rank) continue;
    if (q.dbs !== undefined && (db === undefined || !q.dbs.includes(db))) continue;
    if (nodes !== undefined && !nodes.includes(node)) continue;
    if ((from !== undefined && r.at < from) || (to !== undefined && r.at > to)) continue;
    out.push({ timestamp: isoSeconds(r.at), service, node, level: recordLevel, message: confdNames(r.message), ...(db === undefined ? {} : { db }) });
  }
  return out;
}
