import type { Role } from '../access/role.js';
import { context, header, table, text, type Block, type Message } from './message.js';

export interface CommandHelp {
  readonly usage: string;
  readonly description: string;
  /** The role the command needs; absent = anyone in an allowed channel. */
  readonly role?: Role;
}

/** What the asker may do where they asked: shown so nobody has to find out by being refused. */
export interface HelpAudience {
  readonly roles: readonly Role[];
  /** The cluster the roles were looked up for (the channel's default). */
  readonly cluster: string;
}

/** The catalogue is passed in, so help and the parser's hints come from one list. */
export function renderHelp(commands: readonly CommandHelp[], defaultCluster: string, audience?: HelpAudience): Message {
  const blocks: Block[] = [header('exa-chatops: start and stop Exasol clusters through EXAoperation')];
  if (audience === undefined) {
    blocks.push(table(['command', 'what it does'], commands.map((c) => [c.usage, c.description])));
  } else {
    const may = (c: CommandHelp): string => (c.role === undefined || audience.roles.includes(c.role) ? 'yes' : `needs ${c.role}`);
    blocks.push(
      text(
        audience.roles.length === 0
          ? `You hold no role on cluster ${audience.cluster} in this channel: ask an admin to grant you viewer, operator or approver.`
          : `Your roles on cluster ${audience.cluster} in this channel: ${audience.roles.join(', ')}.`,
      ),
      table(['command', 'what it does', 'you may'], commands.map((c) => [c.usage, c.description, may(c)])),
    );
  }
  blocks.push(
    context(
      `[cluster] defaults to ${defaultCluster}. Shut-downs and stops wait for an approver; ` +
        'every operation shows its plan first (try /exa plan shutdown).',
    ),
  );
  return { title: 'exa-chatops commands', blocks };
}
