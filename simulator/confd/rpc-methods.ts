// ConfD's XML-RPC methods over the job table. Blocking methods (job_exec, job_wait) answer a
// Pending that the server settles as the model's clock moves. A call error (unknown method,
// unknown job id, unfinished job_result) is an XML-RPC fault; a job's own failure is a result
// with result_code != 0, or a fault with readings.jobFailures 'fault'.
import { Pending } from '../api/pending.js';
import type { RpcValue } from '../api/rpc-value.js';
import type { ZopeFault } from '../api/zope-fault.js';
import type { ConfdUser, ResolvedReadings } from './confd-options.js';
import { resultStruct, type JobFailure } from './job-result.js';
import { JOBS, type JobRecord, type JobStore } from './job-store.js';
import { ALLOWED_USERS } from './job-spec.js';

export class RpcFault extends Error implements ZopeFault {
  constructor(
    readonly faultCode: number,
    readonly faultString: string,
  ) {
    super(faultString);
  }
}

export const METHODS = [
  'job_desc', 'job_exec', 'job_finished', 'job_help', 'job_info', 'job_list', 'job_result', 'job_start', 'job_wait',
  'subscribe', 'unsubscribe', 'user_init', 'user_login', 'user_state',
  'system.listMethods', 'system.methodHelp', 'system.methodSignature',
] as const;

const HELP: Record<string, string> = {
  job_exec: 'job_exec(name[, {"params": {...}}]): start a job, wait for it and return its result.',
  job_start: 'job_start(name[, {"params": {...}}]): start a job and return its id.',
  job_wait: 'job_wait(id): wait until the job has finished.',
  job_result: 'job_result(id): the result of a finished job.',
  job_finished: 'job_finished(id): True once the job has finished.',
  job_desc: 'job_desc(name): [True, [description, mandatory, optional, substitute, users, groups]].',
  job_list: 'job_list(): the names of all jobs.',
  job_help: 'job_help(name): a printable description of the job.',
  job_info: 'job_info(id): name, parameters, user and state of a job.',
};

export interface RpcCall {
  readonly store: JobStore;
  readonly user: ConfdUser;
  readonly readings: ResolvedReadings;
  readonly method: string;
  readonly params: readonly unknown[];
  /** A failure fault injection chose for this job call. */
  readonly injected?: JobFailure;
}

/** The job's params dict out of job_exec/job_start's optional second argument {'params': {...}}. */
export function jobParams(arg: unknown): Record<string, unknown> {
  if (arg === undefined || arg === null) return {};
  if (typeof arg !== 'object' || Array.isArray(arg)) throw new RpcFault(1, `TypeError: expected a struct {'params': {...}}, got ${JSON.stringify(arg)}`);
  const inner = (arg as Record<string, unknown>).params;
  if (inner === undefined) return {};
  if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) throw new RpcFault(1, `TypeError: 'params' must be a struct, got ${JSON.stringify(inner)}`);
  return inner as Record<string, unknown>;
}

function result(call: RpcCall, record: JobRecord): RpcValue {
  const outcome = record.outcome;
  if (outcome === undefined) throw new RpcFault(1, `JobNotFinished: job ${record.id} has not finished yet`);
  if (outcome.kind === 'failed' && call.readings.jobFailures === 'fault') {
    throw new RpcFault(outcome.failure.resultCode, `${String(outcome.failure.resultName)}: ${outcome.failure.message}`);
  }
  return resultStruct(record.id, outcome);
}

function whenFinished(call: RpcCall, record: JobRecord, then: () => RpcValue): RpcValue | Pending {
  if (record.outcome !== undefined) return then();
  return new Pending(
    () => {
      call.store.refresh(record);
      if (record.outcome === undefined) return undefined;
      try {
        return { value: then() };
      } catch (error) {
        return { error: error as Error };
      }
    },
    () => call.store.checkAgainAt(record),
  );
}

function jobName(arg: unknown): string {
  if (typeof arg !== 'string') throw new RpcFault(1, `TypeError: expected a job name, got ${JSON.stringify(arg)}`);
  return arg;
}

export function callMethod(call: RpcCall): RpcValue | Pending {
  const [a, b] = call.params;
  switch (call.method) {
    case 'job_exec': {
      const record = call.store.start(jobName(a), jobParams(b), call.user, call.injected);
      return whenFinished(call, record, () => result(call, record));
    }
    case 'job_start': {
      const record = call.store.start(jobName(a), jobParams(b), call.user, call.injected);
      return call.readings.jobStartReturns === 'ok-pair' ? [true, record.id] : record.id;
    }
    case 'job_wait': {
      const record = lookUp(call, a);
      return whenFinished(call, record, () => true);
    }
    case 'job_result':
      return result(call, lookUp(call, a));
    case 'job_finished':
      return lookUp(call, a).outcome !== undefined;
    case 'job_info': {
      const r = lookUp(call, a);
      return { id: r.id, name: r.name, params: r.params as RpcValue, user: r.user, state: r.outcome === undefined ? 'executing' : 'finished' };
    }
    case 'job_list':
      return [...JOBS.keys()].sort();
    case 'job_desc': {
      const spec = JOBS.get(jobName(a));
      if (spec === undefined) return [false, `Job '${String(a)}' does not exist.`];
      return [true, [spec.description, [...spec.mandatory], [...spec.optional], [], [...ALLOWED_USERS], [...spec.groups]]];
    }
    case 'job_help': {
      const spec = JOBS.get(jobName(a));
      if (spec === undefined) throw new RpcFault(1, `UnknownJob: job '${String(a)}' does not exist`);
      return [
        `${spec.name}: ${spec.description}`,
        `  mandatory parameters: ${spec.mandatory.join(', ') || '-'}`,
        `  optional parameters:  ${spec.optional.join(', ') || '-'}`,
        `  allowed users:        ${ALLOWED_USERS.join(', ')}`,
        `  allowed groups:       ${spec.groups.join(', ')}`,
      ].join('\n');
    }
    case 'system.listMethods':
      return [...METHODS];
    case 'system.methodHelp':
      return HELP[String(a)] ?? '';
    case 'system.methodSignature':
      return 'signatures not supported';
    default:
      if ((METHODS as readonly string[]).includes(call.method)) throw new RpcFault(1, `NotImplemented: ${call.method} is not simulated`);
      throw new RpcFault(1, `<class 'Exception'>:method "${call.method}" is not supported`);
  }
}

function lookUp(call: RpcCall, id: unknown): JobRecord {
  try {
    return call.store.get(id);
  } catch (error) {
    throw new RpcFault(1, `UnknownJobId: ${(error as Error).message}`);
  }
}
