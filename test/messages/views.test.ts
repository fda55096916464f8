import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMMANDS, VERBS } from '../../src/commands/command-catalogue.js';
import { renderText } from '../../src/console/render-text.js';
import { ExaOperationError } from '../../src/exaoperation/errors.js';
import { AppError } from '../../src/errors/app-error.js';
import { buildPlan } from '../../src/lifecycle/build-plan.js';
import { Cancellation } from '../../src/lifecycle/cancellation.js';
import { defaultProfile } from '../../src/lifecycle/cluster-profile.js';
import type { Plan } from '../../src/lifecycle/plan.js';
import type { ProgressEvent } from '../../src/lifecycle/progress.js';
import { renderApprovalDecided, renderApprovalExpired, renderApprovalRequest } from '../../src/messages/approval-view.js';
import { INTERNAL_ERROR_TEXT, renderError } from '../../src/messages/error-view.js';
import { renderHelp } from '../../src/messages/help-view.js';
import { renderLogs } from '../../src/messages/logs-view.js';
import type { Message } from '../../src/messages/message.js';
import { renderNodes } from '../../src/messages/nodes-view.js';
import { renderPlan } from '../../src/messages/plan-view.js';
import { reduceProgress, startProgress } from '../../src/messages/progress-state.js';
import { renderProgress } from '../../src/messages/progress-view.js';
import { renderThreadSummary } from '../../src/messages/thread-summary-view.js';
import { renderQueue } from '../../src/messages/queue-view.js';
import { renderCutOff, renderRecovery } from '../../src/messages/recovery-view.js';
import { renderStatus } from '../../src/messages/status-view.js';
import type { OperationRecord } from '../../src/operations/operation-record.js';
import { awkwardSnapshot, T0 } from './fixtures.js';

const lines = (...l: string[]): string => `${l.join('\n')}\n`;
const hasButtons = (m: Message): boolean => m.blocks.some((b) => b.kind === 'actions');

const shutdownPlan: Plan = buildPlan({ kind: 'cluster-shutdown' }, awkwardSnapshot, defaultProfile('c1'));

function record(overrides: Partial<OperationRecord> = {}): OperationRecord {
  return {
    reason: undefined,
    id: 'op-4',
    cluster: 'c1',
    operation: { kind: 'cluster-shutdown' },
    requestedBy: 'U1',
    channel: undefined,
    requestedAt: T0,
    plan: shutdownPlan,
    approvedBy: undefined,
    approvedActions: undefined,
    status: { kind: 'awaiting-approval', expiresAt: T0 + 15 * 60_000 },
    cancellation: new Cancellation(),
    ...overrides,
  };
}

describe('status view', () => {
  it('shows services, databases, nodes and master, with unrecognised values verbatim (golden)', () => {
    assert.equal(
      renderText(renderStatus('c1', awkwardSnapshot)),
      lines(
        'Cluster c1',
        '──────────',
        '1/2 nodes online, EXAStorage online, 1/2 databases accepting connections',
        'Services',
        '┌──────────┬─────────────────────────┐',
        '│ service  │ state                   │',
        '├──────────┼─────────────────────────┤',
        '│ Loggingd │ OK                      │',
        '│ Storaged │ degraded (unrecognised) │',
        '└──────────┴─────────────────────────┘',
        'Databases',
        '┌──────────┬─────────────────────────┬───────────┬───────────────────────┬────────────────────┐',
        '│ database │ state                   │ operation │ accepting connections │ connection string  │',
        '├──────────┼─────────────────────────┼───────────┼───────────────────────┼────────────────────┤',
        '│ exa_db1  │ running                 │ Backup    │ Yes                   │ 10.0.0.11..12:8563 │',
        '│ exa_db2  │ resizing (unrecognised) │ None      │ Maybe (unrecognised)  │ -                  │',
        '└──────────┴─────────────────────────┴───────────┴───────────────────────┴────────────────────┘',
        '⚠ Nodes: 1 online, 1 offline. Offline: n0012 (Suspended)',
        'EXAoperation master: n0010',
        '  Read from EXAoperation at 2024-05-01 12:00:00 UTC',
      ),
    );
  });
});

