import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { fileControls } from '../../src/change-control/control-store.js';
import { Scheduler, type NoticeState } from '../../src/change-control/scheduler.js';
import type { ScheduleConfig } from '../../src/config/change-control-config.js';
import { silentLogger } from '../../src/logging/logger.js';
import { createAuditLog } from '../../src/operations/audit-log.js';
import type { RequestInput, RequestResult } from '../../src/operations/approval-workflow.js';
import { fileAudit } from '../../src/store/file-store.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { createServiceFixture, type ServiceFixture } from '../helpers/service-fixture.js';
import { mutatingCalls, startSimCluster, type SimCluster } from '../helpers/sim-cluster.js';

const at = (iso: string): number => Date.parse(iso);
const MONDAY_NOON = at('2026-12-07T12:00:00Z');

const nightlyStop: ScheduleConfig = {
  id: 'nightly-db-stop',
  cluster: 'cluster1',
  operation: { kind: 'database-stop', database: 'exa_db1' },
  cron: '0 20 * * 1-5',
  timeZone: 'Europe/Berlin',
  noticeMinutes: 15,
  channel: 'C0OPS',
  configuredBy: 'U0ADMIN',
  reason: 'nightly cost saving',
  waiveApproval: true,
};

interface Shown {
  readonly occurrence: string;
  readonly state: NoticeState['kind'];
  readonly detail: string;
}

let dirs: string[] = [];
let cluster: SimCluster | undefined;
let fixture: ServiceFixture | undefined;
let schedulers: Scheduler[] = [];
afterEach(async () => {
  for (const s of schedulers) await s.stop();
  await fixture?.close();
  await cluster?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
  schedulers = [];
  fixture = undefined;
  cluster = undefined;
});

function harness(options: { start: number; dataDir?: string; request?: (input: RequestInput) => Promise<RequestResult>; schedules?: readonly ScheduleConfig[] }) {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'exa-chatops-sched-'));
  if (!options.dataDir) dirs.push(dataDir);
  const clock = new ManualClock(options.start);
  const shown: Shown[] = [];
  const requests: RequestInput[] = [];
  const audit = createAuditLog(dataDir, clock);
  const scheduler = new Scheduler({
    schedules: options.schedules ?? [nightlyStop],
    store: fileControls(dataDir),
    audit: fileAudit(audit),
    clock,
    logger: silentLogger,
    request: async (input) => {
      requests.push(input);
      return options.request ? options.request(input) : { kind: 'refused', message: 'no service in this test' };
    },
    notices: {
      show: async (_schedule, occurrence, state) => {
        const detail = state.kind === 'upcoming' ? `due ${new Date(state.due).toISOString()}${state.snoozedBy ? ` by ${state.snoozedBy}` : ''}` : state.kind === 'skipped' ? state.by : state.kind === 'fired' ? state.result.kind : new Date(state.due).toISOString();
        shown.push({ occurrence: new Date(occurrence).toISOString(), state: state.kind, detail });
      },
    },
  });
  schedulers.push(scheduler);
  return { scheduler, clock, shown, requests, audit, dataDir };
}

