import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AccessPolicy } from '../../src/access/access-policy.js';
import { GroupDirectory } from '../../src/access/group-directory.js';
import type { AccessConfig, Grant } from '../../src/config/app-config.js';
import { InstantClock } from '../helpers/instant-clock.js';

const user = (id: string) => ({ kind: 'user', id }) as const;
const group = (id: string) => ({ kind: 'group', id }) as const;

function policy(grants: Grant[], channels: AccessConfig['channels'] = '*', members: Record<string, string[]> = {}) {
  const clock = new InstantClock();
  const lookups: string[] = [];
  const directory = new GroupDirectory(
    async (id) => {
      lookups.push(id);
      const list = members[id];
      if (!list) throw new Error(`usergroups.users.list failed for ${id}`);
      return list;
    },
    clock,
    60_000,
  );
  return { access: new AccessPolicy({ grants, channels }, directory), clock, lookups, members };
}

describe('AccessPolicy', () => {
  it('denies everything that no grant names', async () => {
    const { access } = policy([]);
    for (const role of ['viewer', 'operator', 'approver'] as const) {
      const decision = await access.check('U1', 'C1', role, 'prod');
      assert.equal(decision.allowed, false, role);
    }
    assert.deepEqual(await access.roles('U1', 'C1', 'prod'), []);
  });

  it('operators and approvers may view; approvers do not operate', async () => {
    const { access } = policy([
      { role: 'operator', principals: [user('UOP')], clusters: '*', channels: '*', operations: '*' },
      { role: 'approver', principals: [user('UAP')], clusters: '*', channels: '*', operations: '*' },
    ]);
    assert.deepEqual(await access.roles('UOP', 'C1', 'prod'), ['viewer', 'operator']);
    assert.deepEqual(await access.roles('UAP', 'C1', 'prod'), ['viewer', 'approver']);
    const denied = await access.check('UAP', 'C1', 'operator', 'prod');
    assert.deepEqual(denied, { allowed: false, reason: 'you do not have the operator role on cluster prod in this channel; ask an admin to grant it' });
  });

  it('scopes a grant to its clusters and channels', async () => {
    const { access } = policy([
      { role: 'operator', principals: [user('U1')], clusters: ['test'], channels: '*', operations: '*' },
      { role: 'approver', principals: [user('U1')], clusters: ['prod'], channels: ['COPS'], operations: '*' },
    ]);
    assert.equal((await access.check('U1', 'CDEV', 'operator', 'test')).allowed, true);
    assert.equal((await access.check('U1', 'CDEV', 'operator', 'prod')).allowed, false);
    assert.equal((await access.check('U1', 'COPS', 'approver', 'prod')).allowed, true);
    assert.equal((await access.check('U1', 'CDEV', 'approver', 'prod')).allowed, false);
    assert.equal((await access.check('U1', 'COPS', 'approver', 'test')).allowed, false);
    assert.deepEqual(await access.roles('U1', 'CDEV', 'prod'), []);
    assert.deepEqual(await access.roles('U1', 'COPS', 'prod'), ['viewer', 'approver']);
  });

  it('refuses channels outside EXA_ALLOWED_CHANNELS whatever the grants', async () => {
    const { access } = policy([{ role: 'operator', principals: [user('U1')], clusters: '*', channels: '*', operations: '*' }], ['COPS']);
    const decision = await access.check('U1', 'CRANDOM', 'operator', 'prod');
    assert.equal(decision.allowed, false);
    assert.match(decision.allowed ? '' : decision.reason, /not enabled in this channel.*EXA_ALLOWED_CHANNELS/);
    assert.equal((await access.check('U1', 'COPS', 'operator', 'prod')).allowed, true);
  });

  it('grants through user groups, caches memberships for the TTL, and denies when the lookup fails', async () => {
    const { access, clock, lookups, members } = policy(
      [
        { role: 'approver', principals: [group('SDBA')], clusters: '*', channels: '*', operations: '*' },
        { role: 'operator', principals: [group('SBROKEN')], clusters: '*', channels: '*', operations: '*' },
      ],
      '*',
      { SDBA: ['U1'] },
    );
    assert.equal((await access.check('U1', 'C1', 'approver', 'prod')).allowed, true);
    assert.equal((await access.check('U2', 'C1', 'approver', 'prod')).allowed, false);
    assert.deepEqual(lookups, ['SDBA'], 'the second check is answered from the cache');
    members['SDBA'] = ['U2'];
    assert.equal((await access.check('U1', 'C1', 'approver', 'prod')).allowed, true, 'still cached');
    clock.advance(60_001);
    assert.equal((await access.check('U1', 'C1', 'approver', 'prod')).allowed, false, 'removed from the group, seen after the TTL');
    assert.equal((await access.check('U2', 'C1', 'approver', 'prod')).allowed, true);
    assert.equal((await access.check('U1', 'C1', 'operator', 'prod')).allowed, false, 'a failed lookup grants nothing');
  });

  it('asks Slack once for a burst of checks of one group', async () => {
    const { access, lookups } = policy([{ role: 'approver', principals: [group('SDBA')], clusters: '*', channels: '*', operations: '*' }], '*', { SDBA: ['U1'] });
    const decisions = await Promise.all(Array.from({ length: 20 }, (_, i) => access.check(i % 2 ? 'U1' : 'U2', 'C1', 'approver', 'prod')));
    assert.equal(decisions.filter((d) => d.allowed).length, 10);
    assert.deepEqual(lookups, ['SDBA']);
  });

  it('limits an operator grant to the operations it lists, and says so', async () => {
    const { access } = policy([
      { role: 'operator', principals: [user('U1')], clusters: '*', channels: '*', operations: ['database-start', 'database-stop'] },
    ]);
    const stop = { kind: 'database-stop', database: 'exa_db1' } as const;
    assert.equal((await access.check('U1', 'C1', 'operator', 'prod', stop)).allowed, true);
    const shutdown = await access.check('U1', 'C1', 'operator', 'prod', { kind: 'cluster-shutdown' });
    assert.deepEqual(shutdown, {
      allowed: false,
      reason: 'your operator grant on cluster prod in this channel does not include cluster shut-down; ask an admin to add cluster-shutdown to it',
    });
    // Cancelling and help need the role, not a particular operation.
    assert.equal((await access.check('U1', 'C1', 'operator', 'prod')).allowed, true);
  });
});
