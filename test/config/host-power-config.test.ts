// Host actions in the configuration (Exasol 8's power step): EXA_HOST_POWER_FILE and a clusters-file
// entry's "hostPower", every mistake reported at start with its fix.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load-config.js';

const dir = mkdtempSync(join(tmpdir(), 'exa-host-power-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string, mode = 0o600): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

const tool = file('exa-host-power', '#!/bin/sh\nexit 0\n', 0o700);
const notExecutable = file('not-executable', '#!/bin/sh\n', 0o600);

const base = (): NodeJS.ProcessEnv => ({
  SLACK_BOT_TOKEN_FILE: file('bot', 'xoxb-123-abc'),
  SLACK_APP_TOKEN_FILE: file('app', 'xapp-1-abc'),
  EXA_BACKEND: 'confd',
  EXA_URL: 'https://10.0.0.11:20003',
  EXA_CLUSTER_NAME: 'exa8',
  EXA_USER: 'chatops',
  EXA_PASSWORD_FILE: file('exa', 'exa-secret-pw'),
  EXA_OPERATORS: 'U0OP1',
  EXA_APPROVERS: 'U0AP1',
  EXA_ALLOWED_CHANNELS: 'C0OPS',
});

const problemsOf = (env: NodeJS.ProcessEnv): string => {
  try {
    loadConfig(env);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  assert.fail('expected configuration problems');
};

describe('host actions in the configuration', () => {
  it('reads EXA_HOST_POWER_FILE into the profile: argv, deadline (default 5 min), nodes, environment', () => {
    const power = file(
      'power.json',
      JSON.stringify({ nodes: ['n11', 'n12'], off: { command: [tool, 'off', '{node}'], timeoutSeconds: 60 }, on: { command: [tool, 'on', '{id}'] }, env: { BMC_PASSWORD_FILE: '/run/secrets/bmc' } }),
    );
    const config = loadConfig({ ...base(), EXA_HOST_POWER_FILE: power });
    assert.deepEqual(config.clusters[0]?.profile.hostPower, {
      nodes: ['n11', 'n12'],
      off: { argv: [tool, 'off', '{node}'], timeoutMs: 60_000 },
      on: { argv: [tool, 'on', '{id}'], timeoutMs: 300_000 },
      env: { BMC_PASSWORD_FILE: '/run/secrets/bmc' },
    });
    assert.equal(loadConfig(base()).clusters[0]?.profile.hostPower, undefined, 'nothing runs by default');
  });

  it('reports every mistake at once: relative path, not executable, no host placeholder, a secret in env, a typo, EXAoperation', () => {
    const bad = file(
      'bad.json',
      JSON.stringify({ nodes: ['n11'], off: { command: ['ipmitool', 'off', '{node}'] }, on: { command: [notExecutable, 'on', '{node}'] }, env: { BMC_PASSWORD: 'hunter2' } }),
    );
    const text = problemsOf({ ...base(), EXA_HOST_POWER_FILE: bad });
    assert.match(text, /"off" "command" must start with the absolute path of an executable \(no shell runs it\), got 'ipmitool'/);
    assert.match(text, /"on" "command": \S+not-executable is not executable; install it or fix the path/);
    assert.match(text, /"env\.BMC_PASSWORD" looks like a secret: the configuration holds none/);
    assert.doesNotMatch(text, /hunter2/);

    const noHost = file('nohost.json', JSON.stringify({ nodes: ['n11'], off: { command: [tool, 'off'] } }));
    assert.match(problemsOf({ ...base(), EXA_HOST_POWER_FILE: noHost }), /never says which host: put \{node\} \(n11\) or \{id\} \(11\) in an argument/);
    // {cluster} alone would run one whole-cluster command once per host.
    const clusterOnly = file('cluster-only.json', JSON.stringify({ nodes: ['n11'], off: { command: [tool, 'off', '{cluster}'] } }));
    assert.match(problemsOf({ ...base(), EXA_HOST_POWER_FILE: clusterOnly }), /never says which host/);
    for (const name of ['SSHPASS', 'IPMI_PASS', 'BMC_PW', 'API_AUTH', 'PASSPHRASE']) {
      const leaky = file(`leaky-${name}.json`, JSON.stringify({ nodes: ['n11'], off: { command: [tool, '{node}'] }, env: { [name]: 'x' } }));
      assert.match(problemsOf({ ...base(), EXA_HOST_POWER_FILE: leaky }), new RegExp(`"env\\.${name}" looks like a secret`), name);
    }

    const typo = file('typo.json', JSON.stringify({ nodes: ['n11'], of: { command: [tool, '{node}'] } }));
    assert.match(problemsOf({ ...base(), EXA_HOST_POWER_FILE: typo }), /EXA_HOST_POWER_FILE \S+ must be .*unknown key "of" \(did you mean off\?\)/);

    const ok = file('ok.json', JSON.stringify({ nodes: ['n11'], off: { command: [tool, '{node}'] } }));
    assert.match(problemsOf({ ...base(), EXA_BACKEND: 'exaoperation', EXA_URL: 'https://10.0.0.10/cluster1', EXA_HOST_POWER_FILE: ok }), /host actions are for Exasol 8 clusters \(backend confd\)/);
  });

  it('reads "hostPower" of a clusters-file entry, with the entry in each message', () => {
    const clusters = file(
      'clusters.json',
      JSON.stringify([
        { name: 'exa8', backend: 'confd', url: 'https://10.0.0.11:20003', user: 'chatops', passwordFile: file('pw8', 'pw8'), hostPower: { nodes: ['n11'], on: { command: [tool, 'on', '{node}'] } } },
        { name: 'exa8b', backend: 'confd', url: 'https://10.0.1.11:20003', user: 'chatops', passwordFile: file('pw8b', 'pw8b'), hostPower: { nodes: ['n11', 'n11'], off: { command: [tool, '{node}'] } } },
      ]),
    );
    const env = { ...base(), EXA_URL: '', EXA_CLUSTERS_FILE: clusters };
    assert.match(problemsOf(env), /EXA_CLUSTERS_FILE entry 2 "hostPower" "nodes" lists a node twice/);
    assert.doesNotMatch(problemsOf(env), /entry 1/);
  });
});
