// The host actions of a cluster, from a clusters-file entry ("hostPower") or EXA_HOST_POWER_FILE
// (the same object, for the one cluster of the environment). Checked at start like everything
// else: the executable must exist and be executable now, not fail at 2 a.m. in a shut-down.
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { BackendKind } from '../backend/cluster-backend.js';
import { HOST_PLACEHOLDERS, type HostCommand, type HostPower } from '../hosts/host-power.js';
import { schemaProblems, type HostPowerEntry } from './file-schemas.js';

/** Five minutes: an IPMI power-off answers in seconds, an orderly OS shut-down over SSH in a few minutes. */
export const DEFAULT_HOST_COMMAND_TIMEOUT_S = 300;

const SECRET_NAME = /PASS|PWD|(^|_)PW(_|$)|TOKEN|SECRET|CRED|AUTH|(^|_)KEY$/i;

/** EXA_HOST_POWER_FILE, read and checked; undefined when not set or wrong (then `problems` says why). */
export function hostPowerFromFile(file: string | undefined, backend: BackendKind, problems: string[]): HostPower | undefined {
  if (file === undefined || file === '') return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    problems.push(`EXA_HOST_POWER_FILE ${file} is not readable JSON (${error instanceof Error ? error.message : String(error)})`);
    return undefined;
  }
  const at = `EXA_HOST_POWER_FILE ${file}`;
  const shape = schemaProblems('hostPowerSchema', raw, (path) => (path.length === 0 ? `${at} must be {"nodes": [...], "off": {"command": [...]}, "on": {...}}` : `${at} "${path.join('.')}"`));
  if (shape.length > 0) {
    problems.push(...shape);
    return undefined;
  }
  return hostPowerFrom(raw as HostPowerEntry, at, backend, problems);
}

/** A validated entry in the bot's terms; every problem found is pushed, none thrown. */
export function hostPowerFrom(entry: HostPowerEntry, at: string, backend: BackendKind, problems: string[]): HostPower | undefined {
  const before = problems.length;
  if (backend !== 'confd') {
    problems.push(`${at}: host actions are for Exasol 8 clusters (backend confd); EXAoperation powers nodes itself (startupNode, shutdownNode)`);
  }
  if (entry.off === undefined && entry.on === undefined) problems.push(`${at} names no command: give "off", "on" or both`);
  if (new Set(entry.nodes).size !== entry.nodes.length) problems.push(`${at} "nodes" lists a node twice`);
  const off = entry.off === undefined ? undefined : command(entry.off, `${at} "off"`, problems);
  const on = entry.on === undefined ? undefined : command(entry.on, `${at} "on"`, problems);
  const env = entry.env ?? {};
  for (const name of Object.keys(env)) {
    if (SECRET_NAME.test(name) && !/_FILE$/i.test(name)) {
      problems.push(`${at} "env.${name}" looks like a secret: the configuration holds none; give the command a file to read instead (e.g. ${name}_FILE=/run/secrets/…)`);
    }
  }
  if (problems.length > before) return undefined;
  return { nodes: [...entry.nodes], ...(off ? { off } : {}), ...(on ? { on } : {}), env: { ...env } };
}

function command(raw: NonNullable<HostPowerEntry['off']>, at: string, problems: string[]): HostCommand | undefined {
  const [file = ''] = raw.command;
  if (!isAbsolute(file)) {
    problems.push(`${at} "command" must start with the absolute path of an executable (no shell runs it), got '${file}'`);
    return undefined;
  }
  try {
    if (!statSync(file).isFile()) throw new Error('not a file');
    accessSync(file, constants.X_OK);
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : (error as NodeJS.ErrnoException).code === 'EACCES' ? 'is not executable' : 'is not a file';
    problems.push(`${at} "command": ${file} ${why}; install it or fix the path (chmod +x if needed)`);
    return undefined;
  }
  // {cluster} alone would run one whole-cluster command once per host.
  if (!raw.command.slice(1).some((arg) => HOST_PLACEHOLDERS.filter((p) => p !== '{cluster}').some((p) => arg.includes(p)))) {
    problems.push(`${at} "command" never says which host: put {node} (n11) or {id} (11) in an argument`);
    return undefined;
  }
  return { argv: [...raw.command], timeoutMs: (raw.timeoutSeconds ?? DEFAULT_HOST_COMMAND_TIMEOUT_S) * 1000 };
}
