// Every view of the bot with fixed inputs, in one list: the golden Block Kit payloads
// (test/slack/golden.test.ts) and the README's rendered examples (scripts/render-examples.ts) are
// made from the same views, so neither can drift from what the bot really shows.
import { COMMANDS } from '../../src/commands/command-catalogue.js';
import { AppError } from '../../src/errors/app-error.js';
import { ExaOperationError } from '../../src/exaoperation/errors.js';
import type { LogEntry } from '../../src/exaoperation/types.js';
import { buildPlan } from '../../src/lifecycle/build-plan.js';
import { Cancellation } from '../../src/lifecycle/cancellation.js';
import { defaultProfile } from '../../src/lifecycle/cluster-profile.js';
import type { ProgressEvent } from '../../src/lifecycle/progress.js';
import type { ClusterSnapshot } from '../../src/lifecycle/snapshot.js';
import { renderApprovalCounted, renderApprovalDecided, renderApprovalExpired, renderApprovalRequest } from '../../src/messages/approval-view.js';
import { renderHeld, renderUnheld } from '../../src/messages/hold-view.js';
import { renderScheduleNotice } from '../../src/messages/schedule-notice-view.js';
import { renderSchedules } from '../../src/messages/schedules-view.js';
import { renderError, renderProblem } from '../../src/messages/error-view.js';
import { renderHelp } from '../../src/messages/help-view.js';
import { renderLogs } from '../../src/messages/logs-view.js';
import type { Message } from '../../src/messages/message.js';
import { renderNodes } from '../../src/messages/nodes-view.js';
import { renderNotice } from '../../src/messages/notice-view.js';
import { renderOutcomeDm, renderOutcomeNotice } from '../../src/messages/outcome-notice-view.js';
import { renderPlan } from '../../src/messages/plan-view.js';
import { reduceProgress, startProgress, type ProgressState } from '../../src/messages/progress-state.js';
import { renderProgress } from '../../src/messages/progress-view.js';
import { renderThreadSummary } from '../../src/messages/thread-summary-view.js';
import { renderDirectMessageHelp, renderHome } from '../../src/messages/home-view.js';
import { renderQueue } from '../../src/messages/queue-view.js';
import { renderRecovery } from '../../src/messages/recovery-view.js';
import { renderStatus } from '../../src/messages/status-view.js';
import type { OperationRecord } from '../../src/operations/operation-record.js';
import { awkwardSnapshot, T0 } from './fixtures.js';

// ---- fixed inputs ----

const profile = defaultProfile('c1');
const shutdownPlan = buildPlan({ kind: 'cluster-shutdown' }, awkwardSnapshot, profile);

/** The same cluster, healthy: nothing blocks, every database accepting. */
const healthy: ClusterSnapshot = {
  ...awkwardSnapshot,
  services: awkwardSnapshot.services.map((s) => ({ ...s, state: { kind: 'ok' as const } })),
  nodes: awkwardSnapshot.nodes.map((n) => ({ ...n, status: { kind: 'running' as const } })),
  databases: awkwardSnapshot.databases.map((d) => ({
    ...d,
    state: { kind: 'running' as const },
    operation: { kind: 'idle' as const },
    connection: { kind: 'accepting' as const },
  })),
};
const cleanShutdownPlan = buildPlan({ kind: 'cluster-shutdown' }, healthy, profile);
/** What the cluster looks like just before its license server goes down. */
const stopped: ClusterSnapshot = {
  ...healthy,
  takenAt: T0 + 90_000,
  storageOnline: false,
  nodes: healthy.nodes.map((n) => ({ ...n, status: { kind: 'unknown' as const, raw: 'Unknown' } })),
  databases: healthy.databases.map((d) => ({ ...d, state: { kind: 'setup' as const }, connection: { kind: 'rejecting' as const } })),
};
const coldStartup = buildPlan({ kind: 'cluster-startup' }, stopped, { ...profile, plugins: [{ name: 'Administration.vmware-tools', runningText: 'is running' }] });

const SCHEDULE = { id: 'test-stop', cluster: 'c1', operation: { kind: 'cluster-shutdown' as const }, timeZone: 'Europe/Berlin', configuredBy: 'U0ADMIN', reason: 'nightly cost saving', waiveApproval: true };

