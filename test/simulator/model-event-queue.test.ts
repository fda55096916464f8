import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventQueue } from '../../simulator/model/event-queue.js';

describe('EventQueue', () => {
  it('pops due events in time order, equal times in scheduling order', () => {
    const q = new EventQueue<string>();
    q.schedule(30, 'a', 'late');
    q.schedule(10, 'a', 'first');
    q.schedule(10, 'b', 'second');
    q.schedule(20, 'b', 'middle');
    const popped: string[] = [];
    for (let e = q.popDue(25); e !== undefined; e = q.popDue(25)) popped.push(e.event);
    assert.deepEqual(popped, ['first', 'second', 'middle']);
    assert.equal(q.size, 1);
    assert.equal(q.popDue(29), undefined);
    assert.equal(q.popDue(30)?.event, 'late');
  });

  it('cancels every pending event of one key', () => {
    const q = new EventQueue<string>();
    q.schedule(1, 'node:n0011', 'x');
    q.schedule(2, 'db:exa_db1', 'y');
    q.schedule(3, 'node:n0011', 'z');
    assert.equal(q.cancel('node:n0011'), 2);
    assert.equal(q.popDue(10)?.event, 'y');
    assert.equal(q.size, 0);
  });

  it('finds the earliest matching event without removing it', () => {
    const q = new EventQueue<string>();
    q.schedule(5, 'k', 'b');
    q.schedule(3, 'k', 'a');
    assert.equal(q.find((e) => e.event === 'b')?.at, 5);
    assert.equal(q.size, 2);
  });
});
