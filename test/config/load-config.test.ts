import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load-config.js';
import { CredentialFile } from '../../src/credentials/credential-file.js';

const dir = mkdtempSync(join(tmpdir(), 'exa-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function secret(name: string, value: string, mode = 0o600): string {
  const path = join(dir, name);
  writeFileSync(path, `${value}\n`);
  chmodSync(path, mode);
  return path;
}

const base = (): NodeJS.ProcessEnv => ({
  SLACK_BOT_TOKEN_FILE: secret('bot', 'xoxb-123-abc'),
  SLACK_APP_TOKEN_FILE: secret('app', 'xapp-1-abc'),
  EXA_URL: 'https://10.0.0.10/cluster1',
  EXA_USER: 'chatops',
  EXA_PASSWORD_FILE: secret('exa', 'exa-secret-pw'),
  EXA_OPERATORS: 'U0OP1,S0DBAS',
  EXA_APPROVERS: 'U0AP1',
  EXA_ALLOWED_CHANNELS: 'C0OPS',
});

describe('loadConfig', () => {
  it('reads a Socket Mode bot with one cluster, secrets from files, and collects every secret for redaction', () => {
    const config = loadConfig(base());
    assert.equal(config.slack.mode.kind, 'socket');
    assert.equal(config.clusters[0]?.name, 'cluster1');
    assert.equal(config.clusters[0]?.password, 'exa-secret-pw');
    assert.deepEqual(config.access.grants[0], {
      role: 'operator',
      principals: [{ kind: 'user', id: 'U0OP1' }, { kind: 'group', id: 'S0DBAS' }],
      clusters: '*',
      channels: '*',
      operations: '*',
    });
    const basic = Buffer.from('chatops:exa-secret-pw').toString('base64');
    assert.deepEqual([...config.secrets].sort(), [basic, 'exa-secret-pw', 'xapp-1-abc', 'xoxb-123-abc'].sort());
    assert.deepEqual(config.warnings, []);
  });

  it('reports every problem at once, each with its fix, and never echoes a secret', () => {
    const env = {
      SLACK_BOT_TOKEN: 'xoxp-user-token-secret',
      SLACK_APP_TOKEN: 'bogus-app-token',
      EXA_PASSWORD_FILE: secret('loose', 'pw-loose', 0o644),
      EXA_OPERATORS: 'bob',
      EXA_TIMEOUT_MS: 'soon',
    };
    assert.throws(
      () => loadConfig(env),
      (error: Error) => {
        const lines = error.message.split('\n');
        assert.match(lines[0] ?? '', /has \d+ problem\(s\)/);
        for (const expected of [
          /SLACK_BOT_TOKEN must be a bot token starting with xoxb-/,
          /SLACK_APP_TOKEN must be an app-level token starting with xapp-/,
          /EXA_URL is missing/,
          /EXA_TIMEOUT_MS must be a whole number/,
          /EXA_OPERATORS entry 'bob' is not a Slack user id/,
          /nobody may approve a shut-down: set EXA_APPROVERS/,
          /EXA_ALLOWED_CHANNELS is empty/,
        ]) {
          assert.match(error.message, expected);
        }
        assert.ok(!error.message.includes('xoxp-user-token-secret') && !error.message.includes('bogus-app-token'));
        return true;
      },
    );
  });

  it('a plain-text password in the environment works but draws a warning', () => {
    const env: NodeJS.ProcessEnv = { ...base(), EXA_PASSWORD: 'plain-pw-123' };
    delete env['EXA_PASSWORD_FILE'];
    const config = loadConfig(env);
    assert.equal(config.clusters[0]?.password, 'plain-pw-123');
    assert.match(config.warnings[0] ?? '', /EXA_PASSWORD is set in plain text/);
  });

  it('a secret file readable by others is a problem with the chmod to run', () => {
    const env = { ...base(), EXA_PASSWORD_FILE: secret('exa-open', 'pw', 0o640) };
    assert.throws(() => loadConfig(env), /EXA_PASSWORD_FILE .* is readable by group or others \(mode 640\); run: chmod 600/);
  });

  it('HTTP mode needs the signing secret; an encrypted profile supplies user and password', () => {
    const credentials = join(dir, 'creds.json');
    const masterKey = secret('master', 'master-key-for-tests-0123');
    const file = CredentialFile.open(credentials, 'master-key-for-tests-0123', { create: true });
    file.set('prod', { user: 'exa-admin', password: 'from-profile-pw' });
    file.save();
    const env: NodeJS.ProcessEnv = { ...base(), SLACK_SIGNING_SECRET_FILE: secret('signing', 'signing-secret-1'), EXA_CREDENTIAL_PROFILE: 'prod', EXA_CREDENTIALS_FILE: credentials, EXA_MASTER_KEY_FILE: masterKey };
    delete env['SLACK_APP_TOKEN_FILE'];
    delete env['EXA_PASSWORD_FILE'];
    delete env['EXA_USER'];
    const config = loadConfig(env);
    assert.deepEqual(config.slack.mode, { kind: 'http', signingSecret: 'signing-secret-1' });
    assert.equal(config.clusters[0]?.user, 'exa-admin');
    assert.equal(config.clusters[0]?.password, 'from-profile-pw');
    assert.ok(config.secrets.includes('from-profile-pw'));
    assert.throws(() => loadConfig({ ...env, EXA_CREDENTIAL_PROFILE: 'nope' }), /no credential profile 'nope'/);
  });

  it('reads roles per cluster and per channel from EXA_ACCESS_FILE', () => {
    const file = join(dir, 'access.json');
    writeFileSync(
      file,
      JSON.stringify({
        grants: [
          { role: 'operator', principals: ['U0DEV', 'S0DEVS'], clusters: ['cluster1'], channels: ['C0DEV'], operations: ['database-start', 'database-stop'] },
          { role: 'approver', principals: ['U0LEAD'] },
        ],
      }),
    );
    const env: NodeJS.ProcessEnv = { ...base(), EXA_ACCESS_FILE: file };
    delete env['EXA_OPERATORS'];
    delete env['EXA_APPROVERS'];
    const config = loadConfig(env);
    assert.deepEqual(config.access.grants, [
      {
        role: 'operator',
        principals: [{ kind: 'user', id: 'U0DEV' }, { kind: 'group', id: 'S0DEVS' }],
        clusters: ['cluster1'],
        channels: ['C0DEV'],
        operations: ['database-start', 'database-stop'],
      },
      { role: 'approver', principals: [{ kind: 'user', id: 'U0LEAD' }], clusters: '*', channels: '*', operations: '*' },
    ]);
  });

  it('names every mistake in EXA_ACCESS_FILE', () => {
    const file = join(dir, 'access-bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        grants: [
          { role: 'admin', principals: ['U0X'] },
          { role: 'operator', principals: ['bob'], clusters: ['nope'] },
          { role: 'approver', principals: ['U0AP1'], channels: 'C0OPS', operations: ['cluster-startup'] },
          { role: 'operator', principals: ['U0OP9'], operations: ['reboot'] },
          42,
        ],
      }),
    );
    const env: NodeJS.ProcessEnv = { ...base(), EXA_ACCESS_FILE: file };
    delete env['EXA_OPERATORS'];
    assert.throws(
      () => loadConfig(env),
      (error: Error) => {
        for (const expected of [
          /EXA_ACCESS_FILE grant 1 "role": expected one of "viewer", "operator", "approver", got "admin"/,
          /EXA_ACCESS_FILE grant 2 entry 'bob' is not a Slack user id/,
          /EXA_ACCESS_FILE grant 2 names unknown cluster 'nope'/,
          /EXA_ACCESS_FILE grant 3 "channels": expected "\*" or a list of channel ids, got "C0OPS"/,
          /EXA_ACCESS_FILE grant 4 "operations": expected "\*" or a list of operations \(cluster-startup, cluster-shutdown, .*\), got \["reboot"\]/,
          /EXA_ACCESS_FILE grant 5: expected object, got 42/,
        ]) {
          assert.match(error.message, expected);
        }
        return true;
      },
    );
    writeFileSync(file, '{"grants": [');
    assert.throws(() => loadConfig({ ...base(), EXA_ACCESS_FILE: file }), /EXA_ACCESS_FILE .* is not readable JSON/);
    writeFileSync(file, '[]');
    assert.throws(() => loadConfig({ ...base(), EXA_ACCESS_FILE: file }), /EXA_ACCESS_FILE .* must be \{"grants"/);
    writeFileSync(file, JSON.stringify({ grants: [{ role: 'approver', principals: ['U0AP1'], channels: ['C0OPS'], operations: ['cluster-startup'] }] }));
    assert.throws(() => loadConfig({ ...base(), EXA_ACCESS_FILE: file }), /EXA_ACCESS_FILE grant 1: "operations" only applies to operator grants/);
  });

  it('several clusters from EXA_CLUSTERS_FILE, a default cluster per channel, waits in minutes', () => {
    const file = join(dir, 'clusters.json');
    writeFileSync(
      file,
      JSON.stringify([
        { name: 'prod', url: 'https://10.0.0.10/cluster1', user: 'chatops', passwordFile: secret('prod-pw', 'prod-secret-1'), waitMinutes: { nodeBoot: 40 } },
        { name: 'test', url: 'https://10.0.1.10/cluster1', user: 'chatops', passwordFile: secret('test-pw', 'test-secret-2'), licenseServers: ['n0010', 'n0020'] },
      ]),
    );
    const env: NodeJS.ProcessEnv = { ...base(), EXA_CLUSTERS_FILE: file, EXA_CHANNEL_CLUSTERS: 'C0TEST=test', EXA_NOTIFY_MIN_PRIORITY: 'Warning' };
    const config = loadConfig(env);
    assert.deepEqual(config.clusters.map((c) => c.name), ['prod', 'test']);
    assert.equal(config.channelClusters.get('C0TEST'), 'test');
    assert.equal(config.clusters[0]?.profile.timeouts.nodeBootMs, 40 * 60_000);
    assert.equal(config.clusters[1]?.profile.timeouts.nodeBootMs, 30 * 60_000, 'the default');
    assert.deepEqual(config.clusters[1]?.profile.licenseServers, ['n0010', 'n0020']);
    assert.equal(config.watch.minPriority, 'Warning');
    assert.ok(config.secrets.includes('prod-secret-1') && config.secrets.includes('test-secret-2'));
  });

  it('reports cluster mistakes with the cluster they are in: duplicates, a missing password file, credentials in the URL, bad waits', () => {
    const file = join(dir, 'clusters-bad.json');
    writeFileSync(
      file,
      JSON.stringify([
        { name: 'prod', url: 'https://admin:pw@10.0.0.10/cluster1', user: 'chatops', passwordFile: secret('p1', 'pw-one') },
        { name: 'prod', url: 'https://10.0.0.11/cluster1', user: 'chatops', passwordFile: join(dir, 'no-such-file'), waitMinutes: { storage: 'soon' } },
        { name: 'lab', url: 'https://admin:pw-three@10.0.0.12:99999/cluster1', user: 'chatops', passwordFile: secret('p3', 'pw-three') },
      ]),
    );
    assert.throws(
      () => loadConfig({ ...base(), EXA_CLUSTERS_FILE: file, EXA_CHANNEL_CLUSTERS: 'ops=prod', EXA_NOTIFY_MIN_PRIORITY: 'Loud' }),
      (error: Error) => {
        for (const expected of [
          /cluster name 'prod' is used twice/,
          /cluster prod: the EXAoperation URL contains credentials; remove them from the URL/,
          /cluster lab: EXAoperation URL 'https:\/\/…@10\.0\.0\.12:99999\/cluster1' is not a URL/,
          /EXA_CLUSTERS_FILE entry 2 "passwordFile" .*no-such-file cannot be read \(ENOENT\)/,
          /EXA_CLUSTERS_FILE entry 2 "waitMinutes.storage" must be a number of minutes/,
          /EXA_CHANNEL_CLUSTERS entry 'ops=prod': 'ops' is not a Slack channel id/,
          /EXA_NOTIFY_MIN_PRIORITY/,
        ]) {
          assert.match(error.message, expected);
        }
        assert.ok(!error.message.includes('pw-one'), 'no password in the problems');
        assert.ok(!error.message.includes('admin:pw') && !error.message.includes('pw-three'), 'no credentials from the URL');
        return true;
      },
    );
  });

  it('step waits from the environment; the master key is a secret too', () => {
    const credentials = join(dir, 'creds-2.json');
    const file = CredentialFile.open(credentials, 'another-master-key-4567', { create: true });
    file.set('prod', { user: 'exa-admin', password: 'profile-pw-2' });
    file.save();
    const env: NodeJS.ProcessEnv = {
      ...base(),
      EXA_CREDENTIAL_PROFILE: 'prod',
      EXA_CREDENTIALS_FILE: credentials,
      EXA_MASTER_KEY_FILE: secret('master-2', 'another-master-key-4567'),
      EXA_WAIT_NODE_BOOT_MINUTES: '45',
      EXA_WAIT_DATABASE_STOP_MINUTES: '2.5',
      EXA_OUT_OF_BAND_MANAGEMENT: 'n0011, n0012',
    };
    delete env['EXA_PASSWORD_FILE'];
    const config = loadConfig(env);
    assert.equal(config.clusters[0]?.profile.timeouts.nodeBootMs, 45 * 60_000);
    assert.equal(config.clusters[0]?.profile.timeouts.databaseStopMs, 150_000);
    assert.ok(config.secrets.includes('another-master-key-4567'));
    assert.deepEqual(config.clusters[0]?.profile.outOfBandManagement, ['n0011', 'n0012']);
    assert.equal(loadConfig({ ...env, EXA_OUT_OF_BAND_MANAGEMENT: 'no' }).clusters[0]?.profile.outOfBandManagement, false);
    assert.throws(() => loadConfig({ ...env, EXA_OUT_OF_BAND_MANAGEMENT: 'some' }), /EXA_OUT_OF_BAND_MANAGEMENT must be true, false or a list of the data nodes/);
    assert.throws(() => loadConfig({ ...env, EXA_WAIT_STORAGE_MINUTES: '-1' }), /EXA_WAIT_STORAGE_MINUTES must be a number of minutes between 0 and 1440, got '-1'/);
  });
});