function record(overrides: Partial<OperationRecord> = {}): OperationRecord {
  return {
    reason: 'quarterly patching',
    id: 'op-4',
    cluster: 'c1',
    operation: { kind: 'cluster-shutdown' },
    requestedBy: 'U0OP',
    channel: 'C0OPS',
    requestedAt: T0,
    plan: cleanShutdownPlan,
    approvedBy: undefined,
    approvedActions: undefined,
    status: { kind: 'awaiting-approval', expiresAt: T0 + 15 * 60_000 },
    cancellation: new Cancellation(),
    ...overrides,
  };
}

function step(plan: typeof cleanShutdownPlan, id: string) {
  const found = plan.steps.find((s) => s.id === id);
  if (!found) throw new Error(`no step ${id}`);
  return found;
}

/** A shut-down in step 3, after two finished steps. */
function runningShutdown(): Message {
  const p = cleanShutdownPlan;
  const events: ProgressEvent[] = [
    { type: 'step-started', step: step(p, '1'), at: T0 },
    { type: 'step-finished', step: step(p, '1'), result: { kind: 'done', note: 'master is n0010' }, durationMs: 40, at: T0 + 40 },
    { type: 'step-started', step: step(p, '2'), at: T0 + 40 },
    { type: 'step-finished', step: step(p, '2'), result: { kind: 'done' }, durationMs: 1200, at: T0 + 1240 },
    { type: 'step-started', step: step(p, '3'), at: T0 + 1240 },
  ];
  const state = events.reduce(reduceProgress, startProgress({ ...record(), approvedBy: 'U0APP' }, p));
  return renderProgress(state, T0 + 13_240);
}

/** The same shut-down, succeeded, with the state read just before the license server went down. */
function finishedShutdownState(): ProgressState {
  const p = cleanShutdownPlan;
  const last = p.steps.at(-1);
  if (!last) throw new Error('empty plan');
  const events: ProgressEvent[] = p.steps.flatMap((s, i): ProgressEvent[] => [
    ...(s === last ? [{ type: 'final-report' as const, snapshot: stopped, at: T0 + i * 5000 }] : []),
    { type: 'step-started', step: s, at: T0 + i * 5000 },
    s.expect.kind === 'skip'
      ? { type: 'step-finished', step: s, result: { kind: 'skipped', reason: s.expect.reason }, durationMs: 3, at: T0 + i * 5000 + 3 }
      : { type: 'step-finished', step: s, result: { kind: 'done' }, durationMs: 4000, at: T0 + i * 5000 + 4000 },
  ]);
  events.push({ type: 'finished', outcome: { kind: 'succeeded', warnings: 0 }, snapshot: stopped, at: T0 + p.steps.length * 5000 });
  return events.reduce(reduceProgress, startProgress({ ...record(), approvedBy: 'U0APP' }, p));
}

/** As Slack shows it: the channel message ends with the outcome, the tables are in the thread. */
function finishedShutdown(): Message {
  const state = finishedShutdownState();
  return renderProgress(state, state.finishedAt ?? T0, 'thread');
}

/** The last reply in its thread: the requester mentioned, the audit facts, the end state. */
function finishedShutdownSummary(): Message {
  const state = finishedShutdownState();
  return renderThreadSummary({ ...record(), requestedAt: T0 - 90_000 }, { kind: 'succeeded', warnings: 0 }, state);
}

/** Interrupted by a stop during step 3 (what a SIGTERM leaves). */
function interruptedShutdown(): Message {
  const p = cleanShutdownPlan;
  const reason = "the bot is stopping; stopped during step 3 'Wait until database exa_db1 is stopped'";
  const events: ProgressEvent[] = [
    { type: 'step-started', step: step(p, '1'), at: T0 },
    { type: 'step-finished', step: step(p, '1'), result: { kind: 'done' }, durationMs: 40, at: T0 + 40 },
    { type: 'step-started', step: step(p, '2'), at: T0 + 40 },
    { type: 'step-finished', step: step(p, '2'), result: { kind: 'done' }, durationMs: 200, at: T0 + 240 },
    { type: 'step-started', step: step(p, '3'), at: T0 + 240 },
    { type: 'step-finished', step: step(p, '3'), result: { kind: 'failed', reason: 'interrupted: the bot is stopping', code: 'INTERRUPTED' }, durationMs: 5000, at: T0 + 5240 },
    { type: 'finished', outcome: { kind: 'interrupted', stepId: '3', reason }, snapshot: healthy, at: T0 + 5300 },
  ];
  const state = events.reduce(reduceProgress, startProgress({ ...record(), approvedBy: 'U0APP' }, p));
  return renderProgress(state, T0 + 5300);
}

