import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatStrtime, LogService } from '../../simulator/model/log-service.js';
import { CLOCK_START } from './helpers/fake-clock.js';

const line = (message: string) => ({ system: 'EXAoperation', node: 'n0011', message, priority: 'Information' as const });

describe('LogService', () => {
  it('returns [position, count, entries] with the newest entry first', () => {
    const log = new LogService('logservice1');
    log.write(CLOCK_START, line('one'));
    log.write(CLOCK_START + 1500, line('two'));
    const [position, count, entries] = log.entries();
    assert.equal(position, 2);
    assert.equal(count, 2);
    assert.deepEqual(
      entries.map((e) => e.message),
      ['two', 'one'],
    );
    assert.deepEqual(entries[0], {
      strtime: '2024-03-01 12:00:01.500000',
      system: 'EXAoperation',
      node: 'n0011',
      message: 'two',
      priority: 'Information',
    });
  });

  it('gives each tag only what is new since its previous call; an unknown tag gets everything retained', () => {
    const log = new LogService('logservice1');
    log.write(1, line('a'));
    log.write(2, line('b'));
    assert.deepEqual(log.entriesTagged('bot')[2].map((e) => e.message), ['b', 'a']);
    assert.deepEqual(log.entriesTagged('bot')[2], []);
    log.write(3, line('c'));
    log.write(4, line('d'));
    const [position, count, entries] = log.entriesTagged('bot');
    assert.deepEqual([position, count, entries.map((e) => e.message)], [4, 2, ['d', 'c']]);
    // Tags are independent cursors.
    assert.deepEqual(log.entriesTagged('nagios')[2].map((e) => e.message), ['d', 'c', 'b', 'a']);
  });

  it('keeps only the newest `retention` entries', () => {
    const log = new LogService('logservice1', 3);
    for (const m of ['a', 'b', 'c', 'd', 'e']) log.write(1, line(m));
    const [position, count, entries] = log.entries();
    assert.deepEqual([position, count, entries.map((e) => e.message)], [5, 3, ['e', 'd', 'c']]);
    // A cursor older than the retained window just gets what is left.
    assert.deepEqual(log.entriesTagged('late')[2].map((e) => e.message), ['e', 'd', 'c']);
  });

  it('formats strtime as YYYY-MM-DD HH:MM:SS.ffffff in UTC', () => {
    assert.equal(formatStrtime(Date.UTC(2023, 11, 7, 16, 4, 10, 64)), '2023-12-07 16:04:10.064000');
  });
});
