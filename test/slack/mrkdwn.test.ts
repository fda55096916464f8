// Hostile text from EXAoperation or from users must not format, mention or break Block Kit.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeCode, escapeMrkdwn } from '../../src/slack/mrkdwn.js';
import { renderBlocks } from '../../src/slack/render-blocks.js';
import { table, text } from '../../src/messages/message.js';

const ZWJ = '\u200d';

describe('mrkdwn escaping', () => {
  it('neutralises mentions, links and formatting, keeps in-word underscores', () => {
    assert.equal(escapeMrkdwn('<!channel> <@U123> <https://evil|click>'), '&lt;!channel&gt; &lt;@U123&gt; &lt;https://evil|click&gt;');
    assert.equal(escapeMrkdwn('*bold* _it_ ~del~ `code`'), `*${ZWJ}bold*${ZWJ} _${ZWJ}it_${ZWJ} ~${ZWJ}del~${ZWJ} \`${ZWJ}code\`${ZWJ}`);
    assert.equal(escapeMrkdwn('exa_db1 a&b'), 'exa_db1 a&amp;b');
    assert.equal(escapeCode('```x``` <y>'), 'ʼʼʼxʼʼʼ &lt;y&gt;');
  });

  it('escapes the fallback text, sections and table cells of a rendered message', () => {
    const rendered = renderBlocks({
      title: 'Database <!here> failed',
      blocks: [text('node said <!channel> *now*'), table(['db', 'note'], [['exa_db1', 'a<b'], ['x'.repeat(60), '<'.repeat(50)]])],
    });
    assert.equal(rendered.text, 'Database &lt;!here&gt; failed');
    const json = JSON.stringify(rendered.blocks);
    assert.ok(!json.includes('<!channel>') && !json.includes('<!here>'));
    const fenced = String((rendered.blocks[1] as { text: { text: string } }).text.text);
    const lines = fenced.split('\n').slice(1, -1);
    // Columns line up as Slack shows them (an entity is one character), and no entity is cut.
    const shown = lines.map((l) => l.replace(/&lt;/g, '<').replace(/&amp;/g, '&').replace(/&gt;/g, '>'));
    // The first column is 40 wide (the 60-character cell is cut), so the second starts at 42 on every line.
    for (const line of shown) assert.match(line.slice(40), /^ {2}[^ ]/, line);
    assert.ok(!/&l?$|&lt$/.test(lines.at(-1) ?? ''), lines.at(-1));
    assert.match(lines.at(-1) ?? '', /(&lt;){39}…$/);
  });
});
