// What the CLI prints at start in ConfD mode: the URL to use, the control URL, the readings and
// a curl line. As in the EXAoperation banner, a password passed in is never shown.
import type { CliOptions } from './parse-cli-args.js';

export interface ConfdBannerFacts {
  readonly url: string;
  readonly nodeUrls: Readonly<Record<string, string>>;
  readonly controlUrl: string;
  readonly certificateFile: string | undefined;
  readonly certificateFingerprint256: string;
}

export function renderConfdBanner(options: CliOptions, facts: ConfdBannerFacts): string {
  const c = options.confd;
  const password = options.passwordSource === 'generated' ? `generated for this run: ${options.password}` : `from ${options.passwordSource} (not shown)`;
  const cacert = facts.certificateFile === undefined ? '' : ` --cacert ${facts.certificateFile}`;
  const listeners = Object.entries(facts.nodeUrls).map(([id, url]) => (id === 'cluster' ? url : `n${id} ${url}`));
  const r = c?.readings;
  return [
    `ConfD (Exasol 8) simulator: ${options.nodes} nodes, databases ${options.databases.join(', ')}, ` +
      `time scale ${options.timeScale}, ${options.cold ? 'cold (all nodes off: nothing answers until a host powers on)' : 'running cluster'}`,
    `  URL:       ${facts.url}   (HTTPS only)`,
    ...(listeners.length > 1 ? [`  Nodes:     ${listeners.join(', ')}`] : []),
    `  Control:   ${facts.controlUrl}/_simulator/hosts/<nid>/poweroff|poweron  (POST, same credentials)`,
    `  User:      ${options.user} (groups ${c?.userGroups.join(', ') ?? 'exaadm'})`,
    `  Password:  ${password}`,
    `  Readings:  db_state while moving ${r?.transitionalStates ?? '?'}, db calls ${r?.dbCalls ?? '?'}, job failures as ${r?.jobFailures ?? '?'}, ` +
      `job_start returns ${r?.jobStartReturns ?? '?'}, no quorum: ${r?.noQuorum ?? '?'}`,
    ...(facts.certificateFile === undefined ? [] : [`  TLS cert:  ${facts.certificateFile}`]),
    `  SHA-256:   ${facts.certificateFingerprint256}`,
    '',
    `Try it:  curl -u ${options.user}${cacert} ${facts.url}master`,
    `         curl -u ${options.user}${cacert} -H 'Content-Type: text/xml' \\`,
    `           --data '<methodCall><methodName>job_exec</methodName><params><param><value>db_list</value></param></params></methodCall>' ${facts.url}`,
    '',
    'Press Ctrl+C to stop.',
  ].join('\n');
}
