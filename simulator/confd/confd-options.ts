// The ConfD mode's own options: users in groups, and a choice for each point the reference
// marks [I] or leaves open (see simulator/ASSUMPTIONS.md, "ConfD mode").

export type ConfdGroup = 'root' | 'exaadm' | 'exadbadm' | 'exastoradm' | 'exausers' | (string & {});

export interface ConfdUser {
  readonly name: string;
  readonly password: string;
  readonly groups: readonly ConfdGroup[];
}

export interface ConfdReadings {
  /** What db_state says while a database starts and stops. @default 'startup-shutdown' */
  readonly transitionalStates?: 'startup-shutdown' | 'starting-stopping';
  /** db_start/db_stop answer once the database runs (is in setup), or at once. @default 'blocking' */
  readonly dbCalls?: 'blocking' | 'immediate';
  /** A job that fails: a normal response with result_code != 0, or an XML-RPC fault. @default 'result' */
  readonly jobFailures?: 'result' | 'fault';
  /** What job_start returns: the id string, or [True, id] like job_desc. @default 'string' */
  readonly jobStartReturns?: 'string' | 'ok-pair';
  /** Without quorum: connections refused, or HTTP 503 from every node that is up. @default 'http-503' */
  readonly noQuorum?: 'refused' | 'http-503';
  /** GET /master: the master's host, or host:port. @default 'host' with one listener, 'host-port' with nodesListen */
  readonly masterAddress?: 'host' | 'host-port';
}

export interface ResolvedReadings {
  readonly transitionalStates: 'startup-shutdown' | 'starting-stopping';
  readonly dbCalls: 'blocking' | 'immediate';
  readonly jobFailures: 'result' | 'fault';
  readonly jobStartReturns: 'string' | 'ok-pair';
  readonly noQuorum: 'refused' | 'http-503';
  readonly masterAddress: 'host' | 'host-port';
}

function oneOf<T extends string>(problems: string[], name: string, value: T | undefined, allowed: readonly T[], fallback: T): T {
  const v = value ?? fallback;
  if (!allowed.includes(v)) problems.push(`${name}: expected ${allowed.map((a) => `'${a}'`).join(' or ')}, got '${String(v)}'`);
  return v;
}

export function resolveReadings(readings: ConfdReadings, nodesListen: number | undefined): ResolvedReadings {
  const problems: string[] = [];
  const resolved: ResolvedReadings = {
    transitionalStates: oneOf(problems, 'transitionalStates', readings.transitionalStates, ['startup-shutdown', 'starting-stopping'], 'startup-shutdown'),
    dbCalls: oneOf(problems, 'dbCalls', readings.dbCalls, ['blocking', 'immediate'], 'blocking'),
    jobFailures: oneOf(problems, 'jobFailures', readings.jobFailures, ['result', 'fault'], 'result'),
    jobStartReturns: oneOf(problems, 'jobStartReturns', readings.jobStartReturns, ['string', 'ok-pair'], 'string'),
    noQuorum: oneOf(problems, 'noQuorum', readings.noQuorum, ['refused', 'http-503'], 'http-503'),
    // Several listeners share one host here, so a bare host would not tell them apart.
    masterAddress: oneOf(problems, 'masterAddress', readings.masterAddress, ['host', 'host-port'], nodesListen === undefined ? 'host' : 'host-port'),
  };
  if (problems.length > 0) throw new RangeError(`invalid ConfD options:\n  ${problems.join('\n  ')}`);
  return resolved;
}

export function validateUsers(users: readonly ConfdUser[]): void {
  const problems: string[] = [];
  const names = new Set<string>();
  for (const u of users) {
    if (typeof u.name !== 'string' || u.name === '' || u.name.includes(':')) problems.push(`users: expected a non-empty name without ':', got '${String(u.name)}'`);
    if (typeof u.password !== 'string' || u.password === '') problems.push(`users: ${u.name}: expected a non-empty password`);
    if (!Array.isArray(u.groups)) problems.push(`users: ${u.name}: expected a list of groups`);
    if (names.has(u.name)) problems.push(`users: '${u.name}' given more than once`);
    names.add(u.name);
  }
  if (problems.length > 0) throw new RangeError(`invalid ConfD options:\n  ${problems.join('\n  ')}`);
}
