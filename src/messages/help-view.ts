import type { Role } from '../access/role.js';
import { context, header, text, type Block, type Message } from './message.js';

/** Help is read by what people want to do: look, change the cluster, or decide on a request. */
export type CommandGroup = 'look' | 'change' | 'decide' | 'control';

const GROUPS: readonly { readonly group: CommandGroup; readonly title: string }[] = [
  { group: 'look', title: 'Look (changes nothing)' },
  { group: 'change', title: 'Change the cluster (each shows its plan first; destructive ones wait for an approver)' },
  { group: 'decide', title: 'Decide on a request' },
  { group: 'control', title: 'Change control: holds, schedules, the audit log' },
];

export interface CommandHelp {
  readonly group: CommandGroup;
  readonly usage: string;
  /** Whole sentences: help shows them uncut. */
  readonly description: string;
  readonly example: string;
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
  const blocks: Block[] = [header('exa-chatops: start and stop Exasol clusters through EXAoperation or ConfD')];
  if (audience !== undefined) {
    blocks.push(
      text(
        audience.roles.length === 0
          ? `You hold no role on cluster ${audience.cluster} in this channel: ask an admin to grant you viewer, operator or approver.`
          : `Your roles on cluster ${audience.cluster} in this channel: ${audience.roles.join(', ')}.`,
      ),
    );
  }
  const who = (c: CommandHelp): string => {
    if (c.role === undefined) return 'anyone here';
    if (audience === undefined) return `needs ${c.role}`;
    return audience.roles.includes(c.role) ? `you may (${c.role})` : `needs ${c.role}`;
  };
  for (const { group, title } of GROUPS) {
    const members = commands.filter((c) => c.group === group);
    if (members.length === 0) continue;
    blocks.push(text(title, 'strong'));
    // One block per command, never a table: a table cuts its cells, and a description is a sentence.
    for (const c of members) blocks.push(text(`${c.usage}\n${c.description}\nExample: ${c.example} · ${who(c)}`));
  }
  blocks.push(
    context(
      `[cluster] defaults to ${defaultCluster}. Shut-downs and stops wait for an approver; ` +
        'every operation shows its plan first (try /exa plan shutdown).',
    ),
  );
  return { title: 'exa-chatops commands', blocks };
}
