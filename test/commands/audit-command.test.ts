import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { handleCommand, type CommandService } from '../../src/commands/handle-command.js';
import { parseCommand } from '../../src/commands/parse-command.js';
import { renderText } from '../../src/console/render-text.js';
import type { AuditEntry } from '../../src/operations/audit-log.js';

const now = Date.parse('2026-12-08T12:00:00Z');
const entry = (cluster: string, reason: string): AuditEntry => ({ action: 'requested', at: '2026-12-08T10:00:00.000Z', actor: 'U0OP', cluster, opId: `op-${cluster}`, operation: 'cluster shut-down', reason });

/** The service as /exa audit sees it: two clusters, one entry each. */
const service = {
  clusterNames: () => ['test', 'prod'],
  control: { now: () => now, entries: async () => [entry('test', 'nightly'), entry('prod', 'secret merger plans')] },
} as unknown as CommandService;

describe('/exa audit', () => {
  it('without a cluster, summarises only the clusters the asker may view', async () => {
    const reply = await handleCommand(parseCommand('audit'), { service, user: 'U0VIEW', defaultCluster: 'test', mayView: async (c) => c === 'test' });
    assert.equal(reply.visibility, 'ephemeral');
    const text = renderText(reply.message);
    assert.match(text, /nightly/);
    assert.doesNotMatch(text, /merger|op-prod/);
  });

  it('says which forms a since takes when it cannot read one', async () => {
    const reply = await handleCommand({ kind: 'audit', since: 'yesterday' }, { service, user: 'U0VIEW', defaultCluster: 'test' });
    assert.match(renderText(reply.message), /yesterday|since/i);
  });
});
