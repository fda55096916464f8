// What the CLI prints at start. A password that was passed in is never shown; a generated one is
// (it is a throwaway, and without it nobody could log in).
import type { RecordedCall } from '../server/call-log.js';
import type { CliOptions } from './parse-cli-args.js';

export interface BannerFacts {
  readonly url: string;
  readonly certificateFile: string | undefined;
  readonly certificateFingerprint256: string | undefined;
}

export function renderBanner(options: CliOptions, facts: BannerFacts): string {
  const password =
    options.passwordSource === 'generated'
      ? `generated for this run: ${options.password}`
      : `from ${options.passwordSource} (not shown)`;
  const cacert = facts.certificateFile === undefined ? '' : ` --cacert ${facts.certificateFile}`;
  const lines = [
    `EXAoperation simulator: ${options.nodes} data nodes, databases ${options.databases.join(', ')}, ` +
      `time scale ${options.timeScale}, ${options.cold ? 'cold (all data nodes off)' : 'running cluster'}`,
    `  URL:       ${facts.url}`,
    `  User:      ${options.user}`,
    `  Password:  ${password}`,
    // Where the reference is silent (simulator/ASSUMPTIONS.md): what this run chose.
    `  Readings:  storage calls ${options.storageCalls}, already in state: ${options.alreadyInState}, ` +
      `powering off reports ${options.poweringOffStatus}, coming up: ${options.comingUp}, ` +
      `${options.licenseServers} license server(s)`,
  ];
  if (facts.certificateFile !== undefined) {
    lines.push(`  TLS cert:  ${facts.certificateFile}`, `  SHA-256:   ${facts.certificateFingerprint256 ?? '?'}`);
  }
  lines.push(
    '',
    'Clients log in with HTTP Basic auth. Hand the password to your client through its secret',
    'configuration (an environment variable or a file), not in the URL or on a command line.',
    `Try it:  curl -u ${options.user}${cacert} -H 'Content-Type: text/xml' \\`,
    `           --data '<methodCall><methodName>getNodeList</methodName></methodCall>' ${facts.url}`,
    '',
    'Press Ctrl+C to stop.',
  );
  return lines.join('\n');
}

export function renderCall(call: RecordedCall): string {
  const time = new Date(call.at).toISOString().slice(11, 23);
  const detail = call.faultString === undefined ? '' : `  ${call.faultString}`;
  return `[${time}] ${call.object}.${call.method} -> ${call.outcome}${call.injected ? ' (injected)' : ''}${detail}`;
}
