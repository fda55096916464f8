import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createServiceFixture } from '../helpers/service-fixture.js';
import { SIM_PASSWORD, startSimCluster } from '../helpers/sim-cluster.js';

const dataDir = mkdtempSync(join(tmpdir(), 'exa-chatops-crash-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

describe('a bot killed mid shut-down', () => {
  it('is reported after the restart with the step it was in, and nothing is resumed', async () => {
    // Database stops take long enough that the kill lands in the wait.
    const cluster = await startSimCluster({ durations: { databaseStop: 5000 } });
    try {
      const worker = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures', 'shutdown-worker.ts')], {
        env: { ...process.env, SIM_URL: cluster.sim.url, SIM_PASSWORD, DATA_DIR: dataDir },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      const exited = new Promise<NodeJS.Signals | null>((resolve) => worker.on('exit', (_code, signal) => resolve(signal)));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`worker never reached the wait: ${output}`)), 20_000);
        worker.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('wait-database-stopped')) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      worker.kill('SIGKILL');
      assert.equal(await exited, 'SIGKILL');
      const callsAtKill = cluster.sim.calls.filter((c) => c.method === 'stopEXAStorage' || c.method === 'shutdownNode').length;

      const restarted = createServiceFixture(new Map([['cluster1', { client: cluster.client, profile: cluster.profile }]]), {}, undefined, dataDir);
      const reports = await restarted.service.recover();
      assert.equal(reports.length, 1);
      const [report] = reports;
      assert.equal(report?.phase, 'running');
      assert.equal(report?.lastStep?.title, 'Wait until database exa_db1 is stopped');
      assert.match(report?.message ?? '', /op-1 \(cluster shut-down on cluster1, requested by U1\) was interrupted by a restart during step 4 'Wait until database exa_db1 is stopped'.*not resumed/);
      assert.deepEqual(await restarted.service.recover(), [], 'reported once, not forgotten and not repeated');
      assert.ok(restarted.audit.read().some((e) => e.action === 'interrupted' && e.opId === 'op-1'));
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(cluster.sim.calls.filter((c) => c.method === 'stopEXAStorage' || c.method === 'shutdownNode').length, callsAtKill, 'nothing resumed');
      assert.equal(restarted.service.queue('cluster1').running, undefined);
      const next = await restarted.service.request({ cluster: 'cluster1', operation: { kind: 'storage-start' }, requestedBy: 'U1' });
      assert.equal(next.kind === 'queued' && next.op.id, 'op-2', 'ids continue after the restart');
      await restarted.service.shutdown();
      restarted.journal.close();
      restarted.audit.close();
    } finally {
      await cluster.stop();
    }
  });
});