describe('plan view', () => {
  it('puts the blockers first and marks every step will do / will skip / BLOCKED (golden)', () => {
    assert.equal(
      renderText(renderPlan(shutdownPlan)),
      lines(
        'Dry run: Shut-down of cluster c1',
        '────────────────────────────────',
        '✖ BLOCKED: this operation would be refused without touching the cluster. 2 problem(s):',
        "- database exa_db1 is busy with operation 'Backup'; wait until it finishes",
        "- database exa_db2 is in state 'resizing'; check it in EXAoperation",
        '12 steps: 10 to do, 0 to skip, 2 blocked',
        '1. Check that the EXAoperation master is the license server: will do',
        "2. Check that no database is busy (operation 'None'): will do",
        "3. Stop database exa_db1: BLOCKED: database exa_db1 is busy with operation 'Backup'; wait until it finishes",
        '4. Wait until database exa_db1 is stopped: will do',
        "5. Stop database exa_db2: BLOCKED: database exa_db2 is in state 'resizing'; check it in EXAoperation",
        '6. Wait until database exa_db2 is stopped: will do',
        '7. Check that no database is running: will do',
        '8. Stop EXAStorage: will do',
        '9. Wait until EXAStorage is stopped: will do',
        '10. Shut down nodes n0011, n0012: will do',
        '11. Wait until 2 node(s) are down: will do',
        '12. Shut down license server n0010 (EXAoperation stops answering): will do',
        '  Nothing was changed. The plan is rebuilt from the live state when the operation runs, and every step checks again before it acts.',
      ),
    );
    assert.equal(renderPlan(shutdownPlan).title, 'Dry run: Shut-down of cluster c1 (blocked)');
  });

  it('says so when nothing blocks', () => {
    const plan = buildPlan({ kind: 'storage-start' }, { ...awkwardSnapshot, storageOnline: false, nodes: [{ name: 'n0011', status: { kind: 'running' }, power: { kind: 'up', why: 'Running' } }] }, defaultProfile('c1'));
    assert.match(renderText(renderPlan(plan)), /^✔ Nothing blocks this plan\.$/m);
    assert.equal(renderPlan(plan).title, 'Dry run: EXAStorage start on cluster c1');
  });
});

describe('approval views', () => {
  it('asks with the plan, an Approve button behind a confirmation and a Reject button', () => {
    const message = renderApprovalRequest(record(), shutdownPlan);
    const text = renderText(message);
    assert.match(text, /^Approval needed: shut-down of cluster c1$/m);
    assert.match(text, /^Requested by: U1$/m);
    assert.match(text, /^Operation: op-4, cluster shut-down$/m);
    assert.match(text, /^Cluster: c1$/m);
    assert.match(text, /^1\. Check that the EXAoperation master is the license server: will do$/m);
    assert.match(text, /Expires at 2024-05-01 12:15:00 UTC/);
    assert.match(text, /^→ type: approve op-4 \/ reject op-4$/m);
    const actions = message.blocks.find((b) => b.kind === 'actions');
    assert.deepEqual(actions, {
      kind: 'actions',
      buttons: [
        {
          actionId: 'approve',
          value: 'op-4',
          label: 'Approve',
          style: 'primary',
          confirm: {
            title: 'Approve op-4?',
            text: `The shut-down of cluster c1 runs the ${shutdownPlan.steps.length} steps listed, as soon as it is its turn.`,
            confirm: 'Approve',
            deny: 'Not yet',
          },
        },
        {
          actionId: 'reject',
          value: 'op-4',
          label: 'Reject',
          style: 'danger',
          // The cluster and the operation again: a click on the wrong request is caught here.
          confirm: { title: 'Reject op-4?', text: 'The shut-down of cluster c1 is not run; nothing is done on cluster c1.', confirm: 'Reject', deny: 'Back' },
        },
      ],
    });
  });

  it('says who decided, or that it expired, and offers no buttons any more', () => {
    const approved = renderApprovalDecided(record(), 'approved', 'U2');
    const rejected = renderApprovalDecided(record(), 'rejected', 'U3');
    const expired = renderApprovalExpired(record());
    for (const m of [approved, rejected, expired]) assert.equal(hasButtons(m), false);
    assert.equal(approved.title, 'op-4 approved by U2: shut-down of cluster c1');
    assert.match(renderText(approved), /^✔ Approved by U2\./m);
    assert.match(renderText(rejected), /^⚠ Rejected by U3\. Nothing was done\.$/m);
    assert.match(renderText(expired), /^Expired: shut-down of cluster c1$/m);
    assert.match(renderText(expired), /nothing was done/);
  });
});

