import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, it } from 'node:test';
import { systemClock, type Clock, type SleepOptions } from '../../src/util/clock.js';
import { createServiceFixture, type ServiceFixture } from '../helpers/service-fixture.js';
import { startSimCluster, type SimCluster } from '../helpers/sim-cluster.js';

let cluster: SimCluster | undefined;
let fixture: ServiceFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  await cluster?.stop();
  fixture = cluster = undefined;
});

/** The system clock, recording what each sleep asked for. */
class RecordingClock implements Clock {
  readonly sleeps: { ms: number; options: SleepOptions | undefined }[] = [];
  now(): number {
    return Date.now();
  }
  sleep(ms: number, signal?: AbortSignal, options?: SleepOptions): Promise<void> {
    this.sleeps.push({ ms, options });
    return systemClock.sleep(ms, signal, options);
  }
}

describe('timers', () => {
  it('an approval expiry does not keep the process alive', async () => {
    cluster = await startSimCluster();
    const clock = new RecordingClock();
    fixture = createServiceFixture(new Map([['cluster1', { client: cluster.client, profile: cluster.profile }]]), { ttlMs: 600_000 }, clock);
    const result = await fixture.service.request({ cluster: 'cluster1', operation: { kind: 'cluster-shutdown' }, requestedBy: 'U1' });
    assert.equal(result.kind, 'awaiting-approval');
    const expiry = clock.sleeps.find((s) => s.ms === 600_000);
    assert.deepEqual(expiry?.options, { keepAlive: false });
  });

  it("the system clock's keepAlive: false really lets a process exit while it waits", () => {
    const script = (keepAlive: boolean) =>
      `import { systemClock } from './src/util/clock.ts'; systemClock.sleep(60000, undefined, { keepAlive: ${keepAlive} }); console.log('waiting');`;
    const unref = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script(false)], { timeout: 20_000, encoding: 'utf8' });
    assert.equal(unref.status, 0, unref.stderr);
    assert.match(unref.stdout, /waiting/);
    // The control: the default sleep holds the process until the child's own timeout kills it.
    const held = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script(true)], { timeout: 3_000, encoding: 'utf8' });
    assert.equal(held.signal, 'SIGTERM');
  });
});
