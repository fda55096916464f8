import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderText } from '../../src/console/render-text.js';
import { renderAuditSummary } from '../../src/messages/audit-view.js';
import type { Block, Message } from '../../src/messages/message.js';
import type { AuditEntry } from '../../src/operations/audit-log.js';
import { renderBlocks } from '../../src/slack/render-blocks.js';

const NOW = new Date('2026-12-10T12:00:00.000Z');
const SINCE = new Date('2026-12-03T12:00:00.000Z');
const at = (minutes: number): string => new Date(SINCE.getTime() + minutes * 60_000).toISOString();

const story: AuditEntry[] = [
  // Before the window: neither counted nor listed.
  { action: 'requested', at: '2026-12-01T00:00:00.000Z', actor: 'U9', cluster: 'c1', opId: 'op-0', operation: 'cluster start-up' },
  { action: 'requested', at: at(10), actor: 'U1', cluster: 'c1', opId: 'op-1', operation: 'cluster shut-down', reason: '<!channel> *x* <@U5> please' },
  { action: 'approved', at: at(11), actor: 'W3', cluster: 'c1', opId: 'op-1', approvers: ['U2', 'W3'] },
  { action: 'finished', at: at(20), actor: 'system', cluster: 'c1', opId: 'op-1', detail: 'succeeded' },
  { action: 'requested', at: at(30), actor: 'schedule:nightly', cluster: 'c2', opId: 'op-2', operation: 'cluster start-up', schedule: 'nightly', scheduledBy: 'U7' },
  { action: 'finished', at: at(40), actor: 'system', cluster: 'c2', opId: 'op-2', detail: 'failed: step 3 timed out' },
  { action: 'refused', at: at(50), actor: 'U4', cluster: 'c1', operation: 'cluster shut-down', detail: 'cluster c1 is held' },
  // Break-glass: marked on the request and on the approval, still one override.
  { action: 'requested', at: at(60), actor: 'U4', cluster: 'c1', opId: 'op-3', operation: 'cluster shut-down', reason: 'disk full', override: true },
  { action: 'approved', at: at(61), actor: 'U2', cluster: 'c1', opId: 'op-3', override: true },
  { action: 'step', at: at(62), actor: 'system', cluster: 'c1', opId: 'op-3', detail: 'step 1 done' },
];

const slack = (message: Message): string => renderBlocks(message).blocks.map((b) => JSON.stringify(b)).join('\n');
const peopleLines = (message: Message): Extract<Block, { kind: 'people' }>[] => message.blocks.filter((b): b is Extract<Block, { kind: 'people' }> => b.kind === 'people');

