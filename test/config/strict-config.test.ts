// Issue 12's configuration findings: a typo in the access file used to widen access, typos in the
// clusters file fell back to defaults, misspelt variables were ignored, LOG_LEVEL=trace silenced
// every line. Each is now a problem in the one list at start, with the nearest valid name.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load-config.js';
import { nearest } from '../../src/config/suggest.js';

const dir = mkdtempSync(join(tmpdir(), 'exa-strict-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, value: string, mode = 0o600): string {
  const path = join(dir, name);
  writeFileSync(path, value);
  chmodSync(path, mode);
  return path;
}

const base = (): NodeJS.ProcessEnv => ({
  SLACK_BOT_TOKEN_FILE: file('bot', 'xoxb-123-abc'),
  SLACK_APP_TOKEN_FILE: file('app', 'xapp-1-abc'),
  EXA_URL: 'https://10.0.0.10/cluster1',
  EXA_USER: 'chatops',
  EXA_PASSWORD_FILE: file('exa', 'exa-secret-pw'),
  EXA_OPERATORS: 'U0OP1',
  EXA_APPROVERS: 'U0AP1',
  EXA_ALLOWED_CHANNELS: 'C0OPS',
});

function problems(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (error) {
    return (error as Error).message;
  }
  assert.fail('the configuration was accepted');
}

describe('strict configuration', () => {
  it('refuses the singular typos in EXA_ACCESS_FILE that used to grant every cluster, channel and operation', () => {
    const access = file('access.json', JSON.stringify({ grants: [{ role: 'operator', principals: ['U0OP2'], cluster: ['prod'], channel: ['C0OPS'], operation: ['storage-start'] }] }));
    const text = problems({ ...base(), EXA_ACCESS_FILE: access });
    assert.match(text, /EXA_ACCESS_FILE grant 1: unknown key "cluster" \(did you mean clusters\?\)/);
    assert.match(text, /EXA_ACCESS_FILE grant 1: unknown key "channel" \(did you mean channels\?\)/);
    assert.match(text, /EXA_ACCESS_FILE grant 1: unknown key "operation" \(did you mean operations\?\)/);
  });

  it('refuses misspelt keys and wrong types in the clusters file instead of falling back to defaults', () => {
    const clusters = file(
      'clusters.json',
      JSON.stringify([
        { name: 'prod', url: 'https://10.0.0.10/cluster1', user: 'ops', passwordFile: file('p1', 'pw-one'), licenceServers: ['n0010'], plugins: 'Administration.vmware-tools', waitMinutes: { nodeboot: 30 } },
      ]),
    );
    const env: NodeJS.ProcessEnv = { ...base(), EXA_CLUSTERS_FILE: clusters };
    delete env['EXA_URL'];
    const text = problems(env);
    assert.match(text, /EXA_CLUSTERS_FILE entry 1: unknown key "licenceServers" \(did you mean licenseServers\?\)/);
    assert.match(text, /EXA_CLUSTERS_FILE entry 1 "plugins": expected array, got "Administration.vmware-tools"/);
    assert.match(text, /EXA_CLUSTERS_FILE entry 1 "waitMinutes": unknown key "nodeboot" \(did you mean nodeBoot\?\)/);
  });

  it('refuses an unknown EXA_ or SLACK_ variable with the nearest valid name, and LOG_LEVEL outside the levels', () => {
    const text = problems({ ...base(), EXA_LISENCE_SERVERS: 'n0010,n0009', SLACK_SIGNING_SECRETFILE: '/run/secrets/x', LOG_LEVEL: 'trace' });
    assert.match(text, /EXA_LISENCE_SERVERS is not a setting of exa-chatops \(did you mean EXA_LICENSE_SERVERS\?\)/);
    assert.match(text, /SLACK_SIGNING_SECRETFILE is not a setting of exa-chatops \(did you mean SLACK_SIGNING_SECRET_FILE\?\)/);
    assert.match(text, /LOG_LEVEL must be one of error, warn, info, debug, got 'trace'/);
    assert.match(text, /^The configuration has 3 problem\(s\)/, 'all of them in one list');
    // Kubernetes service links of a Service named exa-chatops are not settings.
    assert.doesNotThrow(() =>
      loadConfig({ ...base(), EXA_CHATOPS_SERVICE_HOST: '10.96.0.12', EXA_CHATOPS_SERVICE_PORT: '3000', EXA_CHATOPS_PORT: 'tcp://10.96.0.12:3000', EXA_CHATOPS_PORT_3000_TCP_ADDR: '10.96.0.12' }),
    );
    // Other variables (PATH, HOME, NODE_OPTIONS…) are not the bot's to judge.
    assert.doesNotThrow(() => loadConfig({ ...base(), PATH: '/usr/bin', NODE_OPTIONS: '--max-old-space-size=256', LOG_LEVEL: 'debug' }));
  });

  it('suggests only names near enough to be what was meant', () => {
    assert.equal(nearest('EXA_APPROVER', ['EXA_APPROVERS', 'EXA_OPERATORS']), 'EXA_APPROVERS');
    assert.equal(nearest('EXA_FOO', ['EXA_APPROVERS', 'EXA_OPERATORS']), undefined);
  });
});

describe('.env.example and the known variables', () => {
  it('documents every variable the bot reads, and names none it does not know', async () => {
    const { KNOWN_ENV } = await import('../../src/config/known-env.js');
    const { readFileSync } = await import('node:fs');
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const named = new Set([...example.matchAll(/\b((?:EXA|SLACK)_[A-Z0-9_]+)=/g)].map((m) => m[1] as string));
    assert.deepEqual([...named].filter((n) => !KNOWN_ENV.includes(n)), [], 'named in .env.example but unknown to the bot');
    const waits = /^EXA_WAIT_\w+_MINUTES$/;
    assert.deepEqual(KNOWN_ENV.filter((n) => !named.has(n) && !waits.test(n) && !(n.endsWith('_FILE') ? named.has(n.slice(0, -5)) : named.has(`${n}_FILE`))), [], 'read by the bot but not in .env.example');
  });
});

describe('credentials in EXA_URL', () => {
  it("never shows a password with '/' or '@' in it, even when the URL does not parse", () => {
    for (const url of ['https://chatops:S3cr/et@10.0.0.10/cluster1', 'https://chatops:S3cr/et@10.0.0.10:443/cluster1', 'https://chatops:p@ss/w@rd@host/cluster1']) {
      const text = problems({ ...base(), EXA_URL: url });
      assert.doesNotMatch(text, /S3cr|et@|p@ss|w@rd/, text);
      assert.match(text, /remove them from the URL/);
    }
  });
});
