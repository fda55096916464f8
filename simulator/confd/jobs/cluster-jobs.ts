// Node, storage, licence and log jobs. The license server of the model never shows here: Exasol 8
// has none (it stays powered on inside the model, invisible).
import type { RpcValue } from '../../api/rpc-value.js';
import { asctime } from '../confd-time.js';
import { JobFailure } from '../job-result.js';
import { DB_GROUPS, NODE_GROUPS, STORAGE_GROUPS, done, optionalStringList, type JobContext, type JobSpec } from '../job-spec.js';
import { collectLogs } from '../log-collect.js';
import { confdId, confdName, modelNodeName } from '../node-ids.js';

export function nodeStateName(ctx: JobContext, node: string): 'online' | 'offline' {
  return ctx.model.nodePower(node) === 'running' ? 'online' : 'offline';
}

function nodeState(ctx: JobContext): RpcValue {
  const states: Record<string, RpcValue> = {};
  const booted: Record<string, RpcValue> = {};
  for (const n of ctx.model.getNodeList()) {
    states[confdId(n)] = nodeStateName(ctx, n);
    const at = ctx.model.nodeBootedAt(n);
    if (at !== undefined) booted[confdId(n)] = asctime(at);
  }
  return { ...states, booted };
}

function nodeEntry(n: string): RpcValue {
  const id = confdId(n);
  return {
    id: Number(id),
    name: confdName(n),
    private_ip: `10.0.0.${id}`,
    private_net: '10.0.0.0/24',
    uuid: `C0FD0000-0000-4000-8000-0000000000${id.padStart(2, '0').slice(-2)}`,
    disks: { disk1: { devices: ['/dev/sdb'], size: '100 GiB' } },
  };
}

function volumes(ctx: JobContext): { [key: string]: RpcValue }[] {
  const online = ctx.model.storageState() === 'online';
  const nodes = ctx.model.getNodeList();
  return ctx.model.getDatabaseList().map((db, i) => ({
    id: String(i),
    name: `DataVolume${i + 1}`,
    type: 'data',
    state: online ? 'ONLINE' : 'OFFLINE',
    size: '100 GiB',
    redundancy: 1,
    labels: [`pub:${db}_persistent`],
    owner: [500, 500],
    nodes_list: nodes.map((n) => ({ id: Number(confdId(n)), unrecovered_segments: 0 })),
    segments: nodes.map((n, s) => ({ id: s, node: confdName(n), state: online ? 'ONLINE' : 'OFFLINE' })),
  }));
}

const spec = (name: string, description: string, groups: readonly string[], mandatory: string[], optional: string[], run: JobSpec['run']): JobSpec => ({
  name,
  description,
  groups,
  mandatory,
  optional,
  run,
});

export const CLUSTER_JOBS: readonly JobSpec[] = [
  spec('node_list', 'List all nodes of the cluster.', NODE_GROUPS, [], [], (ctx) =>
    done(Object.fromEntries(ctx.model.getNodeList().map((n) => [confdId(n), nodeEntry(n)]))),
  ),
  spec('node_state', 'Get the state of all nodes.', NODE_GROUPS, [], [], (ctx) => done(nodeState(ctx))),
  spec('node_info', 'Get information about a node (cored, platform, load, state).', NODE_GROUPS, ['nid'], [], (ctx, p) => {
    const node = modelNodeName(p.nid, ctx.model.getNodeList());
    const online = nodeStateName(ctx, node) === 'online';
    const booted = ctx.model.nodeBootedAt(node);
    return done({
      id: Number(confdId(node)),
      name: confdName(node),
      state: nodeStateName(ctx, node),
      cored: online ? 'running' : 'not running',
      platform: 'Linux x86_64',
      load: online ? 0.42 : 0,
      booted: booted === undefined ? 'None' : asctime(booted),
    });
  }),
  spec('st_volume_list', 'List all storage volumes.', STORAGE_GROUPS, [], [], (ctx) => done(volumes(ctx))),
  spec('st_volume_info', 'Get information about a storage volume.', STORAGE_GROUPS, [], ['vid', 'vname'], (ctx, p) => {
    const all = volumes(ctx);
    if (p.vid === undefined && p.vname === undefined) throw new JobFailure('InvalidParameters', "One of the parameters 'vid' or 'vname' is required.");
    const found = all.find((v) => (p.vid !== undefined ? v.id === String(p.vid) : v.name === p.vname));
    if (found === undefined) throw new JobFailure('NotFound', `Volume ${String(p.vid ?? p.vname)} does not exist.`);
    return done(found);
  }),
  spec('license_info', 'Show the installed licence.', NODE_GROUPS, [], [], () =>
    done({
      id: 'SIMULATED-0001',
      customer: 'Simulated Customer',
      type: 'database_memory',
      database_memory: '64 GiB',
      raw_data_size: 'unlimited',
      expiration_date: '2099-12-31',
      valid: true,
    }),
  ),
  spec('log_collect', 'Collect log events of services.', DB_GROUPS, ['services'], ['dbs', 'nodes', 'error_level', 'start_time', 'stop_time', 'default_interval', 'tag'], (ctx, p) => {
    const services = optionalStringList(p, 'services') ?? [];
    const text = (key: string): string | undefined => {
      const v = p[key];
      if (v !== undefined && typeof v !== 'string') throw new JobFailure('InvalidParameters', `Parameter '${key}': expected a string, got ${JSON.stringify(v)}.`);
      return v;
    };
    return done(
      collectLogs(ctx.model, ctx.logCursors, {
        services,
        dbs: optionalStringList(p, 'dbs'),
        nodes: optionalStringList(p, 'nodes'),
        errorLevel: text('error_level'),
        startTime: text('start_time'),
        stopTime: text('stop_time'),
        tag: text('tag'),
      }),
    );
  }),
];
