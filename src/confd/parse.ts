import type { ConnectionState, DatabaseOperation, DatabaseState } from '../exaoperation/types.js';
import { ConfdError, type ConfdSite } from './errors.js';
import type { BackupProgress, ConfdDatabaseInfo, ConfdLogEntry, ConfdNodeState, ConfdNodeStates, JobDescription, JobResult, VolumeInfo } from './types.js';

// Every ConfD answer is checked here, once. A shape we do not know is an error that names the job
// and what came, never a guess: an operator must see what ConfD said.

function malformed(site: ConfdSite, expected: string, got: unknown): ConfdError {
  const shown = JSON.stringify(got) ?? String(got);
  return new ConfdError(
    'CONFD_MALFORMED_RESPONSE',
    `ConfD answered ${site.job} with something other than ${expected}. Check that this cluster runs Exasol 8 (ConfD).`,
    site,
    { detail: `got ${shown.length > 200 ? `${shown.slice(0, 200)}…` : shown}` },
  );
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string => (typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value));

export function jobResult(value: unknown, site: ConfdSite): JobResult {
  if (!isRecord(value) || typeof value['result_code'] !== 'number') throw malformed(site, "a job result ({'result_code': …})", value);
  return {
    resultCode: value['result_code'],
    resultName: text(value['result_name']),
    resultDesc: text(value['result_desc']),
    jobId: value['result_jobid'] === undefined ? undefined : text(value['result_jobid']),
    output: value['result_output'],
  };
}

export function jobDescription(value: unknown, site: ConfdSite): JobDescription | undefined {
  if (!Array.isArray(value) || typeof value[0] !== 'boolean') throw malformed(site, '[True, [description, …]]', value);
  if (value[0] === false) return undefined;
  const details: unknown = value[1];
  if (!Array.isArray(details) || details.length < 6) throw malformed(site, '[True, [description, mandatory, optional, substitute, users, groups]]', value);
  const names = (v: unknown): string[] => (Array.isArray(v) ? v.map(text) : isRecord(v) ? Object.keys(v) : []);
  return {
    description: text(details[0]),
    mandatory: names(details[1]),
    optional: names(details[2]),
    allowedUsers: names(details[4]),
    allowedGroups: names(details[5]),
  };
}

export function stringList(value: unknown, site: ConfdSite): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw malformed(site, 'a list of names', value);
  return value as string[];
}

/** db_state's lower-case strings. The transitional ones are not published (§1.3 [I]): both readings map. */
export function databaseState(value: unknown, site: ConfdSite): DatabaseState {
  if (typeof value !== 'string') throw malformed(site, 'a state string', value);
  switch (value.trim().toLowerCase()) {
    case 'running':
      return { kind: 'running' };
    case 'setup':
      return { kind: 'setup' };
    case 'starting':
    case 'startup':
      return { kind: 'startup' };
    case 'stopping':
    case 'shutdown':
      return { kind: 'shutdown' };
    default:
      return { kind: 'unknown', raw: value };
  }
}

function operation(value: unknown): DatabaseOperation {
  return value === 'None' ? { kind: 'idle' } : { kind: 'busy', raw: text(value) };
}

function connection(value: unknown): ConnectionState {
  const raw = text(value);
  if (raw.toLowerCase() === 'yes') return { kind: 'accepting' };
  if (raw.toLowerCase() === 'no') return { kind: 'rejecting' };
  return { kind: 'unknown', raw };
}

export function databaseInfo(name: string, value: unknown, site: ConfdSite): ConfdDatabaseInfo {
  if (!isRecord(value) || value['state'] === undefined) throw malformed(site, "a database info dict ({'state': …})", value);
  const nodes = isRecord(value['nodes']) ? value['nodes'] : {};
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(text) : []);
  const config = isRecord(value['config']) ? value['config'] : {};
  const autoStart = config['auto_start'];
  return {
    name,
    state: databaseState(value['state'], site),
    // Missing is not idle: only the string 'None' is (the article's rule).
    operation: operation(value['operation']),
    connection: connection(value['connectible']),
    connectionString: text(value['connection string']),
    nodes: { active: list(nodes['active']), failed: list(nodes['failed']), reserve: list(nodes['reserve']) },
    autoStart: typeof autoStart === 'boolean' ? autoStart : undefined,
    raw: value,
  };
}

