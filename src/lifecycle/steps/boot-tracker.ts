import type { CallOptions } from '../../exaoperation/transport.js';
import type { ExaOperationClient } from '../../exaoperation/client.js';
import { parseBootFinished } from '../../exaoperation/parse.js';
import type { LogEntry } from '../../exaoperation/types.js';

/** The messages a boot writes before it finishes (reference §4.3, real Exasol 7 output). */
const BOOT_PROGRESS = /^(?:client ID is|Initialize boot process|Mount hard drives|Hard drives mounted|Prepare boot process stage|Start boot process stage|Boot process stage \d+ finished)/;

/**
 * Whether the logservice shows `node` in the middle of a boot: its newest boot message is one
 * that comes before the boot-finished one. Entries are newest first, as EXAoperation sends them.
 */
export function bootInProgress(entries: readonly LogEntry[], node: string): boolean {
  for (const entry of entries) {
    if (entry.node !== node) continue;
    if (parseBootFinished(entry.message)) return false;
    if (BOOT_PROGRESS.test(entry.message)) return true;
  }
  return false;
}

/**
 * Follows the logservice for "boot finished" messages of the nodes this operation powered on.
 * It reads through a tagged cursor (logEntriesTagged) that is primed before the first
 * startupNode, so it sees exactly the messages written after that and each of them once.
 * Nodes powered on by hand are only checked for being online: their message may predate the cursor.
 */
export class BootTracker {
  private primed = false;
  private readonly awaiting = new Set<string>();
  private readonly bootSeconds = new Map<string, number>();
  private readonly givenUp = new Set<string>();
  /**
   * Boot-finished entries the logservice already held when the cursor was primed. If EXAoperation
   * restarts, it forgets the cursor and hands out every entry again: these old boots must not count.
   */
  private readonly before = new Set<string>();
  /** The newest message each awaited node wrote, so a boot that never ends can say where it hung. */
  private readonly lastMessages = new Map<string, string>();

  constructor(
    private readonly client: ExaOperationClient,
    private readonly logservice: number,
    readonly tag: string,
  ) {}

  async prime(options: CallOptions): Promise<void> {
    if (this.primed) return;
    const { entries } = await this.client.logEntriesTagged(this.logservice, this.tag, options);
    // A first call with a new tag may return nothing (the reference leaves it open): then the
    // whole log is read once, so that old boots are known either way.
    const known = entries.length > 0 ? entries : (await this.client.logEntries(this.logservice, options)).entries;
    for (const entry of known) if (parseBootFinished(entry.message)) this.before.add(identity(entry));
    this.primed = true;
  }

  expectBootMessage(node: string): void {
    this.awaiting.add(node);
  }

  lastMessage(node: string): string | undefined {
    return this.lastMessages.get(node);
  }

  needsBootMessage(node: string): boolean {
    return this.awaiting.has(node) && !this.bootSeconds.has(node) && !this.givenUp.has(node);
  }

  /** The node is up by every other sign, but its boot-finished message never came: stop waiting for it. */
  giveUp(node: string): void {
    this.givenUp.add(node);
  }

  /** Reads new entries; returns the nodes whose boot finished since the last poll. */
  async poll(options: CallOptions): Promise<{ node: string; seconds: number }[]> {
    if (!this.primed || this.awaiting.size === 0) return [];
    const { entries } = await this.client.logEntriesTagged(this.logservice, this.tag, options);
    const found: { node: string; seconds: number }[] = [];
    // Entries come newest first; report them in the order they happened.
    for (const entry of [...entries].reverse()) {
      if (this.awaiting.has(entry.node)) this.lastMessages.set(entry.node, entry.message);
      const boot = parseBootFinished(entry.message);
      if (!boot || !this.awaiting.has(entry.node) || this.bootSeconds.has(entry.node) || this.before.has(identity(entry))) continue;
      this.bootSeconds.set(entry.node, boot.seconds);
      found.push({ node: entry.node, seconds: boot.seconds });
    }
    return found;
  }
}

/** An entry as the logservice shows it; the same boot message read twice has the same identity. */
function identity(entry: LogEntry): string {
  return `${entry.strtime}\u0000${entry.node}\u0000${entry.message}`;
}
