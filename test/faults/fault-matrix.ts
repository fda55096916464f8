// The fault suite's engine. For one operation it first runs a clean pass to learn every call site
// (object.method) the operation really uses, in the order it uses them; then, for each site and
// each way EXAoperation can misbehave, it runs the operation again on a fresh simulator with that
// fault injected, through the real OperationService (real journal and audit files) and the real
// XML-RPC client, and checks the three things that must hold whatever went wrong.
import assert from 'node:assert/strict';
import type { OperationKind } from '../../src/lifecycle/operation-kind.js';
import type { OperationRecord } from '../../src/operations/operation-record.js';
import type { Simulator, SimulatorOptions } from '../../simulator/index.js';
import { createServiceFixture } from '../helpers/service-fixture.js';
import { mutatingCalls, SIM_PASSWORD, startSimCluster } from '../helpers/sim-cluster.js';

/** How EXAoperation can fail a call. */
export const FAULT_KINDS = ['refused', 'hang', 'fault', 'malformed', 'unauthorized'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface Scenario {
  readonly operation: OperationKind;
  /** The simulator's starting point (e.g. cold for a start-up). */
  readonly sim: Partial<SimulatorOptions>;
  /** True when the request waits for an approver (shut-downs, stops). */
  readonly approval: boolean;
  /** The state the operation is meant to reach; a "succeeded" outcome is only believed if the cluster is there. */
  readonly reachedGoal: (sim: Simulator) => boolean | Promise<boolean>;
}

export interface RunResult {
  /** Undefined when the request itself was refused (its dry run could not read the cluster). */
  readonly op: OperationRecord | undefined;
  readonly refusal: string | undefined;
  readonly sim: Simulator;
  readonly audit: ReadonlyArray<{ readonly action: string; readonly opId?: string; readonly detail?: string }>;
  readonly journal: ReadonlyArray<{ readonly type: string; readonly opId: string; readonly outcome?: string }>;
  /** Calls the simulator got while the operation ran, as object.method. */
  readonly sites: readonly string[];
  /** scenario.reachedGoal, asked the moment the operation ended. */
  readonly reachedGoal: boolean;
}

/** Short deadlines: each faulty case ends within about a second, so the matrix stays in CI's budget. */
const CALL_TIMEOUT_MS = 250;
const STEP_TIMEOUT_MS = 1200;

/** The profile of test/helpers/sim-cluster.ts with every wait deadline shortened. */
const TIMEOUTS = {
  exaoperationMs: STEP_TIMEOUT_MS,
  nodeBootMs: STEP_TIMEOUT_MS,
  storageMs: STEP_TIMEOUT_MS,
  databaseStartMs: STEP_TIMEOUT_MS,
  databaseStopMs: STEP_TIMEOUT_MS,
  nodeShutdownMs: STEP_TIMEOUT_MS,
};

export function inject(sim: Simulator, kind: FaultKind, site: string): void {
  switch (kind) {
    case 'refused':
      return sim.faults.refuseConnections(site);
    case 'hang':
      return sim.faults.hang(site);
    case 'fault':
      return sim.faults.fail(site, { message: `injected failure of ${site}` });
    case 'malformed':
      return sim.faults.malformed(site);
    case 'unauthorized':
      return sim.faults.unauthorized(site);
  }
}

/** How long an injected EXAoperation restart keeps it silent, in real time: well inside every step's deadline. */
const RESTART_REAL_MS = 300;

/** EXAoperation restarts as the call at `site` arrives (that call is lost), and is back by itself. */
export function restartAt(sim: Simulator, site: string): void {
  sim.faults.restartExaoperation(site, RESTART_REAL_MS / (1000 * sim.model.config.timeScale));
}

/** 'succeeded' or 'failed: <reason>' (or 'refused: <why>'), for reports of a case. */
export function outcomeOf(result: RunResult): string {
  if (result.op === undefined) return `refused: ${result.refusal ?? ''}`;
  const status = result.op.status;
  if (status.kind !== 'finished') return status.kind;
  return status.outcome.kind === 'failed' ? `failed: ${status.outcome.reason}` : status.outcome.kind;
}

/** Runs the scenario once, with `prepare` applied to the fresh simulator first. */
export async function runScenario(scenario: Scenario, prepare: (sim: Simulator) => void = () => undefined): Promise<RunResult> {
  const { sim, client, profile, stop } = await startSimCluster(scenario.sim, { timeouts: TIMEOUTS }, CALL_TIMEOUT_MS);
  const fixture = createServiceFixture(new Map([['cluster1', { client, profile }]]), {
    requireApprovalFor: new Set(scenario.approval ? [scenario.operation.kind] : []),
  });
  try {
    const first = sim.calls.length;
    prepare(sim);
    const request = await fixture.service.request({ cluster: 'cluster1', operation: scenario.operation, requestedBy: 'OPERATOR1', channel: 'C1' });
    assert.ok(request.kind === 'queued' || request.kind === 'awaiting-approval' || request.kind === 'refused', `request: ${JSON.stringify(request)}`);
    if (request.kind === 'awaiting-approval') {
      const approved = await fixture.service.approve(request.op.id, 'APPROVER1');
      assert.equal(approved.kind, 'approved');
    }
    await fixture.service.idle();
    const op = request.kind === 'refused' ? undefined : fixture.service.get(request.op.id);
    assert.ok(op || request.kind === 'refused', 'the operation is still known');
    const sites = sim.calls.slice(first).map((c) => `${c.object}.${c.method}`);
    return {
      op,
      refusal: request.kind === 'refused' ? request.message : undefined,
      sim,
      reachedGoal: await scenario.reachedGoal(sim),
      audit: fixture.audit.read(),
      journal: fixture.journal.read() as RunResult['journal'],
      sites,
    };
  } finally {
    await fixture.close();
    await stop();
  }
}

/** Whether the simulator's XML-RPC server accepts connections at all (it goes silent with the license server). */
export async function answers(sim: Simulator): Promise<boolean> {
  try {
    await fetch(sim.url, { method: 'POST', body: '', signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}

/** The distinct call sites of a clean run, in first-use order. */
export function distinctSites(sites: readonly string[]): string[] {
  return [...new Set(sites)];
}

/**
 * What must hold after any fault: no unsafe transition, a final state that is either a failure
 * with its reason or a success the cluster bears out, and an audit trail from request to end.
 */
export function assertSafeEnd(scenario: Scenario, result: RunResult, label: string): void {
  const { op, sim, audit, journal } = result;
  assert.deepEqual(sim.violations, [], `${label}: unsafe transitions`);
  if (op === undefined) {
    // Refused before it was queued (its dry run could not read the cluster): nothing may have
    // changed, the requester was told why, and the refusal is in the audit log.
    assert.ok((result.refusal ?? '').length > 20, `${label}: the refusal says why`);
    assert.deepEqual(mutatingCalls(sim), [], `${label}: a refused request changed the cluster`);
    const refused = audit.filter((e) => e.action === 'refused');
    assert.equal(refused.length, 1, `${label}: the refusal is audited`);
    assert.equal(refused[0]?.detail, result.refusal);
    return;
  }

  assert.equal(op.status.kind, 'finished', `${label}: operation ended`);
  const outcome = op.status.kind === 'finished' ? op.status.outcome : undefined;
  assert.ok(outcome && (outcome.kind === 'failed' || outcome.kind === 'succeeded'), `${label}: outcome ${JSON.stringify(outcome)}`);
  if (outcome.kind === 'failed') {
    assert.ok(outcome.reason.length > 20, `${label}: a failure says why (${outcome.reason})`);
    assert.doesNotMatch(outcome.reason, /unexpected error|undefined|\[object Object\]/, `${label}: ${outcome.reason}`);
    assert.ok(!outcome.reason.includes(SIM_PASSWORD), `${label}: the reason holds the password`);
  } else {
    assert.ok(result.reachedGoal, `${label}: reported success, but the cluster did not get there: ${JSON.stringify(sim.model.summary())}`);
  }

  // The audit trail: who asked, who approved, every step's outcome, and the end.
  const mine = audit.filter((e) => e.opId === op.id);
  const actions = mine.map((e) => e.action);
  assert.equal(actions[0], 'requested', `${label}: audit starts with the request`);
  if (scenario.approval) assert.equal(actions[1], 'approved', `${label}: the approval is audited`);
  assert.equal(actions.at(-1), 'finished', `${label}: audit ends with the outcome`);
  assert.match(mine.at(-1)?.detail ?? '', new RegExp(`^${outcome.kind}`), `${label}: the audited outcome`);
  const stepsEnded = journal.filter((r) => r.type === 'step' && r.opId === op.id && r.outcome !== 'started').length;
  assert.equal(actions.filter((a) => a === 'step').length, stepsEnded, `${label}: one audit entry per step outcome in the journal`);
  assert.ok(journal.some((r) => r.type === 'finished' && r.opId === op.id), `${label}: the journal closes the operation`);
}

/**
 * EXAoperation restarting at each call site in turn: every case ends safely, and a step that met
 * the restart runs again once EXAoperation answers, so the operation goes through. What may still
 * end it: the request's own dry run could not read the cluster (refused at once, with the reason),
 * or that dry run saw less than the run finds (the approved-plan check).
 */
export async function assertRestartsGoThrough(scenario: Scenario, sites: readonly string[]): Promise<void> {
  const outcomes: string[] = [];
  for (const site of sites) {
    const result = await runScenario(scenario, (sim) => restartAt(sim, site));
    assertSafeEnd(scenario, result, `restart at ${site}`);
    outcomes.push(`${site}: ${outcomeOf(result)}`);
  }
  for (const o of outcomes.filter((line) => !line.endsWith(': succeeded'))) {
    assert.match(o, /: (refused: Cannot reach EXAoperation|failed: Stopped here: step \d+ would now)/, o);
  }
  const ran = outcomes.filter((o) => !o.includes(': refused: '));
  assert.ok(ran.filter((o) => o.endsWith(': succeeded')).length >= ran.length / 2, outcomes.join('\n'));
}
