// A node is off only when EXAoperation says so positively: inventory offline AND state not Running.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyPower } from '../../src/lifecycle/node-power.js';

const online = { online: true, text: '# dmidecode 3.2' };
const offline = { online: false, text: '' };

describe('classifyPower', () => {
  it("counts a node as off only when the inventory is offline and the state is not 'Running'", () => {
    assert.deepEqual(classifyPower({ kind: 'unknown', raw: 'Unknown' }, offline), { kind: 'off' });
    assert.deepEqual(classifyPower({ kind: 'suspended' }, offline), { kind: 'off' });
  });

  it("takes 'Suspended' or 'Unknown' with the inventory answering as still up", () => {
    assert.deepEqual(classifyPower({ kind: 'suspended' }, online), { kind: 'up', why: 'Suspended, hardware inventory still answers' });
    assert.deepEqual(classifyPower({ kind: 'unknown', raw: 'Unknown' }, online), { kind: 'up', why: 'Unknown, hardware inventory still answers' });
  });

  it("takes 'Running' as up even when the inventory says offline", () => {
    assert.deepEqual(classifyPower({ kind: 'running' }, offline), { kind: 'up', why: 'Running' });
  });

  it('takes an unreadable state or inventory as still up', () => {
    assert.equal(classifyPower(new Error('bad shape'), offline).kind, 'up');
    assert.match(JSON.stringify(classifyPower({ kind: 'suspended' }, new Error('fault'))), /inventory unreadable \(fault\)/);
  });
});
