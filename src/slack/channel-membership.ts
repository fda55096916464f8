// Whether the bot is a member of a channel, asked before a request creates an operation there
// (command-listener.ts): in a channel without the bot, nothing it posts would be seen.
import type { WebClient } from '@slack/web-api';
import type { Clock } from '../util/clock.js';

/** How long "the bot is in this channel" is believed; "not in it" is asked again every time (an invite fixes it). */
const MEMBERSHIP_CACHE_MS = 5 * 60_000;

export function channelMembership(client: WebClient, clock: Clock): (channel: string) => Promise<'member' | 'not-member' | 'unknown'> {
  const members = new Map<string, number>();
  return async (channel) => {
    const until = members.get(channel);
    if (until !== undefined && until > clock.now()) return 'member';
    try {
      const info = await client.conversations.info({ channel });
      if (info.channel?.is_member === true) {
        members.set(channel, clock.now() + MEMBERSHIP_CACHE_MS);
        return 'member';
      }
      // Slack answers is_member only for channels; a DM with the bot is always postable.
      return info.channel?.is_im === true ? 'member' : 'not-member';
    } catch (error) {
      // A private channel without the bot "does not exist" for it; anything else (a missing scope,
      // Slack unreachable): the post decides, and a failed post withdraws the request.
      return (error as { data?: { error?: string } }).data?.error === 'channel_not_found' ? 'not-member' : 'unknown';
    }
  };
}
