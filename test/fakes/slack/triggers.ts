// trigger_id: valid for 3 s and usable once (Slack's views.open errors expired_trigger_id and
// exchanged_trigger_id). Modelled so a bot that opens a modal after slow work fails in tests too.
import { triggerIdFrom } from './ids.js';

const TRIGGER_LIFETIME_MS = 3000;

export class TriggerRegistry {
  private counter = 0;
  private readonly issued = new Map<string, { readonly at: number; readonly user: string | undefined; used: boolean }>();

  constructor(private readonly now: () => number) {}

  /** `user`: whose action it came from; the modal it opens is theirs. */
  mint(user?: string): string {
    this.counter += 1;
    const id = triggerIdFrom(this.counter);
    this.issued.set(id, { at: this.now(), user, used: false });
    return id;
  }

  /** Returns the Slack error code, or undefined when the trigger may be used (and marks it used). */
  consume(id: unknown): string | undefined {
    const trigger = typeof id === 'string' ? this.issued.get(id) : undefined;
    if (!trigger) return 'invalid_trigger_id';
    if (trigger.used) return 'exchanged_trigger_id';
    if (this.now() - trigger.at > TRIGGER_LIFETIME_MS) return 'expired_trigger_id';
    trigger.used = true;
    return undefined;
  }

  /** The user a trigger was minted for. */
  userOf(id: unknown): string | undefined {
    return typeof id === 'string' ? this.issued.get(id)?.user : undefined;
  }

  clear(): void {
    this.issued.clear();
  }
}
