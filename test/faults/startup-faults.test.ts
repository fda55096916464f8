// Issue 7's fault suite, start-up half: every call site a cold start-up uses × every way
// EXAoperation can fail it (connection refused, hang, fault, malformed XML, 401). Each case must
// end with no unsafe transition, in a final state with its reason, and a complete audit trail.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { assertRestartsGoThrough, assertSafeEnd, distinctSites, FAULT_KINDS, inject, runScenario, type Scenario } from './fault-matrix.js';

const STARTUP: Scenario = {
  operation: { kind: 'cluster-startup' },
  sim: { cold: true },
  approval: false,
  reachedGoal: (sim) => {
    const s = sim.model.summary();
    return s.storage === 'online' && Object.values(s.databases).every((d) => d === 'running, connectible');
  },
};

// The cases are independent (each on its own simulator), so they run side by side.
describe('fault suite: cluster start-up', { concurrency: true }, () => {
  let sites: string[] = [];
  before(async () => {
    const clean = await runScenario(STARTUP);
    assertSafeEnd(STARTUP, clean, 'clean run');
    assert.equal(clean.op?.status.kind === 'finished' && clean.op.status.outcome.kind, 'succeeded', 'the clean run succeeds');
    sites = distinctSites(clean.sites);
  });

  it('uses the calls of every start-up step', () => {
    for (const site of ['cluster.getNodeList', 'cluster.startupNode', 'cluster.getHardwareInformation', 'storage.startEXAStorage', 'cluster.getServiceState', 'db_exa_db1.startDatabase', 'db_exa_db2.getDatabaseConnectionState', 'cluster.callPlugin']) {
      assert.ok(sites.includes(site), `${site} in ${sites.join(', ')}`);
    }
  });

  for (const kind of FAULT_KINDS) {
    it(`ends safely whatever call meets '${kind}'`, async () => {
      let failed = 0;
      for (const site of sites) {
        const result = await runScenario(STARTUP, (sim) => inject(sim, kind, site));
        assertSafeEnd(STARTUP, result, `${kind} at ${site}`);
        if (result.op === undefined || (result.op.status.kind === 'finished' && result.op.status.outcome.kind === 'failed')) failed += 1;
      }
      // Most sites are essential; a few (the final snapshot's reads) may fail without harm.
      assert.ok(failed >= sites.length / 2, `${failed} of ${sites.length} cases failed`);
    });
  }

  it('ends safely when EXAoperation restarts at any call (gone for a moment, then back)', () => assertRestartsGoThrough(STARTUP, sites));
});
