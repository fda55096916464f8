import type { Block, ChecklistItem, ChecklistState, Emphasis, Message } from '../messages/message.js';

/** Markers a terminal shows without colours. */
export const CHECKLIST_MARKERS: Readonly<Record<ChecklistState, string>> = {
  pending: '·',
  running: '…',
  done: '✔',
  skipped: '↷',
  failed: '✖',
  warning: '⚠',
};

const EMPHASIS_PREFIX: Readonly<Record<Emphasis, string>> = { strong: '', success: '✔ ', warning: '⚠ ', danger: '✖ ' };

/**
 * A message as plain text for a terminal. Every string passes through `clean` first: cluster
 * answers and user input may hold escape sequences, and a terminal would execute them.
 */
export function renderText(message: Message): string {
  // The title stands in for the blocks elsewhere (notifications); here the blocks say it all.
  if (message.blocks.length === 0) return `${clean(message.title, false)}\n`;
  // A block with nothing to say in a terminal (a form-only button) leaves no empty line.
  return `${message.blocks.map(renderBlock).filter((line) => line !== '').join('\n')}\n`;
}

export function renderBlock(block: Block): string {
  switch (block.kind) {
    case 'header': {
      const value = clean(block.text, false);
      return `${value}\n${'─'.repeat(Math.min(width(value), 100))}`;
    }
    case 'text':
      return `${block.emphasis ? EMPHASIS_PREFIX[block.emphasis] : ''}${clean(block.text, true)}`;
    case 'table':
      return renderTable(block.columns, block.rows);
    case 'checklist':
      return block.items.map(checklistLine).join('\n');
    case 'context':
      return `  ${clean(block.text, true).replace(/\n/g, '\n  ')}`;
    case 'people': {
      // A terminal has nobody to notify: people are their ids (or names, in the demo).
      const value = clean(block.parts.map((p) => (typeof p === 'string' ? p : 'user' in p ? p.user : 'channel' in p ? `#${p.channel}` : p.group)).join(''), true);
      if (block.small) return `  ${value.replace(/\n/g, '\n  ')}`;
      return `${block.emphasis ? EMPHASIS_PREFIX[block.emphasis] : ''}${value}`;
    }
    case 'mention':
      return `${[...block.users, ...(block.groups ?? [])].map((u) => `@${clean(u, false)}`).join(' ')} ${clean(block.text, true)}`;
    case 'actions': {
      // Buttons name the command they stand for, so a terminal user types it instead.
      const typed = block.buttons.filter((b) => b.formOnly !== true);
      if (typed.length === 0) return '';
      return `→ type: ${typed.map((b) => `${clean(b.actionId, false)} ${clean(b.value, false)}${b.typeToConfirm === undefined ? '' : ` ${clean(b.typeToConfirm, false)}`}`).join(' / ')}`;
    }
  }
}

export function checklistLine(item: ChecklistItem): string {
  const elapsed = item.elapsed === undefined ? '' : ` (${clean(item.elapsed, false)})`;
  const note = item.note === undefined ? '' : `: ${clean(item.note, false)}`;
  return `${CHECKLIST_MARKERS[item.state]} ${clean(item.text, false)}${elapsed}${note}`;
}

/**
 * ┌──────────┬───────┐
 * │ service  │ state │
 * ├──────────┼───────┤
 * │ Loggingd │ OK    │
 * └──────────┴───────┘
 */
export function renderTable(columns: readonly string[], rows: readonly (readonly string[])[]): string {
  const head = columns.map((c) => clean(c, false));
  const cells = rows.map((row) => head.map((_, i) => clean(row[i] ?? '', false)));
  const body = cells.length > 0 ? cells : [head.map((_, i) => (i === 0 ? '(none)' : ''))];
  const widths = head.map((h, i) => Math.max(width(h), ...body.map((row) => width(row[i] ?? ''))));
  const rule = (left: string, mid: string, right: string): string => `${left}${widths.map((w) => '─'.repeat(w + 2)).join(mid)}${right}`;
  const line = (cells: readonly string[]): string => `│${cells.map((c, i) => ` ${pad(c, widths[i] ?? 0)} `).join('│')}│`;
  return [rule('┌', '┬', '┐'), line(head), rule('├', '┼', '┤'), ...body.map(line), rule('└', '┴', '┘')].join('\n');
}

/**
 * Control characters (ESC, BEL, …) and bidi overrides, which can make a terminal line read
 * differently from what it holds, become '?'. Newlines survive only where a block may wrap.
 */
export function clean(value: string, keepNewlines: boolean): string {
  const flat = keepNewlines ? value.replace(/\r\n?/g, '\n') : value.replace(/\s*[\r\n]+\s*/g, ' ');
  return flat.replace(/\t/g, ' ').replace(keepNewlines ? UNSAFE_KEEPING_NEWLINES : UNSAFE, '?');
}

const UNSAFE = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/gu;
const UNSAFE_KEEPING_NEWLINES = /(?!\n)[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/gu;

function width(value: string): number {
  return [...value].length;
}

function pad(value: string, size: number): string {
  return value + ' '.repeat(Math.max(0, size - width(value)));
}
