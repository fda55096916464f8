import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { activeFreeze, localWeekMinute, parseWindowTimes, type FreezeWindow } from '../../src/change-control/freeze-calendar.js';
import { applyRecord, cronOf, emptyState, missedSince, upcoming } from '../../src/change-control/schedule-plan.js';

const weekend = (): FreezeWindow => {
  const times = parseWindowTimes('Fri 18:00', 'Mon 06:00', 'Europe/Berlin');
  if (typeof times === 'string') assert.fail(times);
  return { name: 'weekend', clusters: ['prod'], operations: ['cluster-shutdown'], timeZone: 'Europe/Berlin', reason: 'weekend freeze', ...times };
};
const at = (iso: string): number => Date.parse(iso);

describe('freeze windows', () => {
  it('a weekly window holds the same wall-clock hours in winter and in summer (Europe/Berlin)', () => {
    const w = [weekend()];
    // Winter (CET, UTC+1): Fri 18:00 local is 17:00 UTC.
    assert.equal(activeFreeze(w, 'prod', 'cluster-shutdown', at('2026-01-16T16:59:00Z')), undefined);
    assert.ok(activeFreeze(w, 'prod', 'cluster-shutdown', at('2026-01-16T17:00:00Z')));
    // Summer (CEST, UTC+2): Fri 18:00 local is 16:00 UTC.
    assert.ok(activeFreeze(w, 'prod', 'cluster-shutdown', at('2026-07-17T16:00:00Z')));
    assert.equal(activeFreeze(w, 'prod', 'cluster-shutdown', at('2026-07-17T15:59:00Z')), undefined);
    // Other clusters and other operations are not frozen by it.
    assert.equal(activeFreeze(w, 'test', 'cluster-shutdown', at('2026-07-18T12:00:00Z')), undefined);
    assert.equal(activeFreeze(w, 'prod', 'cluster-startup', at('2026-07-18T12:00:00Z')), undefined);
  });

  it('over the spring change (29 Mar 2026, 02:00 → 03:00) it ends at Mon 06:00 CEST, and says so as an instant', () => {
    // Fri 27 Mar 18:00 CET (17:00 UTC) to Mon 30 Mar 06:00 CEST (04:00 UTC): the weekend has 59 hours.
    const found = activeFreeze([weekend()], 'prod', 'cluster-shutdown', at('2026-03-29T01:30:00Z'));
    assert.equal(found?.until, at('2026-03-30T04:00:00Z'));
    assert.ok(activeFreeze([weekend()], 'prod', 'cluster-shutdown', at('2026-03-30T03:59:00Z')));
    assert.equal(activeFreeze([weekend()], 'prod', 'cluster-shutdown', at('2026-03-30T04:00:00Z')), undefined);
  });

  it('over the autumn change (25 Oct 2026, 03:00 → 02:00) it ends at Mon 06:00 CET', () => {
    const found = activeFreeze([weekend()], 'prod', 'cluster-shutdown', at('2026-10-24T12:00:00Z'));
    assert.equal(found?.until, at('2026-10-26T05:00:00Z'));
    // The hour that happens twice (02:00–03:00 local) is inside the window both times.
    assert.ok(activeFreeze([weekend()], 'prod', 'cluster-shutdown', at('2026-10-25T00:30:00Z')));
    assert.ok(activeFreeze([weekend()], 'prod', 'cluster-shutdown', at('2026-10-25T01:30:00Z')));
    assert.equal(localWeekMinute(at('2026-10-25T00:30:00Z'), 'Europe/Berlin'), localWeekMinute(at('2026-10-25T01:30:00Z'), 'Europe/Berlin'));
  });

  it('a dated window in a zone, and times that cannot be a window, with what to write instead', () => {
    const times = parseWindowTimes('2026-12-21 00:00', '2027-01-04 06:00', 'Europe/Berlin');
    assert.deepEqual(times, { kind: 'dated', fromAt: at('2026-12-20T23:00:00Z'), toAt: at('2027-01-04T05:00:00Z') });
    assert.match(String(parseWindowTimes('Fri 18:00', 'Mon 06:00', 'Europe/Berln')), /not an IANA time zone/);
    assert.match(String(parseWindowTimes('Friday 6pm', 'Mon 06:00', 'UTC')), /weekly times like "Fri 18:00"/);
    assert.match(String(parseWindowTimes('Fri 18:00', 'Fri 18:00', 'UTC')), /the same time/);
    assert.match(String(parseWindowTimes('2027-01-04 06:00', '2026-12-21 00:00', 'UTC')), /must come after/);
    assert.match(String(parseWindowTimes('Fro 18:00', 'Mon 06:00', 'UTC')), /days of the week/);
    assert.match(String(parseWindowTimes('2026-02-30 00:00', '2026-03-04 00:00', 'UTC')), /not a real date and time/);
  });
});

describe('schedule occurrences', () => {
  const weekdays = cronOf({ cron: '0 20 * * 1-5', timeZone: 'Europe/Berlin' });

  it('weekdays at 20:00 Berlin time: 18:00 UTC before the autumn change, 19:00 UTC after; no run at the weekend', () => {
    const state = emptyState();
    state.settledThrough = at('2026-10-23T12:00:00Z'); // Friday
    const fri = upcoming(weekdays, state, state.settledThrough);
    assert.equal(fri?.due, at('2026-10-23T18:00:00Z'));
    state.settledThrough = fri!.occurrence;
    assert.equal(upcoming(weekdays, state, state.settledThrough)?.due, at('2026-10-26T19:00:00Z'));
  });

  it('a run at a local time the spring change skips moves to the first valid time (croner), and happens once', () => {
    const nightly = cronOf({ cron: '30 2 * * *', timeZone: 'Europe/Berlin' });
    const state = emptyState();
    state.settledThrough = at('2026-03-28T12:00:00Z');
    const sunday = upcoming(nightly, state, state.settledThrough);
    assert.equal(sunday?.due, at('2026-03-29T01:00:00Z')); // 03:00 CEST, when the skipped hour ends: 02:30 does not exist that night
    state.settledThrough = sunday!.occurrence;
    assert.equal(upcoming(nightly, state, state.settledThrough)?.due, at('2026-03-30T00:30:00Z'));
  });

  it('snoozes move when a run is due, skips mark it, and runs missed while down are found (skipped ones among them)', () => {
    const state = emptyState();
    applyRecord(state, { type: 'settled', schedule: 's', through: at('2026-12-07T12:00:00Z'), at: 0 });
    const monday = at('2026-12-07T19:00:00Z');
    applyRecord(state, { type: 'snooze', schedule: 's', occurrence: monday, until: monday + 3600_000, by: 'U1', at: 0 });
    assert.deepEqual(upcoming(weekdays, state, monday), { occurrence: monday, due: monday + 3600_000, snoozedBy: 'U1' });
    const tuesday = at('2026-12-08T19:00:00Z');
    applyRecord(state, { type: 'skip', schedule: 's', occurrence: tuesday, by: 'U2', at: 0 });
    // Down from Monday noon to Thursday noon: Monday (snoozed), Tuesday (skipped) and Wednesday passed.
    const missed = missedSince(weekdays, state, at('2026-12-10T12:00:00Z'));
    assert.deepEqual(missed.map((m) => [new Date(m.due).toISOString(), m.skippedBy ?? '']), [
      ['2026-12-07T20:00:00.000Z', ''],
      ['2026-12-08T19:00:00.000Z', 'U2'],
      ['2026-12-09T19:00:00.000Z', ''],
    ]);
  });
});