describe('progress view', () => {
  it('shows the checklist, boot lines, the outcome and the end state', () => {
    const [s1, s2] = shutdownPlan.steps;
    let state = startProgress({ ...record(), approvedBy: 'U2' }, shutdownPlan);
    const events: ProgressEvent[] = [
      { type: 'step-started', step: s1!, at: T0 },
      { type: 'step-finished', step: s1!, result: { kind: 'done', note: 'master is n0010' }, durationMs: 300, at: T0 + 300 },
      { type: 'step-started', step: s2!, at: T0 + 300 },
      { type: 'step-finished', step: s2!, result: { kind: 'failed', reason: 'database exa_db1 is busy', code: 'PRECONDITION_FAILED' }, durationMs: 50, at: T0 + 350 },
      { type: 'finished', outcome: { kind: 'failed', stepId: '2', reason: 'database exa_db1 is busy', code: 'PRECONDITION_FAILED' }, snapshot: awkwardSnapshot, at: T0 + 400 },
    ];
    state = events.reduce(reduceProgress, state);
    const message = renderProgress(state, T0 + 400);
    const text = renderText(message);
    assert.equal(message.title, 'op-4 shut-down of cluster c1: failed');
    assert.equal(text.split('\n').slice(0, 3).join('\n'), 'op-4: Shut-down of cluster c1\n─────────────────────────────\n  Requested by U1 · Approved by U2');
    assert.match(text, /^✔ 1\. Check that the EXAoperation master is the license server \(0\.3 s\): master is n0010$/m);
    assert.match(text, /^✖ 2\. Check that no database is busy \(operation 'None'\) \(<0\.1 s\): database exa_db1 is busy$/m);
    assert.match(text, /^· 3\. Stop database exa_db1$/m);
    assert.match(text, /^✖ Failed at step 2: database exa_db1 is busy\. Later steps were not run; check \/exa status\.$/m);
    assert.match(text, /^Cluster state at the end \(2024-05-01 12:00:00 UTC\)$/m);
    assert.match(text, /│ Storaged │ degraded \(unrecognised\) │/);
  });

  it('in Slack, leaves the end state to the thread summary, which mentions the requester and gives the audit facts', () => {
    const [s1] = shutdownPlan.steps;
    const events: ProgressEvent[] = [
      { type: 'step-started', step: s1!, at: T0 },
      { type: 'step-finished', step: s1!, result: { kind: 'done' }, durationMs: 300, at: T0 + 300 },
      { type: 'finished', outcome: { kind: 'succeeded', warnings: 0 }, snapshot: awkwardSnapshot, at: T0 + 400 },
    ];
    const state = events.reduce(reduceProgress, startProgress({ ...record(), approvedBy: 'U2' }, shutdownPlan));
    const parent = renderText(renderProgress(state, T0 + 400, 'thread'));
    assert.match(parent, /^✔ Succeeded in 0\.4 s\.$/m);
    assert.match(parent, /The cluster state at the end and the audit summary are in the thread of this message\./);
    assert.doesNotMatch(parent, /Cluster state at the end \(/);
    const summary = renderText(renderThreadSummary({ ...record(), requestedAt: T0 - 60_000 }, { kind: 'succeeded', warnings: 0 }, state));
    assert.match(summary, /^U1 op-4 \(shut-down of cluster c1\) succeeded\.$/m);
    assert.match(summary, /Audit log: op-4 · Requested by U1 at 2024-05-01 11:59:00 UTC · Approved by U2 · Ran 2024-05-01 12:00:00 UTC – 2024-05-01 12:00:00 UTC \(0\.4 s\)/);
    assert.match(summary, /^Cluster state at the end \(2024-05-01 12:00:00 UTC\)$/m);
    // Nothing read at the end (refused before a step): the parent says so itself, the thread has no tables.
    const refused = reduceProgress(startProgress(record(), shutdownPlan), { type: 'finished', outcome: { kind: 'refused', reasons: ['database exa_db1 is busy'] }, snapshot: undefined, at: T0 });
    assert.match(renderText(renderProgress(refused, T0, 'thread')), /Nothing was done, so the cluster state was not read again\./);
    assert.match(renderText(renderThreadSummary({ ...record(), requestedAt: T0 }, { kind: 'refused', reasons: ['busy'] }, refused)), /No step ran/);
  });

  it('shows the running step and how long it has run', () => {
    const [s1] = shutdownPlan.steps;
    const state = reduceProgress(startProgress(record(), shutdownPlan), { type: 'step-started', step: s1!, at: T0 });
    const message = renderProgress(state, T0 + 12_000);
    assert.equal(message.title, `op-4 shut-down of cluster c1: running step 1 of ${shutdownPlan.steps.length}`);
    assert.match(renderText(message), /^… 1\. Check that the EXAoperation master is the license server \(12 s\)$/m);
  });
});

describe('queue view', () => {
  it('lists the running operation with its step, the queue with who asked, and pending approvals', () => {
    const running = record({ id: 'op-1', operation: { kind: 'cluster-startup' }, status: { kind: 'running', stepId: '3', stepTitle: 'Start EXAStorage' } });
    const pending = record({ id: 'op-2', operation: { kind: 'database-start', database: 'exa_db2' }, requestedBy: 'U5', status: { kind: 'queued' } });
    const text = renderText(renderQueue('c1', { running, pending: [pending], awaitingApproval: [record()] }));
    assert.match(text, new RegExp(`^op-1: cluster start-up, running step 3 of ${shutdownPlan.steps.length}: Start EXAStorage; requested by U1$`, 'm'));
    assert.match(text, /^op-2: start of database exa_db2, queued, position 2; requested by U5$/m);
    assert.match(text, /^op-4: cluster shut-down, waiting for approval until 2024-05-01 12:15:00 UTC; requested by U1$/m);
  });

  it('says when nothing is going on', () => {
    assert.match(renderText(renderQueue('c1', { running: undefined, pending: [], awaitingApproval: [] })), /Nothing is running or waiting on cluster c1\./);
  });
});

describe('help, nodes, logs, recovery and error views', () => {
  it('help lists every subcommand with its usage', () => {
    const text = renderText(renderHelp(COMMANDS, 'c1'));
    for (const verb of VERBS) assert.match(text, new RegExp(`/exa ${verb}\\b`), verb);
    assert.match(text, /\[cluster\] defaults to c1/);
  });

  it('help tells the asker which commands their roles allow', () => {
    const viewer = renderText(renderHelp(COMMANDS, 'c1', { roles: ['viewer'], cluster: 'c1' }));
    assert.match(viewer, /Your roles on cluster c1 in this channel: viewer\./);
    // Each command: its usage, its whole description, then an example and whether the asker may.
    assert.match(viewer, /\/exa shutdown \[--abort-backup\] \[--break-glass\] \[cluster\] -- reason\n.*\nExample: \/exa shutdown -- quarterly patching · needs operator/);
    assert.match(viewer, /\/exa approve ID \[CLUSTER\]\n.*\nExample: \/exa approve op-3 · needs approver/);
    assert.match(viewer, /\/exa status \[cluster\]\n.*\nExample: \/exa status · you may \(viewer\)/);
    const none = renderText(renderHelp(COMMANDS, 'c1', { roles: [], cluster: 'c1' }));
    assert.match(none, /You hold no role on cluster c1 in this channel: ask an admin/);
    assert.match(none, /\/exa help\n.*\nExample: \/exa help · anyone here/);
    assert.match(none, /\/exa status \[cluster\]\n.*\nExample: \/exa status · needs viewer/);
  });

  it('nodes view shows state, the dmidecode online test and the master', () => {
    const report = {
      takenAt: T0,
      master: 'n0011',
      licenseServers: ['n0010'],
      nodes: [
        { name: 'n0011', status: { kind: 'running' as const }, online: true },
        { name: 'n0012', status: { kind: 'unknown' as const, raw: 'Unknown' }, online: false },
      ],
    };
    const text = renderText(renderNodes('c1', report));
    assert.match(text, /│ n0011 │ Running │ online +│/);
    assert.match(text, /│ n0012 │ Unknown │ offline +│/);
    assert.match(text, /^⚠ The EXAoperation master is n0011, not a license server/m);
  });

  it('logs view keeps the newest-first order and unknown priorities', () => {
    const entries = [
      { strtime: '12:00:02', system: 'Boot', node: 'n0012', message: 'Boot process stages 1 to 3 took 99 seconds.', priority: 'Notice' as const },
      { strtime: '12:00:01', system: 'Boot', node: 'n0011', message: 'hello', priority: { kind: 'unknown' as const, raw: 'Debug' } },
    ];
    const text = renderText(renderLogs('c1', entries));
    assert.ok(text.indexOf('12:00:02') < text.indexOf('12:00:01'));
    assert.match(text, /Debug \(unrecognised\)/);
    assert.match(renderText(renderLogs('c1', [])), /has no entries/);
  });

  it('recovery view says what was cut off and that nothing resumes', () => {
    const message = renderRecovery([
      { opId: 'op-2', cluster: 'c1', operation: { kind: 'cluster-shutdown' }, requestedBy: 'U1', phase: 'running', requestedAt: 0, steps: [], outcomes: {}, messages: {}, message: 'Operation op-2 was interrupted.' },
    ]);
    assert.match(renderText(message), /^✖ Operation op-2 was interrupted\.$/m);
    assert.match(renderText(renderRecovery([])), /No operations were cut off/);
    const cutOff = renderText(renderCutOff({ opId: 'op-3', cluster: 'c1', operation: { kind: 'storage-stop' }, requestedBy: 'U1', phase: 'pending', requestedAt: 0, steps: [], outcomes: {}, messages: {}, message: 'Operation op-3 was dropped.' }));
    assert.match(cutOff, /op-3: dropped by a restart, never run/);
    assert.match(cutOff, /Operation op-3 was dropped\./);
  });

  it('error view shows our user-safe message, and never an internal error or a stack', () => {
    const exa = new ExaOperationError('EXA_TIMEOUT', 'EXAoperation did not answer within 30 s.', { endpoint: 'https://x/c1', object: 'cluster', method: 'getNodeList' });
    assert.equal(renderText(renderError(exa)), lines('✖ EXAoperation did not answer within 30 s.', '  EXAoperation cluster.getNodeList failed (EXA_TIMEOUT)'));
    assert.match(renderText(renderError(new AppError('UNKNOWN_DATABASE', "Cluster c1 has no database 'x'."))), /has no database 'x'/);
    const internal = new TypeError("Cannot read properties of undefined (reading 'password')");
    const text = renderText(renderError(internal));
    assert.equal(text, lines(`✖ ${INTERNAL_ERROR_TEXT}`));
    assert.doesNotMatch(text, /password|at .*\.ts/);
  });
});