function nodeState(raw: unknown): ConfdNodeState {
  const value = text(raw);
  switch (value.toLowerCase()) {
    case 'online':
      return { kind: 'online' };
    case 'offline':
      return { kind: 'offline' };
    case 'deactivated':
      return { kind: 'deactivated' };
    default:
      return { kind: 'unknown', raw: value };
  }
}

export function nodeStates(value: unknown, site: ConfdSite): ConfdNodeStates {
  if (!isRecord(value)) throw malformed(site, "a dict of node states ({'11': 'online', 'booted': …})", value);
  const booted = isRecord(value['booted']) ? value['booted'] : {};
  const ids = Object.keys(value).filter((key) => key !== 'booted');
  if (!ids.every((id) => /^\d+$/.test(id))) throw malformed(site, 'node ids as keys', value);
  const nodes = ids
    .sort((a, b) => Number(a) - Number(b))
    .map((id) => ({ id, name: `n${id}`, state: nodeState(value[id]), booted: booted[id] === undefined ? undefined : text(booted[id]) }));
  return { nodes };
}

export function volumeList(value: unknown, site: ConfdSite): VolumeInfo[] {
  if (!Array.isArray(value)) throw malformed(site, 'a list of volumes', value);
  return value.map((volume): VolumeInfo => {
    if (!isRecord(volume)) throw malformed(site, 'a list of volume dicts', value);
    const nodes = Array.isArray(volume['nodes_list']) ? volume['nodes_list'] : [];
    const unrecovered = nodes.reduce((sum: number, node: unknown) => sum + (isRecord(node) && typeof node['unrecovered_segments'] === 'number' ? node['unrecovered_segments'] : 0), 0);
    return {
      name: text(volume['name'] ?? volume['vname'] ?? volume['id'] ?? volume['vid']),
      state: text(volume['state']),
      redundancy: typeof volume['redundancy'] === 'number' ? volume['redundancy'] : undefined,
      unrecoveredSegments: unrecovered,
      labels: Array.isArray(volume['labels']) ? volume['labels'].map(text) : [],
    };
  });
}

/** Only a plain "nothing runs" is none (§1.3 [I]); the safe reading of anything else is a running backup. */
export function backupProgress(value: unknown): BackupProgress {
  if (value === undefined || value === null || value === '' || value === false) return { kind: 'none' };
  if (Array.isArray(value) && value.length === 0) return { kind: 'none' };
  if (isRecord(value) && Object.keys(value).length === 0) return { kind: 'none' };
  if (typeof value === 'string' && /^(none|no backup( is)? running\.?|idle)$/i.test(value.trim())) return { kind: 'none' };
  if (isRecord(value) && (value['running'] === false || value['state'] === 'none')) return { kind: 'none' };
  return { kind: 'running', text: typeof value === 'string' ? value : JSON.stringify(value) };
}

export function logEntries(value: unknown, site: ConfdSite): ConfdLogEntry[] {
  const list = Array.isArray(value) ? value : isRecord(value) && Array.isArray(value['entries']) ? value['entries'] : undefined;
  if (list === undefined) throw malformed(site, 'a list of log events', value);
  return list.map((entry): ConfdLogEntry => {
    if (typeof entry === 'string') return { time: '', service: '', node: '', level: '', message: entry };
    if (!isRecord(entry)) throw malformed(site, 'a list of log events', value);
    return {
      time: text(entry['timestamp'] ?? entry['time'] ?? entry['strtime']),
      service: text(entry['service'] ?? entry['system']),
      node: text(entry['node'] ?? entry['host']),
      level: text(entry['level'] ?? entry['error_level'] ?? entry['priority']),
      message: text(entry['message'] ?? entry['msg']),
    };
  });
}
