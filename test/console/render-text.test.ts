import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderTable, renderText } from '../../src/console/render-text.js';
import type { Message } from '../../src/messages/message.js';

describe('renderText', () => {
  it('renders every kind of block (golden)', () => {
    const message: Message = {
      title: 'ignored when there are blocks',
      blocks: [
        { kind: 'header', text: 'Title' },
        { kind: 'text', text: 'plain' },
        { kind: 'text', text: 'bold', emphasis: 'strong' },
        { kind: 'text', text: 'good', emphasis: 'success' },
        { kind: 'text', text: 'careful', emphasis: 'warning' },
        { kind: 'text', text: 'bad\nsecond line', emphasis: 'danger' },
        { kind: 'table', columns: ['a', 'long column'], rows: [['wide value', 'x'], ['y']] },
        {
          kind: 'checklist',
          items: [
            { state: 'done', text: '1. done', elapsed: '2 s', note: 'fine' },
            { state: 'failed', text: '2. failed', note: 'why' },
            { state: 'skipped', text: '3. skipped', note: 'already' },
            { state: 'running', text: '4. running', elapsed: '5 s' },
            { state: 'warning', text: '5. warning' },
            { state: 'pending', text: '6. pending' },
          ],
        },
        { kind: 'context', text: 'small print' },
        { kind: 'actions', buttons: [{ actionId: 'approve', value: 'op-1', label: 'Approve' }, { actionId: 'reject', value: 'op-1', label: 'Reject' }] },
      ],
    };
    assert.equal(
      renderText(message),
      [
        'Title',
        '─────',
        'plain',
        'bold',
        '✔ good',
        '⚠ careful',
        '✖ bad',
        'second line',
        '┌────────────┬─────────────┐',
        '│ a          │ long column │',
        '├────────────┼─────────────┤',
        '│ wide value │ x           │',
        '│ y          │             │',
        '└────────────┴─────────────┘',
        '✔ 1. done (2 s): fine',
        '✖ 2. failed: why',
        '↷ 3. skipped: already',
        '… 4. running (5 s)',
        '⚠ 5. warning',
        '· 6. pending',
        '  small print',
        '→ type: approve op-1 / reject op-1',
        '',
      ].join('\n'),
    );
  });

  it('prints the title when there is nothing else', () => {
    assert.equal(renderText({ title: 'Only a title', blocks: [] }), 'Only a title\n');
  });

  it('shows an empty table as (none)', () => {
    assert.equal(renderTable(['database', 'state'], []), ['┌──────────┬───────┐', '│ database │ state │', '├──────────┼───────┤', '│ (none)   │       │', '└──────────┴───────┘'].join('\n'));
  });

  it('neutralises escape sequences, bidi overrides and line breaks that come from the cluster or a user', () => {
    const hostile = 'evil\u001b]0;pwned\u0007\u001b[2J\u202Etxt.exe\r\nnext';
    const text = renderText({ title: 't', blocks: [{ kind: 'table', columns: ['v'], rows: [[hostile]] }, { kind: 'text', text: hostile }] });
    const unsafe = [...text].filter((ch) => ch !== '\n' && (ch.charCodeAt(0) < 0x20 || ch === '\u007f' || ch === '\u202e'));
    assert.deepEqual(unsafe, [], JSON.stringify(text));
    // A table cell stays on one line, so the columns stay aligned.
    const row = text.split('\n').find((l) => l.includes('evil'));
    assert.ok(row?.endsWith('│'), row);
  });
});
