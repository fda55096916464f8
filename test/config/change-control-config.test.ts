import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load-config.js';

const dir = mkdtempSync(join(tmpdir(), 'exa-cc-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, value: string, mode = 0o600): string {
  const path = join(dir, name);
  writeFileSync(path, value);
  chmodSync(path, mode);
  return path;
}

const base = (changeControl: unknown): NodeJS.ProcessEnv => ({
  SLACK_BOT_TOKEN_FILE: file('bot', 'xoxb-123-abc\n'),
  SLACK_APP_TOKEN_FILE: file('app', 'xapp-1-abc\n'),
  EXA_URL: 'https://10.0.0.10/prod',
  EXA_USER: 'chatops',
  EXA_PASSWORD_FILE: file('exa', 'exa-secret-pw\n'),
  EXA_OPERATORS: 'U0OP1',
  EXA_APPROVERS: 'U0AP1',
  EXA_ALLOWED_CHANNELS: 'C0OPS',
  EXA_NOTIFY_CHANNEL: 'C0OPS',
  EXA_CHANGE_CONTROL_FILE: file('cc.json', JSON.stringify(changeControl)),
});

const schedule = { id: 'nightly', cluster: 'prod', operation: 'cluster-shutdown', cron: '0 20 * * 1-5', timeZone: 'Europe/Berlin', configuredBy: 'U0ADMIN', reason: 'cost' };

describe('EXA_CHANGE_CONTROL_FILE', () => {
  it('reads approval rules, freeze windows and schedules', () => {
    const config = loadConfig(
      base({
        approvalRules: [{ clusters: ['prod'], operations: ['cluster-shutdown'], approvals: 2, from: ['S0DBA', 'U0LEAD'] }],
        freezes: [{ name: 'weekend', clusters: ['prod'], from: 'Fri 18:00', to: 'Mon 06:00', timeZone: 'Europe/Berlin', reason: 'weekend freeze' }],
        schedules: [{ ...schedule, waiveApproval: true }],
      }),
    );
    assert.deepEqual(config.approval.rules, [{ clusters: ['prod'], operations: ['cluster-shutdown'], approvals: 2, from: [{ kind: 'group', id: 'S0DBA' }, { kind: 'user', id: 'U0LEAD' }] }]);
    assert.deepEqual(config.changeControl.freezes[0], {
      name: 'weekend',
      clusters: ['prod'],
      operations: ['cluster-shutdown', 'database-stop', 'storage-stop'],
      timeZone: 'Europe/Berlin',
      reason: 'weekend freeze',
      kind: 'weekly',
      from: 5 * 1440 + 18 * 60,
      to: 1 * 1440 + 6 * 60,
    });
    assert.deepEqual(config.changeControl.schedules[0], { ...schedule, operation: { kind: 'cluster-shutdown' }, noticeMinutes: 15, channel: 'C0OPS', waiveApproval: true });
  });

  it('lists every mistake at once, each with where it is and what to write', () => {
    const env = base({
      approvalRules: [{ clusters: ['prdo'], approvals: 3, from: ['U0A', 'U0B'] }],
      freezes: [{ from: 'Fri 18:00', to: 'Mon 06:00', timeZone: 'Europe/Berln', reason: 'x' }],
      schedules: [
        { ...schedule, cron: '61 20 * * *' },
        { ...schedule, id: 'db', operation: 'database-stop' },
        { ...schedule, id: 'nightly' },
      ],
    });
    const message = (() => {
      try {
        loadConfig(env);
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    assert.match(message, /approval rule 1 "clusters" names unknown cluster 'prdo' \(did you mean prod\?\)/);
    assert.match(message, /approval rule 1 needs 3 approvals but "from" lists only 2 user\(s\): nothing could ever be approved/);
    assert.match(message, /freeze 1: "timeZone" 'Europe\/Berln' is not an IANA time zone/);
    assert.match(message, /schedule 1 \('nightly'\): "cron" '61 20 \* \* \*' is not a cron expression/);
    assert.match(message, /schedule 2 \('db'\): a database-stop needs "database"/);
    assert.match(message, /schedule 3 \('nightly'\): the id 'nightly' is used twice/);
  });

  it('refuses unknown keys with the nearest known one, and a waived approval on a critical shut-down', () => {
    const typo = () => loadConfig(base({ schedules: [{ ...schedule, waiveAproval: true }] }));
    assert.throws(typo, /unknown key "waiveAproval" \(did you mean waiveApproval\?\)/);
    const critical = () => loadConfig({ ...base({ schedules: [{ ...schedule, waiveApproval: true }] }), EXA_CRITICAL_CLUSTERS: 'prod' });
    assert.throws(critical, /cluster prod is critical, so its shut-down is always approved by someone typing its name; "waiveApproval" cannot apply/);
  });

  it('warns when "from" lists exactly as many users as approvals (a listed requester or a break-glass request could never be approved)', () => {
    const config = loadConfig(base({ approvalRules: [{ approvals: 2, from: ['U0A', 'U0B'] }] }));
    assert.ok(config.warnings.some((w) => /lists exactly 2 users: a request by one of them, or a break-glass request/.test(w)), config.warnings.join('\n'));
  });

  it('a schedule needs a channel for its notice', () => {
    const env = { ...base({ schedules: [schedule] }), EXA_NOTIFY_CHANNEL: '' };
    assert.throws(() => loadConfig(env), /has no "channel" and cluster prod no notifyChannel/);
  });
});
