// `npm run demo -- --backend confd`: the Exasol 8 demo, ConfD simulator over HTTPS with host actions.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runDemo } from '../helpers/run-demo.js';

describe('npm run demo -- --backend confd', { timeout: 150_000 }, () => {
  it('starts a cold Exasol 8 cluster with --backend confd --cold: host actions power the hosts on, then the databases come up', async () => {
    const { code, stdout, stderr } = await runDemo('startup\n', ['--backend=confd', '--cold']);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /hosts powered off/);
    assert.match(stdout, /n14: the power-on host action exited with status 0\n\s+\| poweron n14: booting/);
    assert.match(stdout, /✔ 2\. Wait until ConfD answers with quorum and every node is online/);
    assert.match(stdout, /✔ Succeeded in/);
    assert.match(stdout, /4\/4 nodes online, 2\/2 volumes online, 2\/2 databases accepting connections/);
  });

  it('runs against the ConfD simulator with --backend confd: status, then a shut-down that stops both databases and powers the hosts off', async () => {
    const { code, stdout, stderr } = await runDemo('/exa status\nshutdown\napprove op-1\n', ['--backend', 'confd']);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /cluster 'demo' \(Exasol 8\)/);
    assert.match(stdout, /ConfD simulator at https:\/\/127\.0\.0\.1:\d+\/ over HTTPS/);
    assert.match(stdout, /│ DB1 +│ running │ None +│ Yes +│/);
    assert.match(stdout, /│ DataVolume1 │ ONLINE │/);
    assert.match(stdout, /^ConfD master: 127\.0\.0\.1$/m);
    assert.match(stdout, /✔ Succeeded in/);
    assert.match(stdout, /│ DB2 +│ setup +│ None +│ No +│/);
    assert.match(stdout, /Cluster state just before the hosts were powered off/);
    assert.match(stdout, /n11: the power-off host action exited with status 0/);
    assert.doesNotMatch(stdout, /EXAStorage|license server/);
    assert.doesNotMatch(stdout + stderr, /password|https?:\/\/[^/\s]*@/i);
  });
});
