// The confirm form of a critical cluster's shut-down: the approver types the cluster's name, as
// GitHub asks before deleting a repository. The button that opens it carries the operation id and
// the cluster; both are only shown and compared here: the core checks the name against the
// operation itself (approval-policy.ts), so a tampered button approves nothing.
import { LIMITS, cut } from './block-limits.js';
import { escapeMrkdwn } from './mrkdwn.js';

export const CONFIRM_CALLBACK = 'exa_confirm_name';
export const CONFIRM_FIELD = 'exa_confirm_name_input';

export interface ConfirmTarget {
  readonly opId: string;
  readonly cluster: string;
  /** The channel of the request message, where the decision is made and answered. */
  readonly channel: string;
}

/** The Approve button's value for a critical shut-down: `op-3 prod` (also what the console types). */
export const confirmValue = (opId: string, cluster: string): string => `${opId} ${cluster}`;

export function parseConfirmValue(value: unknown): { readonly opId: string; readonly cluster: string } | undefined {
  // Any cluster name the configuration takes; it is only shown (escaped) and compared here.
  const match = typeof value === 'string' ? /^(op-\d{1,9}) (\S{1,100})$/.exec(value) : null;
  return match?.[1] && match[2] ? { opId: match[1], cluster: match[2] } : undefined;
}

export function renderConfirmByName(target: ConfirmTarget): Record<string, unknown> {
  const plain = (text: string): Record<string, unknown> => ({ type: 'plain_text', text, emoji: true });
  const cluster = escapeMrkdwn(target.cluster);
  return {
    type: 'modal',
    callback_id: CONFIRM_CALLBACK,
    title: plain('Confirm the shut-down'),
    submit: plain('Approve'),
    close: plain('Back'),
    private_metadata: JSON.stringify(target),
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: cut(
            `:warning: You approve *${escapeMrkdwn(target.opId)}*: the *shut-down of cluster ${cluster}*, which is marked critical. ` +
              'Every database, EXAStorage and the data nodes stop, the license server last.',
            LIMITS.sectionText,
          ),
        },
      },
      {
        type: 'input',
        block_id: CONFIRM_FIELD,
        label: plain(`Type ${cut(target.cluster, 60)} to approve`),
        element: { type: 'plain_text_input', action_id: CONFIRM_FIELD, max_length: 64, placeholder: plain(cut(target.cluster, 150)) },
      },
    ],
  };
}

/** What the approver typed, and the target from the form's metadata (checked, it came back through the client). */
export function readConfirmation(view: unknown): { readonly target: ConfirmTarget; readonly typed: string } | undefined {
  if (!isRecord(view)) return undefined;
  let meta: unknown;
  try {
    meta = typeof view['private_metadata'] === 'string' ? JSON.parse(view['private_metadata']) : undefined;
  } catch {
    return undefined;
  }
  if (!isRecord(meta) || typeof meta['channel'] !== 'string') return undefined;
  const parsed = parseConfirmValue(`${String(meta['opId'])} ${String(meta['cluster'])}`);
  const state = isRecord(view['state']) && isRecord(view['state']['values']) ? view['state']['values'] : {};
  const block = state[CONFIRM_FIELD];
  const entry = isRecord(block) ? block[CONFIRM_FIELD] : undefined;
  const typed = isRecord(entry) && typeof entry['value'] === 'string' ? entry['value'].slice(0, 64) : '';
  return parsed ? { target: { ...parsed, channel: meta['channel'] }, typed } : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
