// A start-up may be requested while the license server is still off or booting: the service waits
// for EXAoperation before it builds the plan, and a half-started EXAoperation answering garbage is
// "not up yet" there, as it is in the plan's own wait step.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { createServiceFixture, type ServiceFixture } from '../helpers/service-fixture.js';
import { forEachReading, mutatingCalls, startSimCluster, type SimCluster } from '../helpers/sim-cluster.js';

let cluster: SimCluster | undefined;
let fixture: ServiceFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  await cluster?.stop();
  fixture = undefined;
  cluster = undefined;
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

forEachReading(() => {
  describe('start-up requested while the license server is off', () => {
    it('waits for EXAoperation, through a malformed answer while it starts, then starts the cluster', async () => {
      cluster = await startSimCluster({ cold: true });
      const c = cluster;
      await c.client.shutdownNode('n0010');
      await pause(100); // licenseServerShutdown: 5 simulated s, 10 ms here
      assert.equal(c.sim.model.summary().exaoperation, 'not answering');
      // The first answer once it is back is not XML-RPC, as from a web server still starting.
      c.sim.faults.malformed('cluster.getNodeList', { times: 1 });
      fixture = createServiceFixture(new Map([['cluster1', { client: c.client, profile: c.profile }]]), { requireApprovalFor: new Set() });

      const request = await fixture.service.request({ cluster: 'cluster1', operation: { kind: 'cluster-startup' }, requestedBy: 'U1' });
      assert.equal(request.kind, 'queued');
      await pause(200);
      c.sim.powerOnLicenseServer(); // EXAoperation answers after exaoperationStart: 30 simulated s, 60 ms here
      await fixture.service.idle();

      const op = request.kind === 'queued' ? fixture.service.get(request.op.id) : undefined;
      assert.deepEqual(op?.status.kind === 'finished' ? op.status.outcome : op?.status, { kind: 'succeeded', warnings: 0 });
      assert.ok(c.sim.calls.some((call) => call.method === 'getNodeList' && call.outcome === 'malformed'), 'the malformed answer was met');
      assert.deepEqual(mutatingCalls(c.sim).slice(0, 5), [
        'cluster.shutdownNode(n0010)',
        'cluster.startupNode(n0011)',
        'cluster.startupNode(n0012)',
        'cluster.startupNode(n0013)',
        'cluster.startupNode(n0014)',
      ]);
      assert.ok(Object.values(c.sim.model.summary().databases).every((d) => d === 'running, connectible'));
      assert.deepEqual(c.sim.violations, []);
    });
  });
});
