import { isAppError } from '../errors/app-error.js';
import { isExaOperationError } from '../exaoperation/errors.js';
import { context, people, text, withPeople, type Message } from './message.js';

export const INTERNAL_ERROR_TEXT = 'Sorry, an internal error occurred. It has been logged; please tell the bot operators.';

/**
 * What a user sees when a command could not be done. Our errors carry a message written for users
 * (what went wrong, what to check); anything else may hold internals, so it is never shown: no
 * message, no stack, only a generic sentence (the caller logs the detail).
 */
export function renderError(error: unknown): Message {
  if (isExaOperationError(error)) {
    return {
      title: error.message,
      blocks: [text(error.message, 'danger'), context(`EXAoperation ${error.site.object}.${error.site.method} failed (${error.code})`)],
    };
  }
  if (isAppError(error)) {
    return { title: error.message, blocks: [text(error.message, 'danger'), context(`(${error.code})`)] };
  }
  return { title: INTERNAL_ERROR_TEXT, blocks: [text(INTERNAL_ERROR_TEXT, 'danger')] };
}

/** An expected refusal (a duplicate, a denied approval, a typo): a value, not an error. `by`: user ids in it, shown as people. */
export function renderProblem(message: string, by: readonly string[] = []): Message {
  return { title: message, blocks: [by.length === 0 ? text(message, 'warning') : people(withPeople(message, by), 'warning')] };
}