describe('loadConfig: critical clusters', () => {
  it('marks clusters critical from EXA_CRITICAL_CLUSTERS; a name that is no cluster, or a shut-down without approval, is a problem', () => {
    assert.deepEqual([...loadConfig({ ...base(), EXA_CRITICAL_CLUSTERS: 'cluster1' }).approval.confirmByName], ['cluster1']);
    assert.deepEqual([...loadConfig(base()).approval.confirmByName], []);
    assert.throws(() => loadConfig({ ...base(), EXA_CRITICAL_CLUSTERS: 'clustr1' }), /EXA_CRITICAL_CLUSTERS names unknown cluster 'clustr1' \(did you mean cluster1\?\); known: cluster1/);
    assert.throws(
      () => loadConfig({ ...base(), EXA_CRITICAL_CLUSTERS: 'cluster1', EXA_APPROVAL_REQUIRED_FOR: 'database-stop' }),
      /clusters cluster1 are marked critical .* but EXA_APPROVAL_REQUIRED_FOR leaves cluster-shutdown out: add it, or unmark them/,
    );
  });

  it('reads "critical": true from the clusters file', () => {
    const file = join(dir, 'critical-clusters.json');
    writeFileSync(file, JSON.stringify([{ name: 'prod', url: 'https://10.0.0.10/prod', user: 'chatops', passwordFile: secret('prod-pw', 'prod-secret-pw'), critical: true }, { name: 'test', url: 'https://10.0.0.20/test', user: 'chatops', passwordFile: secret('test-pw', 'test-secret-pw') }]));
    const { EXA_URL: _url, EXA_USER: _user, EXA_PASSWORD_FILE: _pw, ...rest } = base();
    const config = loadConfig({ ...rest, EXA_CLUSTERS_FILE: file });
    assert.deepEqual([...config.approval.confirmByName], ['prod']);
    assert.deepEqual(config.clusters.map((c) => [c.name, c.critical]), [['prod', true], ['test', false]]);
  });
});

