import type { Block, ChecklistItem, Emphasis, Inline, Message } from '../messages/message.js';
import { LIMITS, cut } from './block-limits.js';
import { escapeCode, escapeMrkdwn } from './mrkdwn.js';

export type SlackBlock = Record<string, unknown>;

export interface RenderedMessage {
  readonly text: string;
  readonly blocks: SlackBlock[];
}

/** action_ids are namespaced so our listener regex matches only our own buttons. */
export const ACTION_PREFIX = 'exa_';
/** The action_id suffix of a button that asks for a typed word before it counts. */
export const TYPED_SUFFIX = '_typed';

const CHECK_MARK: Record<ChecklistItem['state'], string> = {
  pending: ':white_circle:',
  running: ':hourglass_flowing_sand:',
  done: ':white_check_mark:',
  skipped: ':arrow_right_hook:',
  failed: ':x:',
  warning: ':warning:',
};

const EMPHASIS: Record<Emphasis, (s: string) => string> = {
  strong: (s) => `*${s}*`,
  success: (s) => `:white_check_mark: ${s}`,
  warning: (s) => `:warning: ${s}`,
  danger: (s) => `:x: ${s}`,
};

/**
 * Renders the neutral Message as Block Kit, staying inside Slack's limits: long sections are
 * split, tables become fenced code blocks (one per 3,000 characters), and when the message
 * would pass 50 blocks or the total text budget the rest is cut with a note saying so.
 */
export function renderBlocks(message: Message): RenderedMessage {
  const blocks: SlackBlock[] = [];
  let budget: number = LIMITS.totalText;
  let cutCount = 0;
  for (const block of message.blocks) {
    for (const rendered of renderOne(block)) {
      const size = JSON.stringify(rendered).length;
      if (blocks.length >= LIMITS.blocks - 1 || size > budget) {
        cutCount += 1;
        continue;
      }
      budget -= size;
      blocks.push(rendered);
    }
  }
  if (cutCount > 0) {
    blocks.push(contextBlock(`Message shortened: ${cutCount} more block(s) did not fit Slack's limits. Use the console or /exa status for the rest.`));
  }
  // The fallback text is mrkdwn too (notifications, screen readers): escaped like the rest.
  return { text: escapeMrkdwn(cut(message.title, LIMITS.fallbackText - 1000)), blocks };
}

/** Text escaped; a person as a mention only when the id is one (nothing else can ping anyone). */
function inlineMrkdwn(part: Inline): string {
  if (typeof part === 'string') return escapeMrkdwn(part);
  if ('user' in part) return /^[UW][A-Z0-9]+$/.test(part.user) ? `<@${part.user}>` : escapeMrkdwn(part.user);
  if ('channel' in part) return /^[CG][A-Z0-9]+$/.test(part.channel) ? `<#${part.channel}>` : escapeMrkdwn(part.channel);
  return /^S[A-Z0-9]+$/.test(part.group) ? `<!subteam^${part.group}>` : escapeMrkdwn(part.group);
}

