import { context, header, table, type Message } from './message.js';

export interface CommandHelp {
  readonly usage: string;
  readonly description: string;
}

/** The catalogue is passed in, so help and the parser's hints come from one list. */
export function renderHelp(commands: readonly CommandHelp[], defaultCluster: string): Message {
  return {
    title: 'exa-chatops commands',
    blocks: [
      header('exa-chatops: start and stop Exasol clusters through EXAoperation'),
      table(['command', 'what it does'], commands.map((c) => [c.usage, c.description])),
      context(
        `[cluster] defaults to ${defaultCluster}. Shut-downs and stops wait for an approver; ` +
          'every operation shows its plan first (try /exa plan shutdown).',
      ),
    ],
  };
}