describe('scheduled operations, with an injected clock', () => {
  it('a weekday stop: the notice 15 minutes before, a snooze by an hour, then the stop runs through the real queue, attributed to the schedule', async () => {
    cluster = await startSimCluster();
    fixture = createServiceFixture(new Map([['cluster1', { client: cluster.client, profile: cluster.profile }]]));
    const service = fixture.service;
    const { scheduler, clock, shown, requests } = harness({ start: MONDAY_NOON, request: (input) => service.request(input) });
    await scheduler.start();
    // Monday 20:00 in Berlin is 19:00 UTC; the notice goes out at 18:45 UTC.
    await clock.advanceTo(at('2026-12-07T18:44:00Z'));
    assert.equal(shown.length, 0);
    await clock.advanceTo(at('2026-12-07T18:45:00Z'));
    assert.deepEqual(shown, [{ occurrence: '2026-12-07T19:00:00.000Z', state: 'upcoming', detail: 'due 2026-12-07T19:00:00.000Z' }]);

    const snoozed = await scheduler.snooze('nightly-db-stop', at('2026-12-07T19:00:00Z'), 'U0OPERATOR');
    assert.equal(snoozed.kind, 'done');
    await clock.advanceTo(at('2026-12-07T19:59:00Z'));
    assert.equal(requests.length, 0, 'nothing runs at the old time');
    await clock.advanceTo(at('2026-12-07T20:00:00Z'));
    assert.equal(requests.length, 1);
    assert.deepEqual(requests[0]?.schedule, { id: 'nightly-db-stop', configuredBy: 'U0ADMIN', waiveApproval: true });
    assert.equal(requests[0]?.requestedBy, 'U0ADMIN');
    await service.idle();
    assert.deepEqual(mutatingCalls(cluster.sim), ['db_exa_db1.stopDatabase()']);
    assert.deepEqual(shown.map((s) => `${s.state} ${s.detail}`), ['upcoming due 2026-12-07T19:00:00.000Z', 'upcoming due 2026-12-07T20:00:00.000Z by U0OPERATOR', 'fired queued']);

    const audit = fixture.audit.read();
    const requested = audit.find((e) => e.action === 'requested');
    assert.equal(requested?.schedule, 'nightly-db-stop');
    assert.equal(requested?.scheduledBy, 'U0ADMIN');
    assert.equal(requested?.reason, 'nightly cost saving (schedule nightly-db-stop)');
  });

  it('skip tonight: the run does not happen, the next weekday is due as usual; an old notice cannot skip a later run', async () => {
    const { scheduler, clock, shown, requests, audit } = harness({ start: MONDAY_NOON });
    await scheduler.start();
    await clock.advanceTo(at('2026-12-07T18:50:00Z'));
    assert.equal((await scheduler.skip('nightly-db-stop', at('2026-12-07T19:00:00Z'), 'U0OPERATOR')).kind, 'done');
    await clock.advanceTo(at('2026-12-07T23:00:00Z'));
    assert.deepEqual(requests, []);
    assert.equal(scheduler.list('cluster1')[0]?.next, at('2026-12-08T19:00:00Z'));
    // The Monday notice's buttons, clicked on Tuesday, name Monday's run: refused.
    assert.equal((await scheduler.skip('nightly-db-stop', at('2026-12-07T19:00:00Z'), 'U0OPERATOR')).kind, 'refused');
    await clock.advanceTo(at('2026-12-08T19:00:00Z'));
    assert.equal(requests.length, 1, 'Tuesday runs');
    assert.deepEqual(shown.map((s) => s.state), ['upcoming', 'skipped', 'upcoming', 'fired']);
    assert.ok(audit.read().some((e) => e.action === 'skipped' && e.actor === 'U0OPERATOR' && e.schedule === 'nightly-db-stop'));
  });

  it('runs missed while the bot was down are reported, never run late; a snooze and a skip survive the restart', async () => {
    const first = harness({ start: MONDAY_NOON });
    await first.scheduler.start();
    await first.clock.advanceTo(at('2026-12-07T18:50:00Z'));
    await first.scheduler.snooze('nightly-db-stop', at('2026-12-07T19:00:00Z'), 'U0OPERATOR');
    // A restart in between reads the snooze back: the run is still due an hour later.
    const between = harness({ start: at('2026-12-07T18:55:00Z'), dataDir: first.dataDir });
    await between.scheduler.start();
    assert.equal(between.scheduler.list(undefined)[0]?.next, at('2026-12-07T20:00:00Z'));
    assert.match(between.scheduler.list(undefined)[0]?.note ?? '', /snoozed by U0OPERATOR/);
    await between.scheduler.stop();
    await first.scheduler.skip('nightly-db-stop', at('2026-12-07T19:00:00Z'), 'U0OTHER');
    await first.scheduler.stop();

    // The bot is down until Wednesday 19:30 UTC: Monday's run was skipped, Tuesday's and Wednesday's were missed.
    const second = harness({ start: at('2026-12-09T19:30:00Z'), dataDir: first.dataDir });
    await second.scheduler.start();
    assert.deepEqual(second.requests, [], 'nothing is run late');
    assert.deepEqual(second.shown.map((s) => `${s.state} ${s.occurrence}`), ['missed 2026-12-08T19:00:00.000Z', 'missed 2026-12-09T19:00:00.000Z']);
    const missed = second.audit.read().filter((e) => e.action === 'missed');
    assert.equal(missed.length, 2);
    assert.match(missed[0]?.detail ?? '', /missed: the bot was not running; not run late/);
    // Thursday runs as usual.
    await second.clock.advanceTo(at('2026-12-10T19:00:00Z'));
    assert.equal(second.requests.length, 1);

    // A third start knows all of it was dealt with: nothing is reported twice.
    await second.scheduler.stop();
    const third = harness({ start: at('2026-12-10T19:30:00Z'), dataDir: first.dataDir });
    await third.scheduler.start();
    assert.deepEqual(third.shown, []);
  });

  it('a run whose host slept past its time is missed, not run late', async () => {
    const { scheduler, clock, requests, shown } = harness({ start: MONDAY_NOON });
    await scheduler.start();
    await clock.advanceTo(at('2026-12-07T18:45:00Z'));
    // The loop sleeps until 19:00; it wakes at 19:30 (a suspended VM).
    clock.jumpTo(at('2026-12-07T19:30:00Z'));
    await clock.advanceTo(at('2026-12-07T19:30:00Z'));
    assert.deepEqual(requests, []);
    assert.equal(shown.at(-1)?.state, 'missed');
  });

  it('a refused run (a freeze, a hold, a conflict) is shown with why, and not tried again', async () => {
    const { scheduler, clock, requests, shown } = harness({ start: MONDAY_NOON, request: async () => ({ kind: 'refused', message: 'cluster1 is frozen by a hold set by U0DBA (migration) until …' }) });
    await scheduler.start();
    await clock.advanceTo(at('2026-12-07T19:00:00Z'));
    await clock.advanceTo(at('2026-12-07T22:00:00Z'));
    assert.equal(requests.length, 1);
    assert.deepEqual(shown.map((s) => `${s.state} ${s.detail}`).slice(-1), ['fired refused']);
  });
});