function renderOne(block: Block): SlackBlock[] {
  switch (block.kind) {
    case 'header':
      return [{ type: 'header', text: { type: 'plain_text', text: cut(block.text, LIMITS.headerText), emoji: true } }];
    case 'text': {
      const body = escapeMrkdwn(block.text);
      return chunk(block.emphasis ? EMPHASIS[block.emphasis](body) : body, LIMITS.sectionText).map(section);
    }
    case 'context':
      return [contextBlock(escapeMrkdwn(block.text))];
    case 'people': {
      const body = block.parts.map(inlineMrkdwn).join('');
      if (block.small) return [contextBlock(body)];
      return chunk(block.emphasis ? EMPHASIS[block.emphasis](body) : body, LIMITS.sectionText).map(section);
    }
    case 'mention': {
      // Only real user ids become mentions; the text stays escaped, so nothing typed can mention anyone.
      const people = [
        ...block.users.filter((u) => /^[UW][A-Z0-9]+$/.test(u)).map((u) => `<@${u}>`),
        ...(block.groups ?? []).filter((g) => /^S[A-Z0-9]+$/.test(g)).map((g) => `<!subteam^${g}>`),
      ];
      return chunk(`${people.join(' ')}${people.length ? ' ' : ''}${escapeMrkdwn(block.text)}`, LIMITS.sectionText).map(section);
    }
    case 'table':
      return tableSections(block.columns, block.rows);
    case 'checklist':
      return chunkLines(block.items.map(checklistLine), LIMITS.sectionText).map(section);
    case 'actions':
      return [
        {
          type: 'actions',
          elements: block.buttons.slice(0, LIMITS.actionsElements).map((button) => ({
            type: 'button',
            // A button that asks for a typed word opens a form first (confirm-name-view.ts): an
            // action of its own, with the word beside the value so the form can show it.
            action_id: cut(`${ACTION_PREFIX}${button.actionId}${button.typeToConfirm === undefined ? '' : TYPED_SUFFIX}`, LIMITS.actionId, ''),
            value: cut(button.typeToConfirm === undefined ? button.value : `${button.value} ${button.typeToConfirm}`, LIMITS.buttonValue, ''),
            text: { type: 'plain_text', text: cut(button.label, LIMITS.buttonLabel), emoji: true },
            ...(button.style ? { style: button.style } : {}),
            ...(button.confirm
              ? {
                  confirm: {
                    title: { type: 'plain_text', text: cut(button.confirm.title, LIMITS.confirmTitle) },
                    text: { type: 'plain_text', text: cut(button.confirm.text, LIMITS.confirmText) },
                    confirm: { type: 'plain_text', text: cut(button.confirm.confirm, LIMITS.confirmButton) },
                    deny: { type: 'plain_text', text: cut(button.confirm.deny, LIMITS.confirmButton) },
                  },
                }
              : {}),
          })),
        },
      ];
  }
}

function checklistLine(item: ChecklistItem): string {
  const elapsed = item.elapsed ? ` — ${item.elapsed}` : '';
  const note = item.note ? `\n      _${escapeMrkdwn(item.note)}_` : '';
  return `${CHECK_MARK[item.state]} ${escapeMrkdwn(item.text)}${elapsed}${note}`;
}

/** Fixed-width columns in a code fence: renders the same on every Slack client. */
function tableSections(columns: readonly string[], rows: readonly (readonly string[])[]): SlackBlock[] {
  // Widths, cuts and padding on the raw text, escaping last: an entity (&lt;) is never cut in
  // half, and a cell with one lines up with the rest (Slack shows it as one character).
  const all = [columns, ...rows];
  const widths = columns.map((_, i) => Math.min(40, Math.max(...all.map((row) => (row[i] ?? '').length))));
  const line = (row: readonly string[]): string =>
    row
      .map((raw, i) => {
        const cell = cut(raw, widths[i] ?? 40);
        return escapeCode(cell) + ' '.repeat(Math.max(0, (widths[i] ?? 0) - cell.length));
      })
      .join('  ')
      .trimEnd();
  const headerLines = [line(all[0] ?? []), widths.map((w) => '-'.repeat(w)).join('  ')];
  const bodyLines = all.slice(1).map(line);
  const fence = (lines: string[]): SlackBlock => section(`\`\`\`\n${lines.join('\n')}\n\`\`\``);
  const max = LIMITS.sectionText - 8;
  const sections: SlackBlock[] = [];
  let current = [...headerLines];
  for (const body of bodyLines) {
    if ([...current, body].join('\n').length > max) {
      sections.push(fence(current));
      current = [...headerLines];
    }
    current.push(body);
  }
  sections.push(fence(current));
  return sections;
}

function section(textValue: string): SlackBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: textValue, verbatim: true } };
}

function contextBlock(textValue: string): SlackBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: cut(textValue, LIMITS.contextText), verbatim: true }] };
}

function chunk(textValue: string, max: number): string[] {
  return chunkLines(textValue.split('\n'), max);
}

function chunkLines(lines: readonly string[], max: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const raw of lines) {
    const lineText = cut(raw, max);
    if (current && current.length + 1 + lineText.length > max) {
      out.push(current);
      current = lineText;
    } else {
      current = current ? `${current}\n${lineText}` : lineText;
    }
  }
  if (current || out.length === 0) out.push(current || ' ');
  return out;
}
