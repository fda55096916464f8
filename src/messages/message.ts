/**
 * The platform-neutral message model. Views build these; each adapter renders them its own way
 * (Block Kit for Slack, plain text for the console). Nothing here knows about any platform, so a
 * view is tested once and every adapter shows the same facts.
 */
export interface Message {
  /** One line that stands for the whole message: notification text, a log line, a fallback. */
  readonly title: string;
  readonly blocks: readonly Block[];
}

/** How a text block should stand out. Adapters pick their own means (bold, a marker, a colour). */
export type Emphasis = 'strong' | 'success' | 'warning' | 'danger';

export type ChecklistState = 'pending' | 'running' | 'done' | 'skipped' | 'failed' | 'warning';

export interface ChecklistItem {
  readonly state: ChecklistState;
  readonly text: string;
  /** Already formatted, e.g. '12 s'. */
  readonly elapsed?: string;
  /** Why it was skipped or failed, or what it found. */
  readonly note?: string;
}

export interface Confirmation {
  readonly title: string;
  readonly text: string;
  readonly confirm: string;
  readonly deny: string;
}

export interface Button {
  /**
   * The command the button stands for ('approve', 'reject', 'cancel'), so a text adapter can offer
   * it as typed input (`approve op-3`) and a chat adapter can route the click to the same handler.
   */
  readonly actionId: string;
  /** The command's argument, e.g. the operation id. */
  readonly value: string;
  readonly label: string;
  readonly style?: 'primary' | 'danger';
  /** Asked before the click counts; for actions that change the cluster. */
  readonly confirm?: Confirmation;
  /**
   * The word the user types before the click counts (a critical cluster's name), in place of a
   * yes/no confirmation: a form in Slack, the word after the command in a terminal.
   */
  readonly typeToConfirm?: string;
  /** It opens a form, which only chat has: text adapters leave it out (the command is typed there). */
  readonly formOnly?: true;
}

/** A piece of a `people` block: plain text, a Slack user, a Slack user group, or a channel. */
export type Inline = string | { readonly user: string } | { readonly group: string } | { readonly channel: string };

/** Text is always plain: adapters escape it for their platform, so nothing a user typed can format or mention. */
export type Block =
  | { readonly kind: 'header'; readonly text: string }
  | { readonly kind: 'text'; readonly text: string; readonly emphasis?: Emphasis }
  | { readonly kind: 'table'; readonly columns: readonly string[]; readonly rows: readonly (readonly string[])[] }
  | { readonly kind: 'checklist'; readonly items: readonly ChecklistItem[] }
  | { readonly kind: 'context'; readonly text: string }
  | { readonly kind: 'actions'; readonly buttons: readonly Button[] }
  /**
   * Text with people in it ("Requested by <@U…>"): each person a part of their own, so only ids
   * the view put there become mentions, never something typed. `small`: a context line.
   */
  | { readonly kind: 'people'; readonly parts: readonly Inline[]; readonly emphasis?: Emphasis; readonly small?: true }
  /** Text addressed to people: Slack notifies them (`<@U…>`); other adapters name them. */
  | { readonly kind: 'mention'; readonly users: readonly string[]; readonly text: string; readonly groups?: readonly string[] };

// Small constructors keep the views readable and the optional fields absent (not undefined).
export const header = (text: string): Block => ({ kind: 'header', text });
export const text = (value: string, emphasis?: Emphasis): Block =>
  emphasis === undefined ? { kind: 'text', text: value } : { kind: 'text', text: value, emphasis };
export const people = (parts: readonly Inline[], emphasis?: Emphasis): Block => (emphasis === undefined ? { kind: 'people', parts } : { kind: 'people', parts, emphasis });
export const peopleContext = (parts: readonly Inline[]): Block => ({ kind: 'people', parts, small: true });
/** A user id as a part: who did something, shown as a mention where the adapter can. */
export const user = (id: string): Inline => ({ user: id });
/** A channel id as a part: a link to the channel where the adapter can. */
export const channelRef = (id: string): Inline => ({ channel: id });
/**
 * `value` with each occurrence of the given user ids as a person part: for sentences the core
 * writes with ids in them ("requested by U0OP"). Only ids the caller names, from its own records,
 * become people; anything else in the text stays text.
 */
export function withPeople(value: string, ids: readonly (string | undefined)[]): Inline[] {
  const known = [...new Set(ids.filter((id): id is string => id !== undefined && /^[UW][A-Z0-9]+$/.test(id)))];
  if (known.length === 0) return [value];
  const pattern = new RegExp(`\\b(${known.join('|')})\\b`);
  return value.split(pattern).flatMap((piece, i): Inline[] => (i % 2 === 1 ? [user(piece)] : piece === '' ? [] : [piece]));
}
export const mention = (users: readonly string[], value: string, groups: readonly string[] = []): Block =>
  groups.length === 0 ? { kind: 'mention', users, text: value } : { kind: 'mention', users, text: value, groups };
export const table = (columns: readonly string[], rows: readonly (readonly string[])[]): Block => ({ kind: 'table', columns, rows });
export const context = (value: string): Block => ({ kind: 'context', text: value });