describe('loadConfig: the backend of a cluster', () => {
  it('is EXAoperation unless EXA_BACKEND says confd; a ConfD URL must be https and carry no credentials', () => {
    assert.equal(loadConfig(base()).clusters[0]?.backend, 'exaoperation');
    const confd = loadConfig({ ...base(), EXA_BACKEND: 'confd', EXA_URL: 'https://10.0.0.11:20003', EXA_CLUSTER_NAME: 'exa8' });
    assert.equal(confd.clusters[0]?.backend, 'confd');
    assert.equal(confd.clusters[0]?.url, 'https://10.0.0.11:20003');
    assert.throws(
      () => loadConfig({ ...base(), EXA_BACKEND: 'confd', EXA_URL: 'http://10.0.0.11:20003' }),
      (error: Error) => /cluster cluster1: the ConfD URL must start with https:\/\/ \(ConfD serves HTTPS only\)/.test(error.message),
    );
  });

  it('names a misspelt backend, in the environment and in the clusters file', () => {
    assert.throws(
      () => loadConfig({ ...base(), EXA_BACKEND: 'confD8' }),
      (error: Error) => error.message.includes("EXA_BACKEND must be exaoperation (Exasol 6/7, the default) or confd (Exasol 8), not 'confD8'"),
    );
    const file = join(dir, 'clusters-backend.json');
    writeFileSync(
      file,
      JSON.stringify([
        { name: 'exa8', backend: 'confd', url: 'https://10.0.0.11:20003', user: 'exadm', passwordFile: secret('exa8', 'pw8') },
        { name: 'old', backend: 'exaop', url: 'https://10.0.0.10/cluster1', user: 'chatops', passwordFile: secret('old', 'pw7') },
      ]),
    );
    assert.throws(
      () => loadConfig({ ...base(), EXA_URL: '', EXA_CLUSTERS_FILE: file }),
      (error: Error) => /EXA_CLUSTERS_FILE entry 2 "backend"/.test(error.message) && !/entry 1/.test(error.message),
    );
  });
});

