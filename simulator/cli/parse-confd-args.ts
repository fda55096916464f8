// The ConfD flags of `npm run simulator -- --backend confd`: the readings, the per-node listeners
// and the default user's groups. Same style as parse-cli-args.ts (every problem at once).
import type { ConfdReadings } from '../confd/confd-options.js';

export const CONFD_VALUE_FLAGS = [
  'backend', 'nodes-listen', 'transitional-states', 'db-calls', 'job-failures', 'job-start-returns',
  'no-quorum', 'master-address', 'user-groups', 'backup-seconds', 'control-port', 'no-auto-start',
] as const;

export type Backend = 'exaoperation' | 'confd';

export interface ConfdCliOptions {
  readonly nodesListen: number | undefined;
  readonly readings: Required<Omit<ConfdReadings, 'masterAddress'>> & Pick<ConfdReadings, 'masterAddress'>;
  readonly userGroups: readonly string[];
  readonly backupSeconds: number;
  readonly controlPort: number;
  readonly databasesWithoutAutoStart: readonly string[];
}

export const CONFD_USAGE = `ConfD mode (--backend confd; HTTPS is implied, --no-https is refused):
  --backend B          exaoperation (default) or confd (Exasol 8)
  --nodes-listen N     one listener per node for the first N nodes (ports --port, --port+1, …);
                       non-masters answer 302 (default: one listener for the cluster)
  --user-groups A,B    groups of --user (default exaadm)
  --transitional-states S  startup-shutdown (default) or starting-stopping
  --db-calls S         blocking (default: db_start/db_stop answer once done) or immediate
  --job-failures S     result (default: result_code != 0) or fault
  --job-start-returns S  string (default: '11.3') or ok-pair ([True, '11.3'])
  --no-quorum S        http-503 (default) or refused
  --master-address S   host or host-port (default host; host-port with --nodes-listen)
  --no-auto-start A,B  databases with auto_start false
  --backup-seconds N   simulated length of a backup (default 600)
  --control-port N     port of the host-power control listener (default 0 = any free port)
  Default port 20003, default database DB1.`;

export function parseConfdFlags(get: (flag: string) => string | undefined, problems: string[], nodes: number): ConfdCliOptions {
  const choice = <T extends string>(flag: string, allowed: readonly T[], fallback: T): T => {
    const raw = get(flag) ?? fallback;
    if (!(allowed as readonly string[]).includes(raw)) problems.push(`--${flag}: expected ${allowed.join(' or ')}, got '${raw}'`);
    return raw as T;
  };
  const int = (flag: string, fallback: number | undefined, min: number, max: number): number | undefined => {
    const raw = get(flag);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < min || n > max) problems.push(`--${flag}: expected an integer from ${min} to ${max}, got '${raw}'`);
    return n;
  };
  const list = (flag: string, fallback: string[]): string[] => get(flag)?.split(',').map((s) => s.trim()) ?? fallback;
  const masterAddress = get('master-address');
  if (masterAddress !== undefined && masterAddress !== 'host' && masterAddress !== 'host-port') {
    problems.push(`--master-address: expected host or host-port, got '${masterAddress}'`);
  }
  return {
    nodesListen: int('nodes-listen', undefined, 1, nodes),
    readings: {
      transitionalStates: choice('transitional-states', ['startup-shutdown', 'starting-stopping'], 'startup-shutdown'),
      dbCalls: choice('db-calls', ['blocking', 'immediate'], 'blocking'),
      jobFailures: choice('job-failures', ['result', 'fault'], 'result'),
      jobStartReturns: choice('job-start-returns', ['string', 'ok-pair'], 'string'),
      noQuorum: choice('no-quorum', ['http-503', 'refused'], 'http-503'),
      ...(masterAddress === 'host' || masterAddress === 'host-port' ? { masterAddress } : {}),
    },
    userGroups: list('user-groups', ['exaadm']),
    backupSeconds: int('backup-seconds', 600, 1, 86_400) ?? 600,
    controlPort: int('control-port', 0, 0, 65535) ?? 0,
    databasesWithoutAutoStart: list('no-auto-start', []),
  };
}
