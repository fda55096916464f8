import { context, text, type Message } from './message.js';

/** A plain confirmation, e.g. "Queued as op-3"; the detail goes in small print. */
export function renderNotice(message: string, detail?: string): Message {
  return { title: message, blocks: [text(message, 'success'), ...(detail === undefined ? [] : [context(detail)])] };
}
