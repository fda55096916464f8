import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogEntry } from '../../src/exaoperation/types.js';
import { renderNotification } from '../../src/messages/notification-view.js';
import type { ClusterEvent, WatchEvent } from '../../src/watch/events.js';
import { blockLines } from './helpers/recording-sink.js';

const T = Date.UTC(2024, 4, 1, 12, 0, 0);
const on = (event: WatchEvent, cluster = 'cluster1'): ClusterEvent => ({ ...event, cluster, observedAt: T });
const entry = (message: string, node = 'n0011', priority: LogEntry['priority'] = 'Notice'): LogEntry => ({
  strtime: '2024-05-01 12:00:00.000000',
  system: 'EXAoperation',
  node,
  message,
  priority,
});
const boot = (node: string, seconds: number): ClusterEvent =>
  on({ kind: 'node-booted', node, seconds, entry: entry(`Boot process stages 1 to 3 took ${seconds} seconds.`, node) });

describe('renderNotification', () => {
  it('sums up boots with the slowest node, and puts one line per boot in the thread', () => {
    const { message, thread } = renderNotification([boot('n0011', 100), boot('n0012', 115), boot('n0013', 141), boot('n0014', 130)]);
    assert.equal(message.title, '4 nodes booted on cluster1, slowest n0013 in 141 s');
    assert.deepEqual(message.blocks[0], { kind: 'text', text: message.title, emphasis: 'success' });
    assert.equal(thread.length, 1);
    assert.deepEqual(blockLines(thread[0] ?? { title: '', blocks: [] }), [
      '2024-05-01 12:00:00.000000 cluster1/n0011: boot finished after 100 s',
      '2024-05-01 12:00:00.000000 cluster1/n0012: boot finished after 115 s',
      '2024-05-01 12:00:00.000000 cluster1/n0013: boot finished after 141 s',
      '2024-05-01 12:00:00.000000 cluster1/n0014: boot finished after 130 s',
    ]);
  });

  it('a single event needs no thread', () => {
    const { message, thread } = renderNotification([
      on({ kind: 'database-connections', database: 'exa_db1', accepting: true, entry: entry('EXASolution exa_db1 is accepting connections.') }),
    ]);
    assert.equal(message.title, 'Database exa_db1 on cluster1 is accepting connections');
    assert.deepEqual(thread, []);
    assert.deepEqual(blockLines(message), [message.title, '2024-05-01 12:00:00.000000 cluster1/exa_db1: accepting connections']);
  });

  it('leads with what needs attention and counts the rest', () => {
    const { message } = renderNotification([
      boot('n0011', 100),
      on({ kind: 'connection-state-changed', database: 'exa_db2', from: { kind: 'accepting' }, to: { kind: 'rejecting' } }),
      on({ kind: 'contact-lost', reason: 'not reachable', detail: 'Cannot reach EXAoperation at https://10.0.0.10/cluster1 (ECONNREFUSED).' }),
      on({ kind: 'database-state-changed', database: 'exa_db2', from: { kind: 'running' }, to: { kind: 'shutdown' } }),
    ]);
    assert.equal(
      message.title,
      'Lost contact with EXAoperation of cluster cluster1 (not reachable); Database exa_db2 on cluster1 is rejecting connections; and 2 other events',
    );
    assert.equal(message.blocks[0]?.kind === 'text' && message.blocks[0].emphasis, 'danger');
  });

  it('names each cluster when a channel gets news of several', () => {
    const { message } = renderNotification([
      on({ kind: 'contact-restored', downMs: 95_000 }, 'east'),
      on({ kind: 'node-status-changed', node: 'n0012', from: { kind: 'running' }, to: { kind: 'unknown', raw: 'Unknown' } }, 'west'),
    ]);
    assert.equal(message.title, 'n0012 went offline on west; Back in contact with EXAoperation of cluster east after 95 s');
  });

  it('keeps a burst of 500 log entries to one post with a bounded thread', () => {
    const events = Array.from({ length: 500 }, (_, i) =>
      on({ kind: 'log-entry', entry: entry(`disk error ${i}`, 'n0012', i % 2 ? 'Error' : 'Warning') }),
    );
    const { message, thread } = renderNotification(events, { omitted: 20 });
    assert.equal(message.title, '500 log entries on cluster1 (Warning, Error); and 20 other events');
    assert.equal(thread.length, 5);
    const lines = thread.flatMap(blockLines);
    assert.equal(lines.length, 101);
    assert.equal(lines[0], '2024-05-01 12:00:00.000000 cluster1/n0012 EXAoperation [Warning]: disk error 0');
    assert.equal(lines.at(-1), '…and 420 more events not shown here.');
    assert.match(blockLines(message).at(-1) ?? '', /^520 events; the thread lists the first 100\.$/);
  });

  it('cuts a very long log message in the title and the line', () => {
    const long = 'x'.repeat(5000);
    const { message } = renderNotification([on({ kind: 'log-entry', entry: entry(long, 'n0011', 'Error') })]);
    assert.ok(message.title.length < 160);
    assert.ok(blockLines(message).every((l) => l.length <= 300));
  });

  it('shows unrecognised values verbatim and marked', () => {
    const { message } = renderNotification([
      on({ kind: 'service-state-changed', service: 'Storaged', from: { kind: 'ok' }, to: { kind: 'unknown', raw: 'degraded' } }),
    ]);
    assert.equal(message.title, 'Service Storaged on cluster1 is degraded (unrecognised)');
    assert.deepEqual(blockLines(message).slice(1), ['2024-05-01 12:00:00 UTC cluster1: service Storaged OK → degraded (unrecognised)']);
  });
});
