// Notifications name the service that answers for the cluster: EXAoperation by default, ConfD on
// Exasol 8, where "lost contact with EXAoperation" would send the reader to a daemon that is not there.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { notificationLine, renderNotification } from '../../src/messages/notification-view.js';
import type { ClusterEvent } from '../../src/watch/events.js';

const at = Date.UTC(2026, 11, 4, 12, 0, 0);
const lost = (service?: string): ClusterEvent => ({ kind: 'contact-lost', reason: 'refused', detail: 'connection refused', cluster: 'prod8', observedAt: at, ...(service ? { service } : {}) });

describe('notification wording per service', () => {
  it('says ConfD on Exasol 8 and EXAoperation otherwise', () => {
    assert.equal(renderNotification([lost('ConfD')]).message.title, 'Lost contact with ConfD of cluster prod8 (refused)');
    assert.equal(renderNotification([lost()]).message.title, 'Lost contact with EXAoperation of cluster prod8 (refused)');
    assert.match(notificationLine(lost('ConfD')), /prod8: lost contact with ConfD: connection refused$/);
    const back: ClusterEvent = { kind: 'contact-restored', downMs: 65_000, planned: true, cluster: 'prod8', observedAt: at, service: 'ConfD' };
    assert.match(renderNotification([back]).message.title, /^ConfD of cluster prod8 is back after the planned shut-down/);
    const moved: ClusterEvent = { kind: 'master-changed', from: '10.0.0.11', to: '10.0.0.12', cluster: 'prod8', observedAt: at, service: 'ConfD' };
    assert.match(notificationLine(moved), /prod8: ConfD master moved from 10\.0\.0\.11 to 10\.0\.0\.12$/);
  });

  it('calls Exasol 8 storage volumes, and a ConfD node offline without a gloss', () => {
    const storage: ClusterEvent = { kind: 'storage-changed', online: false, volumes: true, cluster: 'prod8', observedAt: at };
    assert.match(notificationLine(storage), /prod8: storage volumes offline$/);
    assert.match(notificationLine({ kind: 'storage-changed', online: false, cluster: 'prod8', observedAt: at }), /prod8: EXAStorage offline$/);
    const node: ClusterEvent = { kind: 'node-status-changed', node: 'n13', from: { kind: 'running' }, to: { kind: 'offline' }, cluster: 'prod8', observedAt: at };
    assert.match(notificationLine(node), /prod8\/n13: Running → offline$/);
  });
});
