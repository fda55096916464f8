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
  'hold',
  'unhold',
  'schedules',
  'audit',
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
  freeze: 'hold',
  unfreeze: 'unhold',
  schedule: 'schedules',
  dryrun: 'plan',
  'dry-run': 'plan',
};

export const DEFAULT_LOG_COUNT = 20;
export const MAX_LOG_COUNT = 200;

export const OPERATION_USAGE = 'startup|shutdown|db start NAME|db stop NAME|storage start|storage stop';

export const COMMANDS: readonly CommandHelp[] = [
  { group: 'look', usage: '/exa help', description: 'This list: every command, what it does, an example, and whether you may use it here.', example: '/exa help' },
  {
    group: 'look',
    usage: '/exa status [cluster]',
    description: 'The state of the cluster: services, EXAStorage, every database (state, operation, connections) and how many nodes are online, and which node is the EXAoperation master.',
    example: '/exa status',
    role: 'viewer',
  },
  { group: 'look', usage: '/exa nodes [cluster]', description: 'Every data node and license server: its state, and whether its hardware answers (the test for "powered on").', example: '/exa nodes', role: 'viewer' },
  {
    group: 'look',
    usage: `/exa plan ${OPERATION_USAGE} [cluster]`,
    description: 'The dry run of an operation: the exact steps against the current state, what each would do, and what would block it. Changes nothing.',
    example: '/exa plan shutdown',
    role: 'viewer',
  },
  { group: 'look', usage: '/exa queue [cluster]', description: 'The operation running on the cluster, those queued behind it, and the requests waiting for approval.', example: '/exa queue', role: 'viewer' },
  {
    group: 'look',
    usage: '/exa logs [N] [cluster]',
    description: `The newest N entries of the cluster's logservice, newest first (default ${DEFAULT_LOG_COUNT}, at most ${MAX_LOG_COUNT}).`,
    example: '/exa logs 50',
    role: 'viewer',
  },
  {
    group: 'change',
    usage: '/exa',
    description: 'In Slack: opens the request form. Pick the cluster, the operation and the database from lists read from the cluster, give the reason, and see the plan before you submit.',
    example: '/exa',
    role: 'operator',
  },
  {
    group: 'change',
    usage: '/exa startup [cluster] [-- reason]',
    description: 'Start the whole cluster: power on the data nodes, wait until they have booted, start EXAStorage, then every database, and the configured plugins.',
    example: '/exa startup',
    role: 'operator',
  },
  {
    group: 'change',
    usage: '/exa shutdown [--abort-backup] [--break-glass] [cluster] -- reason',
    description:
      'Shut the whole cluster down: every database, EXAStorage, the data nodes, and the license server last (Exasol 8: every database). Checks before each step and waits for its approvers. Exasol 8: --abort-backup aborts running backups first instead of refusing. The reason after -- is required (by default) and shown to the approvers and in the audit log. During a freeze window or a hold it is refused; an approver may add --break-glass, which needs one more approver and is marked in the channel and the audit log.',
    example: '/exa shutdown -- quarterly patching',
    role: 'operator',
  },
  { group: 'change', usage: '/exa db start NAME [cluster]', description: 'Start one database and wait until it accepts connections; its connection string is shown.', example: '/exa db start exa_db1', role: 'operator' },
  {
    group: 'change',
    usage: '/exa db stop NAME [--abort-backup] [cluster] -- reason',
    description:
      'Stop one database, once it runs with no operation (such as a backup) in progress; waits for an approver. Exasol 8: --abort-backup aborts a running backup first, as a step the approver sees. A reason after -- is required (by default).',
    example: '/exa db stop exa_db1 -- restore test data',
    role: 'operator',
  },
  { group: 'change', usage: '/exa storage start [cluster]', description: 'Start EXAStorage on nodes that are all running.', example: '/exa storage start', role: 'operator' },
  { group: 'change', usage: '/exa storage stop [cluster] -- reason', description: 'Stop EXAStorage; refused while any database runs. A reason after -- is required (by default).', example: '/exa storage stop -- disk replacement', role: 'operator' },
  { group: 'change', usage: '/exa cancel ID', description: 'Cancel an operation: a waiting or queued one is removed, a running one stops at its next safe point.', example: '/exa cancel op-3', role: 'operator' },
  {
    group: 'decide',
    usage: '/exa approve ID [CLUSTER]',
    description: "Approve a request that waits for approval (not your own); it then runs exactly as its plan showed. The shut-down of a cluster marked critical is approved with the cluster's name typed after the id (or in the Approve button's form).",
    example: '/exa approve op-3',
    role: 'approver',
  },
  { group: 'decide', usage: '/exa reject ID', description: 'Reject a request that waits for approval; nothing is done.', example: '/exa reject op-3', role: 'approver' },
  {
    group: 'control',
    usage: '/exa hold [cluster] DURATION -- reason',
    description: 'Put the cluster on hold for up to 7 days: until it ends, shut-downs, database and storage stops (scheduled ones too) are refused with who held it and why. The channel is told.',
    example: '/exa hold prod 4h -- migration running',
    role: 'operator',
  },
  { group: 'control', usage: '/exa unhold [cluster]', description: 'Lift the hold on the cluster; whoever set it, or an approver, may.', example: '/exa unhold prod', role: 'operator' },
  {
    group: 'control',
    usage: '/exa schedules [cluster]',
    description: 'The scheduled operations: when each runs next (after snoozes and skips), why, and who configured it.',
    example: '/exa schedules',
    role: 'viewer',
  },
  {
    group: 'control',
    usage: '/exa audit [cluster] [since]',
    description: 'A summary of the audit log since a time (default 7d; 12h, 2w or a date like 2026-12-01): requests, outcomes, overrides and scheduled runs, the newest operations with reason and approvers. Only you see it.',
    example: '/exa audit prod 7d',
    role: 'viewer',
  },
];
