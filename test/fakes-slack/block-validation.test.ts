// Block Kit limits (§6.2) at their edges: the last allowed size passes, one more fails with a
// json-pointer to the offending field.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listButtons, validateBlocks } from '../fakes/slack/index.js';

const limits = { maxBlocks: 50, textLimit: null };
const text = (n: number, type = 'mrkdwn') => ({ type, text: 'x'.repeat(n) });
const plain = (n: number) => text(n, 'plain_text');
const button = (extra: Record<string, unknown> = {}) => ({ type: 'button', action_id: 'go', text: plain(5), ...extra });
const confirm = (sizes: { title?: number; text?: number; confirm?: number; deny?: number } = {}) => ({
  title: plain(sizes.title ?? 10),
  text: text(sizes.text ?? 10),
  confirm: plain(sizes.confirm ?? 5),
  deny: plain(sizes.deny ?? 5),
});

function errorsOf(blocks: unknown, textLimit: number | null = null): string[] {
  const result = validateBlocks(blocks, { maxBlocks: 50, textLimit });
  return result.ok ? [] : result.errors;
}

function assertEdge(name: string, at: (n: number) => unknown[], limit: number, pointer: string): void {
  assert.deepEqual(errorsOf(at(limit)), [], `${name} at ${limit} should pass`);
  const errors = errorsOf(at(limit + 1));
  assert.equal(errors.length, 1, `${name} at ${limit + 1} should fail once: ${errors.join('; ')}`);
  assert.ok(errors[0]?.endsWith(`[json-pointer:${pointer}]`), `${name}: ${errors[0] ?? ''}`);
}

describe('validateBlocks', () => {
  it('enforces size limits at their exact edge', () => {
    assertEdge('blocks per message', (n) => Array.from({ length: n }, () => ({ type: 'divider' })), 50, '/blocks');
    assertEdge('section text', (n) => [{ type: 'section', text: text(n) }], 3000, '/blocks/0/text/text');
    assertEdge('fields count', (n) => [{ type: 'section', fields: Array.from({ length: n }, () => text(1)) }], 10, '/blocks/0/fields');
    assertEdge('field text', (n) => [{ type: 'section', fields: [text(n)] }], 2000, '/blocks/0/fields/0/text');
    assertEdge('header', (n) => [{ type: 'header', text: plain(n) }], 150, '/blocks/0/text/text');
    assertEdge('block_id', (n) => [{ type: 'divider', block_id: 'b'.repeat(n) }], 255, '/blocks/0/block_id');
    assertEdge('action_id', (n) => [{ type: 'actions', elements: [button({ action_id: 'a'.repeat(n) })] }], 255, '/blocks/0/elements/0/action_id');
    assertEdge('button value', (n) => [{ type: 'actions', elements: [button({ value: 'v'.repeat(n) })] }], 2000, '/blocks/0/elements/0/value');
    assertEdge('button label', (n) => [{ type: 'actions', elements: [button({ text: plain(n) })] }], 75, '/blocks/0/elements/0/text/text');
    assertEdge(
      'actions elements',
      (n) => [{ type: 'actions', elements: Array.from({ length: n }, (_, i) => button({ action_id: `a${i}` })) }],
      25,
      '/blocks/0/elements',
    );
    assertEdge('context elements', (n) => [{ type: 'context', elements: Array.from({ length: n }, () => text(1)) }], 10, '/blocks/0/elements');
  });

  it('enforces confirm dialog limits (title 100, text 300, confirm 30, deny 30)', () => {
    const withConfirm = (c: unknown) => [{ type: 'actions', elements: [button({ confirm: c })] }];
    const path = '/blocks/0/elements/0/confirm';
    assertEdge('confirm title', (n) => withConfirm(confirm({ title: n })), 100, `${path}/title/text`);
    assertEdge('confirm text', (n) => withConfirm(confirm({ text: n })), 300, `${path}/text/text`);
    assertEdge('confirm label', (n) => withConfirm(confirm({ confirm: n })), 30, `${path}/confirm/text`);
    assertEdge('deny label', (n) => withConfirm(confirm({ deny: n })), 30, `${path}/deny/text`);
  });

  it('rejects malformed structures with a pointer to them', () => {
    assert.deepEqual(validateBlocks('nope', limits), { ok: false, error: 'invalid_blocks_format', errors: ['must provide an array [json-pointer:/blocks]'] });
    assert.deepEqual(errorsOf([{ type: 'fancy' }]), ['unsupported block type "fancy" [json-pointer:/blocks/0/type]']);
    assert.deepEqual(errorsOf([{ type: 'header', text: text(5) }]), ['must be plain_text [json-pointer:/blocks/0/text/type]']);
    assert.deepEqual(errorsOf([{ type: 'section' }]), ['must provide text or fields [json-pointer:/blocks/0]']);
    assert.deepEqual(errorsOf([{ type: 'divider', block_id: 'a' }, { type: 'divider', block_id: 'a' }]), ['duplicate block_id "a" [json-pointer:/blocks/1/block_id]']);
    assert.deepEqual(errorsOf([{ type: 'actions', elements: [button(), button()] }]), ['duplicate action_id "go" in block [json-pointer:/blocks/0/elements/1/action_id]']);
    assert.deepEqual(errorsOf([{ type: 'actions', elements: [button({ style: 'loud' })] }]), ['must be primary or danger [json-pointer:/blocks/0/elements/0/style]']);
    const table = { type: 'table', rows: [[{ type: 'raw_text', text: 'a' }]] };
    assert.deepEqual(errorsOf([table, table]), ['only_one_table_allowed [json-pointer:/blocks]']);
  });

  it('answers msg_blocks_too_long over the cumulative text cap', () => {
    const blocks = Array.from({ length: 5 }, () => ({ type: 'section', text: text(2500) }));
    const result = validateBlocks(blocks, { maxBlocks: 50, textLimit: 12_000 });
    assert.equal(result.ok ? '' : result.error, 'msg_blocks_too_long');
    assert.equal(validateBlocks(blocks, { maxBlocks: 50, textLimit: null }).ok, true);
  });
});

describe('listButtons', () => {
  it('finds buttons in actions blocks and section accessories, in display order', () => {
    const found = listButtons([
      { type: 'section', block_id: 's', text: text(1), accessory: button({ action_id: 'more' }) },
      { type: 'actions', elements: [button({ action_id: 'approve' }), { type: 'static_select', action_id: 'pick' }] },
    ]);
    assert.deepEqual(found.map((b) => `${b.blockId}/${b.actionId}`), ['s/more', 'fake-block-1/approve']);
  });
});
