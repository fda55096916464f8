// views.open and views.update through a WebClient of their own: a form opened with a trigger_id
// (3 s) must not wait behind a queue of posts. Redacted like every post.
import type { WebClient } from '@slack/web-api';
import { redactDeep, type Redactor } from '../logging/redact.js';
import type { ViewsPort } from './slack-deps.js';
import type { SlackErrorObserver } from './slack-poster.js';

export function createSlackViews(client: WebClient, redact: Redactor, onError: SlackErrorObserver = () => undefined, quiet: () => boolean = () => false): ViewsPort {
  const code = (error: unknown): string => {
    const e = error as { data?: { error?: unknown } };
    return typeof e.data?.error === 'string' ? e.data.error : 'error';
  };
  return {
    async open(triggerId, view) {
      try {
        const result = await client.views.open({ trigger_id: triggerId, view: redactDeep(view, redact) as never });
        return { id: String(result.view?.id ?? ''), hash: result.view?.hash };
      } catch (error) {
        onError('views.open', code(error));
        throw error;
      }
    },
    async update(viewId, hash, view) {
      // A replica that lost its executor lock leaves the forms to the one that took over.
      if (quiet()) return { kind: 'stale' };
      try {
        const result = await client.views.update({ view_id: viewId, ...(hash === undefined ? {} : { hash }), view: redactDeep(view, redact) as never });
        return { kind: 'updated', hash: result.view?.hash };
      } catch (error) {
        const why = code(error);
        // Another update landed since (hash_conflict) or the user closed it (not_found).
        if (why === 'hash_conflict' || why === 'not_found') return { kind: 'stale' };
        onError('views.update', why);
        throw error;
      }
    },
  };
}