describe('the store setting (DATABASE_URL)', () => {
  const problems = (env: NodeJS.ProcessEnv): string => {
    try {
      loadConfig(env);
      return '';
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  };

  it('is the files without it, PostgreSQL with it; the URL and its password become secrets', () => {
    assert.deepEqual(loadConfig(base()).store, { kind: 'files' });
    const config = loadConfig({ ...base(), DATABASE_URL_FILE: secret('db-url', 'postgres://bot:pg-Secret%2F9@db.internal:5432/exa'), EXA_EXECUTOR_POLL_SECONDS: '0.5' });
    assert.deepEqual(config.store, { kind: 'postgres', url: 'postgres://bot:pg-Secret%2F9@db.internal:5432/exa', pollMs: 500 });
    assert.ok(config.secrets.includes('pg-Secret/9'), 'the decoded password is redacted too');
    assert.ok(config.secrets.includes('postgres://bot:pg-Secret%2F9@db.internal:5432/exa'));
    assert.deepEqual(config.warnings, []);
  });

  it('warns of a password in the environment, and lists every problem with the fix', () => {
    assert.match(loadConfig({ ...base(), DATABASE_URL: 'postgres://bot:pw-in-env@db/exa' }).warnings.join('\n'), /DATABASE_URL carries a password in plain text in the environment; prefer DATABASE_URL_FILE/);
    const message = problems({ ...base(), DATABASE_URL: 'mysql://db/exa', EXA_EXECUTOR_POLL_SECONDS: '600' });
    assert.match(message, /DATABASE_URL must start with postgres:\/\/ or postgresql:\/\/, got mysql:\/\//);
    assert.match(message, /EXA_EXECUTOR_POLL_SECONDS must be a number of seconds from 0\.1 to 60, got '600'/);
    assert.match(problems({ ...base(), DATABASE_URL: 'not a url' }), /DATABASE_URL is not a URL; it must look like postgres:\/\/user@host:5432\/database/);
    assert.match(problems({ ...base(), EXA_EXECUTOR_POLL_SECONDS: '2' }), /EXA_EXECUTOR_POLL_SECONDS is set but DATABASE_URL is not/);
    assert.doesNotMatch(problems({ ...base(), DATABASE_URL: 'mysql://u:leaked-pw@db/exa' }), /leaked-pw/, 'the problem does not show the password');
  });
});
