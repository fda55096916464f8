/** Block Kit limits (slack-platform.md §0/§6.2). The fake Slack enforces the same numbers. */
export const LIMITS = {
  blocks: 50,
  sectionText: 3000,
  headerText: 150,
  contextText: 3000,
  buttonLabel: 75,
  buttonValue: 2000,
  actionId: 255,
  actionsElements: 25,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  /** Slack's undocumented cumulative cap (msg_blocks_too_long) is ~12k; stay well below. */
  totalText: 11_000,
  /** Fallback `text` of a message: keep it short, notifications show it. */
  fallbackText: 3000,
} as const;

export function cut(text: string, max: number, note = '…'): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - note.length))}${note}`;
}
