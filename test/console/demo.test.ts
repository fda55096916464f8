import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runDemo } from '../helpers/run-demo.js';

describe('npm run demo', { timeout: 150_000 }, () => {
  it('prints the status tables for piped input and exits 0', async () => {
    const { code, stdout, stderr } = await runDemo('/exa status\n');
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^exa-chatops demo/m);
    assert.match(stdout, /journal and audit log in \S+exa-chatops-demo-/);
    assert.match(stdout, /in Slack a second person must approve/);
    assert.match(stdout, /│ service +│ state +│/);
    assert.match(stdout, /│ Storaged │ OK +│/);
    assert.match(stdout, /│ exa_db1 +│ running │ None +│ Yes +│/);
    assert.match(stdout, /│ exa_db2 +│ running │ None +│ Yes +│/);
    assert.match(stdout, /^Nodes: 4 online, 0 offline$/m);
    assert.match(stdout, /^EXAoperation master: n0010$/m);
    // The simulator's password is random and never shown; no URL carries credentials.
    assert.doesNotMatch(stdout + stderr, /password|https?:\/\/[^/\s]*@/i);
  });

  it('refuses an unknown option with the usage', async () => {
    const { code, stderr } = await runDemo('', ['--colt']);
    assert.equal(code, 2);
    assert.match(stderr, /unknown option '--colt'/);
    assert.match(stderr, /--cold/);
  });

  it('a piped shut-down, approval and start-up run one after the other; the demo powers its license server back on', async () => {
    const { code, stdout, stderr } = await runDemo('shutdown\napprove op-1\nstartup\n');
    assert.equal(code, 0, stderr);
    assert.doesNotMatch(stdout, /conflicts with op-1/, 'the start-up waited for the shut-down instead of being refused');
    const powered = stdout.indexOf('demo: the license server n0010 is off, so the demo powers it on for you');
    assert.ok(powered > stdout.indexOf('op-1: Shut-down of cluster demo'), 'said once the shut-down is over');
    assert.match(stdout, /op-2: Start-up of cluster demo[\s\S]*✔ Succeeded in/);
    assert.match(stdout, /4\/4 nodes online, EXAStorage online, 2\/2 databases accepting connections/);
  });

  it('refuses a bad --backend, every problem in one message', async () => {
    const bad = await runDemo('', ['--backend', 'exa9', '--x']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--backend must be exaoperation or confd, not 'exa9'; unknown option '--x'/);
  });


});
