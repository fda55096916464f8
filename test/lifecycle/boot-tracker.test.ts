// The boot tracker counts only boots that finished after its cursor was primed: when EXAoperation
// restarts it forgets the cursor and hands out every retained entry again, old boots included.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExaOperationClient } from '../../src/exaoperation/client.js';
import type { LogEntry } from '../../src/exaoperation/types.js';
import { BootTracker } from '../../src/lifecycle/steps/boot-tracker.js';

const entry = (strtime: string, node: string, message: string): LogEntry => ({ strtime, system: 'EXAoperation', node, message, priority: 'Notice' });
const OLD_A = entry('2026-12-03 06:00:00.000000', 'n0011', 'Boot process stages 1 to 3 took 100 seconds.');
const OLD_B = entry('2026-12-03 06:00:05.000000', 'n0012', 'Boot process stages 1 to 3 took 105 seconds.');
const NEW_A = entry('2026-12-03 07:00:00.000000', 'n0011', 'Boot process stages 1 to 3 took 121 seconds.');

/** A fake at the client interface: logEntriesTagged answers the batches given, one per call. */
function fakeClient(batches: LogEntry[][], all: LogEntry[] = []): ExaOperationClient {
  return {
    logEntriesTagged: async () => ({ header: [0, 0], entries: batches.shift() ?? [] }),
    logEntries: async () => ({ header: [0, 0], entries: all }),
  } as unknown as ExaOperationClient;
}

describe('BootTracker', () => {
  it('ignores boot-finished entries it already saw when primed, when a restarted EXAoperation hands them out again', async () => {
    // Primed: the old boots. After the restart (cursor forgotten): everything again, plus n0011's new boot.
    const tracker = new BootTracker(fakeClient([[OLD_B, OLD_A], [NEW_A, OLD_B, OLD_A]]), 1, 'op-1');
    await tracker.prime({});
    tracker.expectBootMessage('n0011');
    tracker.expectBootMessage('n0012');
    assert.deepEqual(await tracker.poll({}), [{ node: 'n0011', seconds: 121 }]);
    assert.equal(tracker.needsBootMessage('n0012'), true, "n0012's old boot does not count");
  });

  it('reads the whole log once when a first tagged call returns nothing, so old boots are known either way', async () => {
    const tracker = new BootTracker(fakeClient([[], [OLD_A]], [OLD_A]), 1, 'op-2');
    await tracker.prime({});
    tracker.expectBootMessage('n0011');
    assert.deepEqual(await tracker.poll({}), []);
    assert.equal(tracker.needsBootMessage('n0011'), true);
  });
});
