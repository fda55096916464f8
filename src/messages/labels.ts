import { describeOperation, type OperationKind } from '../lifecycle/operation-kind.js';
import { formatDuration } from '../lifecycle/wait-until.js';
import type {
  ConnectionState,
  DatabaseOperation,
  DatabaseState,
  LogEntry,
  NodeStatus,
  ServiceRuntimeState,
} from '../exaoperation/types.js';

/**
 * Parsed states back to words an operator knows. Known values are shown as EXAoperation spells
 * them; an unrecognised value is shown verbatim and marked, so nothing EXAoperation said is hidden.
 */
const unrecognised = (raw: string): string => `${raw} (unrecognised)`;

export function serviceStateLabel(state: ServiceRuntimeState): string {
  switch (state.kind) {
    case 'ok':
      return 'OK';
    case 'not-running':
      return 'not running';
    case 'unknown':
      return unrecognised(state.raw);
  }
}

export function databaseStateLabel(state: DatabaseState): string {
  return state.kind === 'unknown' ? unrecognised(state.raw) : state.kind;
}

export function databaseOperationLabel(operation: DatabaseOperation): string {
  return operation.kind === 'idle' ? 'None' : operation.raw;
}

export function connectionLabel(connection: ConnectionState): string {
  switch (connection.kind) {
    case 'accepting':
      return 'Yes';
    case 'rejecting':
      return 'No';
    case 'unknown':
      return unrecognised(connection.raw);
  }
}

export function nodeStatusLabel(status: NodeStatus): string {
  switch (status.kind) {
    case 'running':
      return 'Running';
    case 'suspended':
      return 'Suspended';
    case 'offline':
      return 'offline';
    case 'unknown':
      // EXAoperation's own 'Unknown' is a documented value, not a surprise.
      return status.raw === 'Unknown' ? 'Unknown' : unrecognised(status.raw);
  }
}

export function logPriorityLabel(priority: LogEntry['priority']): string {
  return typeof priority === 'string' ? priority : unrecognised(priority.raw);
}

/** UTC, to the second: the same text whichever machine renders it. */
export function formatTimestamp(ms: number): string {
  if (!Number.isFinite(ms)) return 'unknown time';
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function capitalise(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}

/** 'shut-down of cluster demo', 'stop of database exa_db1 on cluster demo'. */
export function operationTitle(operation: OperationKind, cluster: string): string {
  switch (operation.kind) {
    case 'cluster-startup':
      return `start-up of cluster ${cluster}`;
    case 'cluster-shutdown':
      return `shut-down of cluster ${cluster}`;
    default:
      return `${describeOperation(operation)} on cluster ${cluster}`;
  }
}

/** Step times: below a tenth of a second the number says nothing, so it says so. */
export function formatElapsed(ms: number): string {
  return ms < 100 ? '<0.1 s' : formatDuration(ms);
}
