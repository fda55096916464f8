import { readFileSync } from 'node:fs';
import { OPERATION_NAMES, type OperationName } from '../lifecycle/operation-kind.js';
import type { AccessConfig, Grant, Principal } from './app-config.js';
import { readList } from './parse-env.js';

/**
 * Who may do what: the three simple lists (a role on every cluster, in every allowed channel)
 * plus, for roles per cluster, channel and operation, the grants of EXA_ACCESS_FILE.
 */
export function accessConfig(env: NodeJS.ProcessEnv, clusterNames: readonly string[], problems: string[]): AccessConfig {
  const principal = (id: string, where: string): Principal[] => {
    if (/^[UW][A-Z0-9]+$/.test(id)) return [{ kind: 'user', id }];
    if (/^S[A-Z0-9]+$/.test(id)) return [{ kind: 'group', id }];
    problems.push(`${where} entry '${id}' is not a Slack user id (U…/W…) or user group id (S…)`);
    return [];
  };
  const grants: Grant[] = [];
  // The simple form: a role on every cluster, in every allowed channel.
  for (const [name, role] of [['EXA_VIEWERS', 'viewer'], ['EXA_OPERATORS', 'operator'], ['EXA_APPROVERS', 'approver']] as const) {
    const principals = readList(env, name).flatMap((id) => principal(id, name));
    if (principals.length) grants.push({ role, principals, clusters: '*', channels: '*', operations: '*' });
  }
  // The fine-grained form: roles per cluster and per channel.
  const file = env['EXA_ACCESS_FILE'];
  if (file) grants.push(...grantsFromFile(file, clusterNames, principal, problems));
  const channels: AccessConfig['channels'] = env['EXA_ALLOWED_CHANNELS']?.trim() === '*' ? '*' : readList(env, 'EXA_ALLOWED_CHANNELS');
  if (!grants.some((g) => g.role === 'operator')) problems.push('nobody may request an operation: set EXA_OPERATORS (Slack user or group ids) or operator grants in EXA_ACCESS_FILE');
  if (!grants.some((g) => g.role === 'approver')) problems.push('nobody may approve a shut-down: set EXA_APPROVERS (Slack user or group ids) or approver grants in EXA_ACCESS_FILE');
  if (channels !== '*' && channels.length === 0) problems.push("EXA_ALLOWED_CHANNELS is empty: list the channel ids where /exa may be used, or '*' for all");
  return { grants, channels };
}

function grantsFromFile(
  file: string,
  clusterNames: readonly string[],
  principal: (id: string, where: string) => Principal[],
  problems: string[],
): Grant[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    problems.push(`EXA_ACCESS_FILE ${file} is not readable JSON (${error instanceof Error ? error.message : String(error)})`);
    return [];
  }
  const list = (raw as { grants?: unknown } | null)?.grants;
  if (!Array.isArray(list)) {
    problems.push(`EXA_ACCESS_FILE ${file} must be {"grants": [{"role", "principals", "clusters", "channels"}, …]}`);
    return [];
  }
  return list.flatMap((item: unknown, i): Grant[] => {
    const where = `EXA_ACCESS_FILE grant ${i + 1}`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      problems.push(`${where} must be an object like {"role": "operator", "principals": ["U…"], "clusters": "*", "channels": ["C…"]}`);
      return [];
    }
    const entry = item as Record<string, unknown>;
    const role = entry['role'];
    if (role !== 'viewer' && role !== 'operator' && role !== 'approver') {
      problems.push(`${where}: "role" must be viewer, operator or approver`);
      return [];
    }
    const scope = (key: 'clusters' | 'channels' | 'operations'): readonly string[] | '*' => {
      const value = entry[key];
      if (value === undefined || value === '*') return '*';
      const what = { clusters: 'cluster names', channels: 'channel ids', operations: `operations (${OPERATION_NAMES.join(', ')})` }[key];
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
        problems.push(`${where}: "${key}" must be "*" or a list of ${what}`);
        return [];
      }
      if (key === 'clusters') for (const c of value) if (!clusterNames.includes(c)) problems.push(`${where} names unknown cluster '${c}'`);
      if (key === 'operations') {
        for (const o of value) if (!(OPERATION_NAMES as readonly string[]).includes(o)) problems.push(`${where} names unknown operation '${o}'; known: ${OPERATION_NAMES.join(', ')}`);
      }
      return value;
    };
    const principals = Array.isArray(entry['principals']) ? entry['principals'].map(String).flatMap((id) => principal(id, where)) : [];
    if (principals.length === 0) problems.push(`${where}: "principals" must list Slack user or group ids`);
    const operations = scope('operations') as readonly OperationName[] | '*';
    if (operations !== '*' && role !== 'operator') problems.push(`${where}: "operations" only applies to operator grants`);
    return [{ role, principals, clusters: scope('clusters'), channels: scope('channels'), operations }];
  });
}