/** A cold start-up in its boot wait: every node powered on, one booted. */
function bootingStartup(): Message {
  const p = coldStartup;
  const power = p.steps.find((s) => s.action.kind === 'power-on-nodes');
  const wait = p.steps.find((s) => s.action.kind === 'wait-nodes-booted');
  if (!wait || !power || power.action.kind !== 'power-on-nodes') throw new Error('unexpected start-up plan');
  const events: ProgressEvent[] = [
    { type: 'step-started', step: power, at: T0 },
    ...power.action.nodes.map((node, i): ProgressEvent => ({ type: 'step-detail', step: power, detail: { kind: 'node-powered-on', node }, at: T0 + 50 + i })),
    { type: 'step-finished', step: power, result: { kind: 'done', note: `${power.action.nodes.length} powered on` }, durationMs: 80, at: T0 + 80 },
    { type: 'step-started', step: wait, at: T0 + 1000 },
    { type: 'step-detail', step: wait, detail: { kind: 'node-booted', node: 'n0011', seconds: 104 }, at: T0 + 105_000 },
  ];
  const state = events.reduce(reduceProgress, startProgress({ ...record({ operation: { kind: 'cluster-startup' }, plan: p }), approvedBy: undefined }, p));
  return renderProgress(state, T0 + 130_000);
}

const logEntries: LogEntry[] = [
  { strtime: '2024-05-01 12:00:02.123', system: 'Boot', node: 'n0012', message: 'Boot process stages 1 to 3 took 99 seconds.', priority: 'Notice' },
  { strtime: '2024-05-01 12:00:01.456', system: 'EXAoperation', node: 'n0010', message: 'User *admin* stopped `exa_db1` <now> & then _some_', priority: 'Warning' },
  { strtime: '2024-05-01 12:00:00.000', system: 'Boot', node: 'n0011', message: 'hello', priority: { kind: 'unknown', raw: 'Debug' } },
];

/** 200 long entries: more than one message can hold, so the renderer must split and cut. */
const manyLogEntries: LogEntry[] = Array.from({ length: 200 }, (_, i) => ({
  strtime: `2024-05-01 12:${String(59 - Math.floor(i / 60)).padStart(2, '0')}:${String(59 - (i % 60)).padStart(2, '0')}.000`,
  system: 'EXAStorage',
  node: `n00${11 + (i % 4)}`,
  message: `Volume ${i} segment check finished; ${'x'.repeat(60)}`,
  priority: 'Information',
}));

/** Every view with fixed inputs: the golden payloads and the README's rendered examples. */
export { cleanShutdownPlan };

