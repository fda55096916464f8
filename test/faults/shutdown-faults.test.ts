// Issue 7's fault suite, shut-down half: every call site a full shut-down uses × every way
// EXAoperation can fail it. Storage is never asked to stop while a database runs, a data node
// never goes down under storage or a database, the license server never before the data nodes;
// the operation ends failed with its reason (or truly done), and the audit trail is complete.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { answers, assertRestartsGoThrough, assertSafeEnd, distinctSites, FAULT_KINDS, inject, runScenario, type Scenario } from './fault-matrix.js';

const SHUTDOWN: Scenario = {
  operation: { kind: 'cluster-shutdown' },
  sim: {},
  approval: true,
  // Data nodes down, and the license server going down, or at least EXAoperation gone silent
  // (all the bot can see of it: a host that vanished looks the same from outside).
  reachedGoal: async (sim) => {
    const { n0010, ...dataNodes } = sim.model.summary().nodes;
    return Object.values(dataNodes).every((state) => state !== 'running') && (n0010 !== 'running' || !(await answers(sim)));
  },
};

// The cases are independent (each on its own simulator), so they run side by side.
describe('fault suite: cluster shut-down', { concurrency: true }, () => {
  let sites: string[] = [];
  before(async () => {
    const clean = await runScenario(SHUTDOWN);
    assertSafeEnd(SHUTDOWN, clean, 'clean run');
    assert.equal(clean.op?.status.kind === 'finished' && clean.op.status.outcome.kind, 'succeeded', 'the clean run succeeds');
    // The license server's own shutdown is a site of its own: the data nodes' calls share the method.
    sites = [...distinctSites(clean.sites), 'cluster.shutdownNode(n0010)'];
  });

  it('uses the calls of every shut-down step', () => {
    for (const site of ['cluster.getEXAoperationMaster', 'db_exa_db1.getDatabaseOperation', 'db_exa_db1.stopDatabase', 'db_exa_db2.getDatabaseState', 'storage.stopEXAStorage', 'cluster.getServiceState', 'cluster.shutdownNode']) {
      assert.ok(sites.includes(site), `${site} in ${sites.join(', ')}`);
    }
  });

  for (const kind of FAULT_KINDS) {
    it(`ends safely whatever call meets '${kind}'`, async () => {
      let failed = 0;
      for (const site of sites) {
        const result = await runScenario(SHUTDOWN, (sim) => inject(sim, kind, site));
        assertSafeEnd(SHUTDOWN, result, `${kind} at ${site}`);
        if (result.op === undefined || (result.op.status.kind === 'finished' && result.op.status.outcome.kind === 'failed')) failed += 1;
      }
      assert.ok(failed >= sites.length / 2, `${failed} of ${sites.length} cases failed`);
    });
  }

  it('ends safely when EXAoperation restarts at any call (gone for a moment, then back)', () => assertRestartsGoThrough(SHUTDOWN, sites));
});
