import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { afterEach, describe, it } from 'node:test';
import { runConsole } from '../../src/console/console-app.js';
import { defaultProfile } from '../../src/lifecycle/cluster-profile.js';
import type { ApprovalPolicy } from '../../src/operations/approval-policy.js';
import { FakeExaClient, type FakeClusterOptions } from '../helpers/fake-exa-client.js';
import { createServiceFixture, type ServiceFixture } from '../helpers/service-fixture.js';

let fixture: ServiceFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

/** A console over in-memory streams, the way the demo runs it but with a fake cluster. */
function start(options: FakeClusterOptions & { interactive?: boolean; approval?: Partial<ApprovalPolicy>; signal?: AbortSignal } = {}) {
  const client = new FakeExaClient({ databases: ['exa_db1', 'exa_db2'], ...options });
  fixture = createServiceFixture(new Map([['c1', { client, profile: { ...defaultProfile('c1'), pollIntervalMs: 1 } }]]), {
    allowSelfApproval: true,
    isApprover: () => true,
    ...options.approval,
  });
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const done = runConsole({
    service: fixture.service,
    input,
    output,
    user: 'console',
    defaultCluster: 'c1',
    interactive: options.interactive ?? false,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { client, service: fixture.service, input, done, output: () => text };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('runConsole', () => {
  it('answers commands with and without /exa, and keeps going after a typo', async () => {
    const c = start();
    c.input.end('/exa status\nstat\nqueue\n');
    assert.equal(await c.done, 'ended');
    const out = c.output();
    assert.match(out, /^exa> \/exa status$/m);
    assert.match(out, /│ exa_db1 +│ running │ None +│ Yes +│/);
    assert.match(out, /^⚠ Unknown subcommand 'stat'\. Did you mean 'status'\? Try \/exa help\.$/m);
    assert.match(out, /Nothing is running or waiting on cluster c1/);
  });

  it('runs a shut-down through approval with live progress and the final report, then ends', async () => {
    const c = start();
    c.input.end('/exa shutdown\napprove op-1\n');
    await c.done;
    const out = c.output();
    assert.match(out, /^Approval needed: shut-down of cluster c1$/m);
    assert.match(out, /^→ type: approve op-1 \/ reject op-1$/m);
    assert.match(out, /^✔ Approved by console\./m);
    assert.match(out, /^▶ op-1 started: shut-down of cluster c1, 12 steps$/m);
    assert.match(out, /^ {2}… 3\. Stop database exa_db1$/m);
    assert.match(out, /^ {2}✔ 3\. Stop database exa_db1 \(.+\)$/m);
    assert.match(out, /^✔ 12\. Shut down license server n0010 \(EXAoperation stops answering\) \(.+\): EXAoperation stopped answering, as expected$/m);
    assert.match(out, /^✔ Succeeded in .+\.$/m);
    assert.match(out, /^Cluster state just before the license server was shut down/m);
    assert.match(out, /^⚠ Nodes: 0 online, 4 offline/m);
    assert.equal(c.client.licenseServerUp, false, 'the operation finished before runConsole resolved');
  });

  it('prints a line per booted node and the boot summary during a start-up', async () => {
    const c = start({ cold: true });
    c.input.end('startup\n');
    await c.done;
    const out = c.output();
    for (const node of ['n0011', 'n0012', 'n0013', 'n0014']) {
      assert.match(out, new RegExp(`^ {6}${node} powered on → booted in 121 s$`, 'm'));
    }
    assert.match(out, /^ {2}✔ 3\. Wait until 4 node\(s\) have booted \(.+\): 4\/4 nodes booted, slowest n0011 in 121 s$/m);
    assert.match(out, /^4\/4 nodes booted, slowest n0011 in 121 s$/m);
  });

  it('shows a prompt in interactive mode and ends on quit', async () => {
    const c = start({ interactive: true });
    c.input.write('help\n');
    await until(() => c.output().includes('/exa logs [N] [cluster]'), 'the help');
    c.input.write('quit\n');
    await c.done;
    assert.ok(c.output().includes('exa> '));
  });

  it('says which requests were left waiting for approval at the end', async () => {
    const c = start();
    c.input.end('db stop exa_db2\n');
    await c.done;
    assert.match(c.output(), /^op-1 \(stop of database exa_db2 on cluster c1\) was still waiting for approval and was not run\.$/m);
  });

  it('prints an expired request', async () => {
    const c = start({ approval: { ttlMs: 20 } });
    c.input.write('db stop exa_db2\n');
    await until(() => c.output().includes('Expired: stop of database exa_db2 on cluster c1'), 'the expiry');
    c.input.end();
    await c.done;
    assert.match(c.output(), /Nobody approved or rejected it in time, so nothing was done\./);
  });

  it('on abort, interrupts a running operation at once instead of waiting for it', async () => {
    const abort = new AbortController();
    const c = start({ cold: true, signal: abort.signal });
    // Past the plan's and the power-on step's reads of the inventory (4 nodes each): the boot wait's.
    const release = c.client.hold('getHardwareInformation', 8);
    c.input.end('startup\n');
    await until(() => c.output().includes('Wait until 4 node(s) have booted'), 'the boot wait');
    abort.abort(new Error('interrupted by SIGTERM'));
    assert.equal(await c.done, 'interrupted');
    release();
    const out = c.output();
    assert.match(out, /^Stopping: interrupted by SIGTERM\. Running operations are interrupted at once/m);
    assert.match(out, /^✖ Interrupted at step 3: /m);
  });
});
