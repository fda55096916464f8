import type { CommandHelp } from '../messages/help-view.js';

/** Subcommands as typed; the parser's suggestions and the help list both come from here. */
export const VERBS = [
  'help',
  'status',
  'nodes',
  'startup',
  'shutdown',
  'db',
  'storage',
  'plan',
  'queue',
  'cancel',
  'logs',
  'approve',
  'reject',
] as const;

export type Verb = (typeof VERBS)[number];

/** Words people type for a subcommand that is spelled differently. */
export const SYNONYMS: Readonly<Record<string, string>> = {
  start: 'startup',
  stop: 'shutdown',
  boot: 'startup',
  'start-up': 'startup',
  'shut-down': 'shutdown',
  database: 'db',
  storaged: 'storage',
  exastorage: 'storage',
  log: 'logs',
  dryrun: 'plan',
  'dry-run': 'plan',
};

export const DEFAULT_LOG_COUNT = 20;
export const MAX_LOG_COUNT = 200;

export const OPERATION_USAGE = 'startup|shutdown|db start NAME|db stop NAME|storage start|storage stop';

export const COMMANDS: readonly CommandHelp[] = [
  { usage: '/exa help', description: 'This list' },
  { usage: '/exa status [cluster]', description: 'Services, databases, nodes online/offline and the EXAoperation master', role: 'viewer' },
  { usage: '/exa nodes [cluster]', description: 'Every data node: state and whether its hardware answers', role: 'viewer' },
  { usage: '/exa startup [cluster]', description: 'Start the cluster: power on nodes, EXAStorage, databases, plugins', role: 'operator' },
  { usage: '/exa shutdown [cluster]', description: 'Shut the cluster down: databases, EXAStorage, nodes, license server last', role: 'operator' },
  { usage: '/exa db start NAME [cluster]', description: 'Start one database and wait until it accepts connections', role: 'operator' },
  { usage: '/exa db stop NAME [cluster]', description: 'Stop one database', role: 'operator' },
  { usage: '/exa storage start [cluster]', description: 'Start EXAStorage', role: 'operator' },
  { usage: '/exa storage stop [cluster]', description: 'Stop EXAStorage (every database must be stopped)', role: 'operator' },
  { usage: `/exa plan ${OPERATION_USAGE} [cluster]`, description: 'Dry run: the exact steps, what each would do, what blocks it', role: 'viewer' },
  { usage: '/exa queue [cluster]', description: 'The running operation, the queue and requests waiting for approval', role: 'viewer' },
  { usage: '/exa cancel ID', description: 'Cancel an operation (a running one stops at its next safe point)', role: 'operator' },
  { usage: `/exa logs [N] [cluster]`, description: `The newest N log entries (default ${DEFAULT_LOG_COUNT}, at most ${MAX_LOG_COUNT})`, role: 'viewer' },
  { usage: '/exa approve ID', description: 'Approve a request that waits for approval', role: 'approver' },
  { usage: '/exa reject ID', description: 'Reject a request that waits for approval', role: 'approver' },
];