describe('scheduled operations: races and long outages', () => {
  it('a Snooze clicked while the run is being requested is refused, not answered as if it moved the run', async () => {
    let release: (r: RequestResult) => void = () => undefined;
    const pending = new Promise<RequestResult>((resolve) => (release = resolve));
    const { scheduler, clock, requests } = harness({ start: MONDAY_NOON, request: () => pending });
    await scheduler.start();
    await clock.advanceTo(at('2026-12-07T19:00:00Z'));
    assert.equal(requests.length, 1, 'the run is being requested');
    const snoozed = await scheduler.snooze('nightly-db-stop', at('2026-12-07T19:00:00Z'), 'U0OPERATOR');
    assert.match(snoozed.kind === 'refused' ? snoozed.message : '', /being started or changed right now/);
    release({ kind: 'refused', message: 'test' });
    await clock.advance(1);
    assert.equal((await scheduler.snooze('nightly-db-stop', at('2026-12-07T19:00:00Z'), 'U0OPERATOR')).kind, 'refused', 'it ran: nothing left to snooze');
  });

  it('after a long outage the first missed runs are reported one by one, the rest settled without a flood of notices', async () => {
    const first = harness({ start: MONDAY_NOON });
    await first.scheduler.start();
    await first.scheduler.stop();
    const second = harness({ start: at('2026-12-28T12:00:00Z'), dataDir: first.dataDir });
    await second.scheduler.start();
    assert.equal(second.shown.filter((s) => s.state === 'missed').length, 5);
    assert.equal(second.shown.filter((s) => s.state === 'upcoming').length, 0, 'no notice for a run long past');
    assert.equal(second.requests.length, 0);
    assert.equal(second.scheduler.list(undefined)[0]?.next, at('2026-12-28T19:00:00Z'));
  });
});
