import type {
  ConnectionState,
  DatabaseInfo,
  DatabaseOperation,
  DatabaseState,
  HardwareInformation,
  LicenseServer,
  LogEntries,
  LogEntry,
  LogPriority,
  NodeState,
  NodeStatus,
  PluginResult,
  ServiceRuntimeState,
  ServiceState,
} from './types.js';

/** Thrown by a parser when an answer has the wrong shape; the client turns it into EXA_MALFORMED_RESPONSE. */
export class ShapeError extends Error {
  constructor(
    readonly expected: string,
    readonly got: unknown,
  ) {
    super(`expected ${expected}`);
  }
}

export function parseString(value: unknown): string {
  if (typeof value !== 'string') throw new ShapeError('a string', value);
  return value;
}

export function parseBoolean(value: unknown): boolean {
  if (typeof value !== 'boolean') throw new ShapeError('a boolean', value);
  return value;
}

export function parseStringList(value: unknown): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new ShapeError('a list of strings', value);
  }
  return value as string[];
}

/** Methods that return Python None arrive as `<nil/>` (null); some versions may return a string. */
export function parseNothing(value: unknown): void {
  if (value !== null && value !== undefined && typeof value !== 'string' && typeof value !== 'boolean') {
    throw new ShapeError('nothing (nil)', value);
  }
}

function parseRecord(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ShapeError('a struct', value);
  return value as Record<string, unknown>;
}

export function parseDatabaseState(value: unknown): DatabaseState {
  const raw = parseString(value);
  switch (raw.trim().toLowerCase()) {
    case 'none':
      return { kind: 'none' };
    case 'setup':
      return { kind: 'setup' };
    case 'startup':
      return { kind: 'startup' };
    case 'running':
      return { kind: 'running' };
    case 'shutdown':
      return { kind: 'shutdown' };
    default:
      return { kind: 'unknown', raw };
  }
}

/**
 * Idle is exactly the *string* 'None' (reference §3.2, the article's test). Anything else — '',
 * nil, a missing key, another string — is "busy" with its raw value shown: a database must not be
 * stopped on a guess that nothing is going on.
 */
export function parseDatabaseOperation(value: unknown): DatabaseOperation {
  if (value === 'None') return { kind: 'idle' };
  if (value === null) return { kind: 'busy', raw: '<nil>' };
  if (value === undefined) return { kind: 'busy', raw: '<missing>' };
  return { kind: 'busy', raw: typeof value === 'string' ? value : JSON.stringify(value) };
}

export function parseConnectionState(value: unknown): ConnectionState {
  const raw = parseString(value);
  if (raw === 'Yes') return { kind: 'accepting' };
  if (raw === 'No') return { kind: 'rejecting' };
  return { kind: 'unknown', raw };
}

function parseServiceRuntimeState(raw: string): ServiceRuntimeState {
  if (raw === 'OK') return { kind: 'ok' };
  if (raw === 'not running') return { kind: 'not-running' };
  return { kind: 'unknown', raw };
}

export function parseServiceStates(value: unknown): ServiceState[] {
  if (!Array.isArray(value)) throw new ShapeError('a list of [service, state] pairs', value);
  return value.map((pair: unknown) => {
    if (!Array.isArray(pair) || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
      throw new ShapeError('a list of [service, state] pairs', value);
    }
    return { name: pair[0], state: parseServiceRuntimeState(pair[1]) };
  });
}

export function parseNodeStatus(raw: string): NodeStatus {
  if (raw === 'Running') return { kind: 'running' };
  if (raw === 'Suspended') return { kind: 'suspended' };
  return { kind: 'unknown', raw };
}

export function parseNodeState(value: unknown): NodeState {
  const record = parseRecord(value);
  if (typeof record['status'] !== 'string') throw new ShapeError("a struct with a 'status' string", value);
  return { status: parseNodeStatus(record['status']), raw: record };
}

const PRIORITIES: readonly LogPriority[] = ['Information', 'Notice', 'Warning', 'Error'];

function parseLogEntry(value: unknown): LogEntry {
  const record = parseRecord(value);
  const text = (key: string): string => {
    const field = record[key];
    return typeof field === 'string' ? field : field === undefined || field === null ? '' : String(field);
  };
  if (typeof record['message'] !== 'string') throw new ShapeError("log entries with a 'message' string", value);
  const priority = text('priority');
  return {
    strtime: text('strtime'),
    system: text('system'),
    node: text('node'),
    message: text('message'),
    priority: (PRIORITIES as readonly string[]).includes(priority)
      ? (priority as LogPriority)
      : { kind: 'unknown', raw: priority },
  };
}

export function parseLogEntries(value: unknown): LogEntries {
  if (!Array.isArray(value) || value.length < 3 || !Array.isArray(value[2])) {
    throw new ShapeError('a 3-element list with the log entries at index 2', value);
  }
  return { header: [value[0], value[1]], entries: (value[2] as unknown[]).map(parseLogEntry) };
}

export function parseHardwareInformation(value: unknown): HardwareInformation {
  const text = value === null ? '' : parseString(value);
  return { online: text.includes('dmidecode'), text };
}

export function parsePluginResult(value: unknown): PluginResult {
  if (!Array.isArray(value) || value.length < 2 || typeof value[0] !== 'number') {
    throw new ShapeError('a [status, output] pair', value);
  }
  const output: unknown = value[1];
  return { status: value[0], output: typeof output === 'string' ? output : output === null ? '' : String(output) };
}

export function parsePluginFunctions(value: unknown): Record<string, string> {
  const record = parseRecord(value);
  return Object.fromEntries(Object.entries(record).map(([name, text]) => [name, String(text ?? '')]));
}

export function parseLicenseServer(value: unknown): LicenseServer {
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number.parseInt(value, 10) : NaN;
  if (!Number.isInteger(number) || number < 0) throw new ShapeError('a license server number', value);
  return { number, node: `n${String(number).padStart(4, '0')}` };
}

export function parseDatabaseInfo(value: unknown): DatabaseInfo {
  const record = parseRecord(value);
  const nodes = typeof record['nodes'] === 'object' && record['nodes'] !== null ? (record['nodes'] as Record<string, unknown>) : {};
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return {
    name: typeof record['name'] === 'string' ? record['name'] : '',
    state: parseDatabaseState(record['state'] ?? ''),
    operation: parseDatabaseOperation(record['operation']),
    connection: parseConnectionState(record['connectible'] ?? ''),
    connectionString: typeof record['connection string'] === 'string' ? record['connection string'] : '',
    nodes: { active: list(nodes['active']), failed: list(nodes['failed']), reserve: list(nodes['reserve']) },
    raw: record,
  };
}

/** Both wordings of the boot-finished message (reference §4.3): Exasol 7 and the KB article's. */
const BOOT_FINISHED = /Boot process (?:finished after|stages 1 to 3 took) (\d+) seconds/;

export function parseBootFinished(message: string): { seconds: number } | undefined {
  const match = BOOT_FINISHED.exec(message);
  return match ? { seconds: Number(match[1]) } : undefined;
}