describe('audit summary view', () => {
  it('counts requests, outcomes, refusals, overrides and scheduled runs in the window', () => {
    const message = renderAuditSummary(story, { since: SINCE, now: NOW });
    assert.equal(message.title, 'Audit of all clusters since 2026-12-03 12:00:00 UTC: 3 requested, 2 finished, 1 refused, 1 break-glass');
    assert.deepEqual(message.blocks[0], { kind: 'header', text: 'Audit of all clusters since 2026-12-03 12:00:00 UTC' });
    assert.deepEqual(message.blocks[1], {
      kind: 'text',
      text: ['• Operations requested: 3 (scheduled runs: 1)', '• Finished: 1 succeeded, 1 failed', '• Refused: 1', '• Break-glass overrides: 1'].join('\n'),
    });
    assert.equal(peopleLines(message).length, 3);
  });

  it('lists the newest operations first, people as mentions, with outcome and markers', () => {
    const message = renderAuditSummary(story, { since: SINCE, now: NOW });
    const text = renderText(message);
    const lines = text.split('\n');
    const op3 = lines.find((l) => l.includes('op-3')) ?? '';
    const op2 = lines.find((l) => l.includes('op-2')) ?? '';
    const op1 = lines.find((l) => l.includes('op-1')) ?? '';
    assert.ok(lines.indexOf(op3) < lines.indexOf(op2) && lines.indexOf(op2) < lines.indexOf(op1), text);
    assert.equal(op3, 'BREAK-GLASS · op-3 2026-12-03 13:00: cluster shut-down on c1, requested by U4, reason: “disk full”, approved by U2 → running');
    assert.equal(op2, 'op-2 2026-12-03 12:30: cluster start-up on c2, requested by schedule:nightly → failed: step 3 timed out · schedule nightly (set up by U7)');
    assert.ok(op1.endsWith('approved by U2, W3 → succeeded'), op1);

    const rendered = slack(message);
    assert.ok(rendered.includes('requested by <@U1>'), rendered);
    assert.ok(rendered.includes('approved by <@U2>, <@W3>'), rendered);
    assert.ok(rendered.includes('requested by schedule:nightly'), rendered);
    assert.ok(!rendered.includes('<@schedule'), rendered);
    assert.ok(rendered.includes('BREAK-GLASS'), rendered);
    assert.ok(rendered.includes('schedule nightly (set up by <@U7>)'), rendered);
    assert.ok(!rendered.includes('op-0'), 'before the window');
  });

  it('escapes a hostile reason: it can neither mention anyone nor format', () => {
    const rendered = slack(renderAuditSummary(story, { since: SINCE, now: NOW }));
    assert.ok(!rendered.includes('<!channel>'), rendered);
    assert.ok(!rendered.includes('<@U5>'), rendered);
    assert.ok(rendered.includes('&lt;!channel&gt;'), rendered);
    assert.ok(rendered.includes('&lt;@U5&gt;'), rendered);
    // Slack has no escape for *: a zero-width joiner after it stops it pairing up into bold.
    assert.ok(rendered.includes('*\u200dx*\u200d'), rendered);
    assert.ok(!rendered.includes(' *x* '), rendered);
  });

  it('points to the full export with the same window and cluster', () => {
    const message = renderAuditSummary(story, { cluster: 'c1', since: SINCE, now: NOW });
    const last = message.blocks.at(-1);
    assert.deepEqual(last, { kind: 'context', text: 'The whole log, with every step and detail: npm run audit -- --since 2026-12-03T12:00Z --cluster c1 --format csv' });
    assert.equal(message.blocks[0]?.kind === 'header' && message.blocks[0].text, 'Audit of cluster c1 since 2026-12-03 12:00:00 UTC');
    // Only cluster c1: op-2 (c2) is neither counted nor listed.
    assert.ok(!renderText(message).includes('op-2'));
    assert.match(renderText(message), /Operations requested: 2\n• Finished: 1 succeeded\n/);
  });

  it('says so when nothing was recorded', () => {
    const message = renderAuditSummary(story, { cluster: 'c9', since: SINCE, now: NOW });
    assert.equal(message.title, 'Audit of cluster c9 since 2026-12-03 12:00:00 UTC: nothing recorded');
    assert.ok(renderText(message).includes('Nothing was recorded for cluster c9 in the last 7 days.'));
  });

  it('shows the newest 10 by default, at most 20, and stays within Slack limits', () => {
    const many: AuditEntry[] = Array.from({ length: 60 }, (_, i): AuditEntry[] => [
      { action: 'requested', at: at(i), actor: 'U1', cluster: 'c1', opId: `op-${i}`, operation: 'cluster shut-down', reason: `${'<&>*_~`'.repeat(200)}\n${i}`, override: true, schedule: 's'.repeat(500) },
      { action: 'approved', at: at(i), actor: 'U2', cluster: 'c1', opId: `op-${i}`, approvers: Array.from({ length: 30 }, (_, j) => `U${j}`) },
      { action: 'finished', at: at(i), actor: 'system', cluster: 'c1', opId: `op-${i}`, detail: `failed: ${'x'.repeat(5000)}` },
    ]).flat();
    const plain = many.map((entry) => ({ ...entry, reason: 'routine', detail: 'succeeded', schedule: 'nightly' }));
    const byDefault = renderAuditSummary(plain, { since: SINCE, now: NOW });
    assert.equal(peopleLines(byDefault).length, 10);
    assert.ok(renderText(byDefault).includes('Showing the newest 10 of 60 operations.'));
    assert.ok(renderText(byDefault).includes('op-59 '), 'newest first');
    assert.ok(renderText(byDefault).includes('and 25 more'));
    assert.equal(peopleLines(renderAuditSummary(plain, { since: SINCE, now: NOW, limit: 500 })).length, 20);

    // Long, escape-heavy text: fewer lines, so the renderer never cuts the end (the export hint) off.
    const hostile = renderAuditSummary(many, { since: SINCE, now: NOW });
    const capped = renderAuditSummary(many, { since: SINCE, now: NOW, limit: 500 });
    const shown = peopleLines(capped).length;
    assert.ok(shown >= 5 && shown < 20, `${shown} lines`);
    assert.ok(renderText(capped).includes(`Showing the newest ${shown} of 60 operations.`));
    for (const message of [byDefault, hostile, capped, renderAuditSummary(many, { since: SINCE, now: NOW, limit: 0 })]) {
      const rendered = renderBlocks(message);
      assert.ok(rendered.blocks.length <= 50);
      assert.ok(!JSON.stringify(rendered.blocks).includes('Message shortened'), 'nothing cut by the renderer');
      assert.ok(JSON.stringify(rendered.blocks.at(-1)).includes('npm run audit'), 'the export hint is last');
      for (const block of rendered.blocks) {
        const body = (block['text'] as { text?: string } | undefined)?.text ?? '';
        assert.ok(body.length < 3000, `${body.length} characters in a section`);
      }
    }
    assert.equal(peopleLines(renderAuditSummary(many, { since: SINCE, now: NOW, limit: 0 })).length, 1);
  });
});
