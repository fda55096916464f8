import { readFileSync } from 'node:fs';
import type { OperationName } from '../lifecycle/operation-kind.js';
import type { AccessConfig, Grant, Principal } from './app-config.js';
import { schemaProblems, type GrantEntry } from './file-schemas.js';
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
  const fileProblems = schemaProblems('accessFileSchema', raw, (path) =>
    path.length === 0 ? `EXA_ACCESS_FILE ${file} must be {"grants": [{"role", "principals", "clusters", "channels", "operations"}, …]}` : `EXA_ACCESS_FILE "${path.join('.')}"`,
  );
  if (fileProblems.length > 0) {
    problems.push(...fileProblems);
    return [];
  }
  return (raw as { grants: unknown[] }).grants.flatMap((value, i): Grant[] => {
    const at = `EXA_ACCESS_FILE grant ${i + 1}`;
    // Any problem refuses the whole configuration, so a grant with a mistake is never half used.
    const grantProblems = schemaProblems('grantSchema', value, (path) => (path.length === 0 ? at : `${at} "${path.join('.')}"`));
    if (grantProblems.length > 0) {
      problems.push(...grantProblems);
      return [];
    }
    const entry = value as GrantEntry;
    const clusters = entry.clusters ?? '*';
    if (clusters !== '*') for (const c of clusters) if (!clusterNames.includes(c)) problems.push(`${at} names unknown cluster '${c}'`);
    const channels = entry.channels ?? '*';
    const operations = entry.operations ?? '*';
    if (operations !== '*' && entry.role !== 'operator') problems.push(`${at}: "operations" only applies to operator grants`);
    const principals = entry.principals.flatMap((id) => principal(id, at));
    return [{ role: entry.role, principals, clusters, channels, operations: operations as readonly OperationName[] | '*' }];
  });
}
