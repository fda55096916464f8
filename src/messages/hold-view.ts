import type { Hold } from '../change-control/holds.js';
import { formatUntil } from '../change-control/change-gate.js';
import { context, people, user, type Message } from './message.js';

/** Posted to the channel: everyone should know the cluster is held, by whom and why. */
export function renderHeld(hold: Hold, replaced: Hold | undefined): Message {
  const until = formatUntil(hold.until, 'UTC');
  return {
    title: `${hold.cluster} is on hold until ${until}, set by ${hold.by}: ${hold.reason}`,
    blocks: [
      people([`${hold.cluster} is on hold until ${until}, set by `, user(hold.by), `. Reason: ${hold.reason}`], 'warning'),
      ...(replaced ? [people(['It replaces the hold set by ', user(replaced.by), ` (${replaced.reason}).`])] : []),
      context(
        `Until then shut-downs, database stops and storage stops of ${hold.cluster} are refused, scheduled ones too; an approver may break the glass (--break-glass, one more approver). Lift it with /exa unhold ${hold.cluster}.`,
      ),
    ],
  };
}

export function renderUnheld(hold: Hold, by: string): Message {
  return {
    title: `The hold on ${hold.cluster} was lifted by ${by}`,
    blocks: [people([`The hold on ${hold.cluster} (${hold.reason}, set by `, user(hold.by), ') was lifted by ', user(by), '.'], 'success')],
  };
}
