import { context, people, text, withPeople, type Message } from './message.js';

/** A plain confirmation, e.g. "Queued as op-3"; the detail goes in small print. `by`: user ids in it, shown as people. */
export function renderNotice(message: string, detail?: string, by: readonly string[] = []): Message {
  const line = by.length === 0 ? text(message, 'success') : people(withPeople(message, by), 'success');
  return { title: message, blocks: [line, ...(detail === undefined ? [] : [context(detail)])] };
}