export const VIEWS: ReadonlyArray<readonly [string, () => Message]> = [
  ['status', () => renderStatus('c1', awkwardSnapshot)],
  ['status-healthy', () => renderStatus('c1', healthy)],
  [
    'nodes',
    () =>
      renderNodes('c1', {
        takenAt: T0,
        master: 'n0011',
        licenseServers: ['n0010'],
        nodes: [
          { name: 'n0011', status: { kind: 'running' }, online: true },
          { name: 'n0012', status: { kind: 'unknown', raw: 'Unknown' }, online: false },
        ],
      }),
  ],
  ['plan-blocked', () => renderPlan(shutdownPlan)],
  ['plan-startup', () => renderPlan(coldStartup)],
  ['approval-request', () => renderApprovalRequest(record(), cleanShutdownPlan)],
  ['approval-request-critical', () => renderApprovalRequest(record({ confirmByName: true }), cleanShutdownPlan)],
  [
    'approval-request-break-glass',
    () =>
      renderApprovalRequest(
        record({ override: true, reason: 'disk failing, data at risk', requestedBy: 'U0BOTH', approvalsNeeded: 3, approvalsFrom: [{ kind: 'group', id: 'S0DBAS' }], approvals: [{ by: 'U0APP', at: T0 + 60_000 }] }),
        cleanShutdownPlan,
      ),
  ],
  ['approval-approved', () => renderApprovalDecided(record({ status: { kind: 'queued' } }), 'approved', 'U0APP')],
  ['approval-approved-two', () => renderApprovalDecided(record({ status: { kind: 'queued' }, approvals: [{ by: 'U0APP', at: T0 }, { by: 'U0APPTWO', at: T0 + 1000 }] }), 'approved', 'U0APPTWO')],
  ['approval-counted', () => renderApprovalCounted(record(), 1, 2)],
  ['schedule-notice', () => renderScheduleNotice(SCHEDULE, T0 + 15 * 60_000, { kind: 'upcoming', due: T0 + 75 * 60_000, snoozedBy: 'U0OP' })],
  ['schedule-fired', () => renderScheduleNotice(SCHEDULE, T0, { kind: 'fired', result: { kind: 'queued', op: record({ id: 'op-7', schedule: { id: 'test-stop', configuredBy: 'U0ADMIN' } }), position: 0 } })],
  ['schedule-refused', () => renderScheduleNotice(SCHEDULE, T0, { kind: 'fired', result: { kind: 'refused', message: 'The scheduled cluster shut-down of c1 (schedule test-stop) did not run: c1 is frozen by a hold set by U0OP (migration) until 2026-12-08 14:00:00 UTC.' } })],
  ['schedule-skipped', () => renderScheduleNotice(SCHEDULE, T0, { kind: 'skipped', by: 'U0OP' })],
  ['schedule-missed', () => renderScheduleNotice(SCHEDULE, T0, { kind: 'missed', due: T0 })],
  [
    'schedules',
    () =>
      renderSchedules('c1', [
        { id: 'test-stop', cluster: 'c1', operation: 'cluster shut-down', cron: '0 20 * * 1-5', timeZone: 'Europe/Berlin', configuredBy: 'U0ADMIN', reason: 'nightly cost saving', waiveApproval: true, next: T0 + 3600_000, note: 'snoozed by U0OP' },
      ]),
  ],
  ['hold', () => renderHeld({ cluster: 'c1', by: 'U0OP', reason: 'migration running', until: T0 + 4 * 3600_000, at: T0 }, undefined)],
  ['unhold', () => renderUnheld({ cluster: 'c1', by: 'U0OP', reason: 'migration running', until: T0 + 4 * 3600_000, at: T0 }, 'U0APP')],
  ['approval-rejected', () => renderApprovalDecided(record({ status: { kind: 'finished', outcome: { kind: 'rejected', by: 'U0APP' } } }), 'rejected', 'U0APP')],
  ['approval-expired', () => renderApprovalExpired(record({ status: { kind: 'finished', outcome: { kind: 'expired', by: 'system' } } }))],
  ['progress-running', runningShutdown],
  [
    'progress-break-glass',
    () => renderProgress(startProgress({ ...record({ override: true, approvals: [{ by: 'U0APP', at: T0 }, { by: 'U0APPTWO', at: T0 }] }), approvedBy: 'U0APPTWO' }, cleanShutdownPlan), T0),
  ],
  ['progress-scheduled', () => renderProgress(startProgress({ ...record({ requestedBy: 'U0ADMIN', schedule: { id: 'test-stop', configuredBy: 'U0ADMIN' } }) }, cleanShutdownPlan), T0)],
  ['progress-booting', bootingStartup],
  ['progress-final', finishedShutdown],
  ['progress-final-console', () => renderProgress(finishedShutdownState(), T0 + 60_000)],
  ['thread-summary', finishedShutdownSummary],
  ['progress-interrupted', interruptedShutdown],
  [
    'queue',
    () =>
      renderQueue('c1', {
        running: record({ id: 'op-1', operation: { kind: 'cluster-startup' }, status: { kind: 'running', stepId: '3', stepTitle: 'Start EXAStorage' } }),
        pending: [record({ id: 'op-2', operation: { kind: 'database-start', database: 'exa_db2' }, requestedBy: 'U0BOTH', status: { kind: 'queued' } })],
        awaitingApproval: [record()],
      }),
  ],
  ['queue-empty', () => renderQueue('c1', { running: undefined, pending: [], awaitingApproval: [] })],
  ['help', () => renderHelp(COMMANDS, 'c1')],
  [
    'error-exaoperation',
    () =>
      renderError(
        new ExaOperationError('EXA_TIMEOUT', 'EXAoperation did not answer getNodeList on cluster within 30 s. Check that EXAoperation is up at https://10.0.0.10/c1 and not overloaded, or raise the call timeout.', {
          endpoint: 'https://10.0.0.10/c1',
          object: 'cluster',
          method: 'getNodeList',
        }),
      ),
  ],
  ['error-app', () => renderError(new AppError('UNKNOWN_DATABASE', "Cluster c1 has no database 'exa_db9'. Its databases: exa_db1, exa_db2."))],
  ['error-internal', () => renderError(new TypeError("Cannot read properties of undefined (reading 'password')"))],
  ['problem', () => renderProblem("Unknown subcommand 'stauts'. Did you mean 'status'? Try /exa help.")],
  ['notice-queued', () => renderNotice('Queued as op-3, position 1: stop of database exa_db1 on cluster c1, requested by U0OP.', 'Nothing is ahead of it, so it starts now. Cancel with /exa cancel op-3.', ['U0OP'])],
  ['problem-conflict', () => renderProblem('The start of database exa_db1 of c1 conflicts with op-1 (stop of database exa_db1, requested by U0OP, queued). Nothing was queued.', ['U0OP'])],
  ['outcome-notice-cancelled', () => renderOutcomeNotice(record(), { kind: 'cancelled', stepId: '4', by: 'U0BOTH', where: "during step 4 'Wait until database exa_db1 is stopped'" })],
  ['outcome-dm', () => renderOutcomeDm({ ...record(), channel: 'C0OPS' }, { kind: 'succeeded', warnings: 0 })],
  [
    'home',
    () =>
      renderHome(
        [
          {
            cluster: 'c1',
            state: { kind: 'read', snapshot: healthy },
            running: record({ id: 'op-5', operation: { kind: 'database-stop', database: 'exa_db2' }, approvedBy: 'U0APP', status: { kind: 'running', stepId: '2', stepTitle: 'Stop database exa_db2' } }),
            pending: [],
            awaitingApproval: [record({ id: 'op-6' })],
            recent: [record({ id: 'op-4', approvedBy: 'U0APP', status: { kind: 'finished', outcome: { kind: 'succeeded', warnings: 0 } } })],
            channel: 'C0OPS',
            requestable: true,
            frozen: { kind: 'hold', by: 'U0OP', reason: 'migration running', until: T0 + 4 * 3600_000 },
          },
          { cluster: 'c2', state: { kind: 'unreadable', why: 'EXAoperation did not answer within 5 s' }, running: undefined, pending: [], awaitingApproval: [], recent: [], channel: undefined },
        ],
        T0,
      ),
  ],
  ['dm-help', () => renderDirectMessageHelp(['c1', 'c2'])],
  ['logs', () => renderLogs('c1', logEntries)],
  ['logs-empty', () => renderLogs('c1', [])],
  ['logs-200', () => renderLogs('c1', manyLogEntries)],
  [
    'recovery',
    () =>
      renderRecovery([
        {
          opId: 'op-2',
          cluster: 'c1',
          operation: { kind: 'cluster-shutdown' },
          requestedBy: 'U0OP',
          phase: 'running',
          requestedAt: 0,
          steps: [],
          outcomes: {},
          messages: {},
          message: "Operation op-2 (cluster shut-down on c1, requested by U0OP) was interrupted by a restart during step 3 'Wait until database exa_db1 is stopped' (started, not finished). It was not resumed: check the cluster with /exa status and request it again if needed.",
        },
        {
          opId: 'op-3',
          cluster: 'c1',
          operation: { kind: 'database-stop', database: 'exa_db2' },
          requestedBy: 'U0OP',
          phase: 'pending',
          requestedAt: 0,
          steps: [],
          outcomes: {},
          messages: {},
          message: 'Operation op-3 (stop of database exa_db2 on c1, requested by U0OP) had not started when the bot restarted (it was waiting for approval). It was dropped and not run: request it again if it is still needed.',
        },
      ]),
  ],
  ['recovery-none', () => renderRecovery([])],
];
