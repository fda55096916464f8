// Issue 12: the way out to Slack through an outbound proxy (HTTPS_PROXY/HTTP_PROXY, NO_PROXY), for
// the Web API and the Socket Mode WebSocket; and a start-up that cannot reach Slack says which
// host it tried and how the way out is set up.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createBot } from '../../src/bot.js';
import { loadConfig } from '../../src/config/load-config.js';
import { startConnectProxy, type ConnectProxy } from '../helpers/connect-proxy.js';
import { CHANNELS, recordingLogger, startStack, USERS, type Stack } from './harness.js';

for (const mode of ['socket', 'http'] as const) {
  describe(`Slack through an outbound proxy (${mode === 'socket' ? 'Socket Mode' : 'HTTP mode'})`, () => {
    let proxy: ConnectProxy;
    let stack: Stack;
    before(async () => {
      proxy = await startConnectProxy();
      stack = await startStack({ mode, env: { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url } });
    });
    after(async () => {
      await stack.close();
      await proxy.close();
    });

    it('reaches Slack only through the proxy, and works', async () => {
      const slackHost = new URL(stack.fake.apiUrl).host;
      assert.ok(proxy.targets.includes(slackHost), `the proxy saw ${proxy.targets.join(', ')}`);
      const status = await stack.fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'status' });
      assert.equal(status.outcome, 'ok');
      await stack.fake.waitFor(() => stack.fake.messages(CHANNELS.ops).length > 0 || stack.fake.ephemerals(USERS.op).length > 0 || undefined, 3000, 'the answer');
      const simHost = new URL(stack.sim.url).host;
      assert.ok(!proxy.targets.includes(simHost), 'EXAoperation is not reached through the Slack proxy');
    });
  });
}

describe('a start-up that cannot reach Slack', () => {
  it('names the host it tried and the proxy settings', async () => {
    // A port nothing listens on (fetch refuses well-known ones like 9 outright).
    const { createServer } = await import('node:net');
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const env = {
      SLACK_BOT_TOKEN: 'xoxb-1-test',
      SLACK_SIGNING_SECRET: 'signing-secret-test',
      SLACK_API_URL: `http://127.0.0.1:${port}/api/`,
      SLACK_TEAM_ID: 'T0TEST',
      PORT: '0',
      EXA_URL: 'http://127.0.0.1:9/cluster1',
      EXA_USER: 'admin',
      EXA_PASSWORD: 'exa-test-password',
      EXA_OPERATORS: 'U0OP',
      EXA_APPROVERS: 'U0APP',
      EXA_ALLOWED_CHANNELS: '*',
      DATA_DIR: (await import('node:fs')).mkdtempSync(`${(await import('node:os')).tmpdir()}/exa-unreachable-`),
    };
    const bot = createBot(loadConfig(env), { logger: recordingLogger(), host: '127.0.0.1', drainMs: 0 });
    // The Web API client's retry back-off (about 7 s here) may hold no ref'd handle, and node:test
    // would end this file while the start is pending; a ref'd timer keeps the loop alive meanwhile.
    const alive = setInterval(() => undefined, 1000);
    try {
      await assert.rejects(bot.start(), new RegExp(`Cannot reach Slack at 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\), tried directly; if this host reaches the internet only through a proxy, set HTTPS_PROXY`));
    } finally {
      clearInterval(alive);
      await bot.stop(0).catch(() => undefined);
    }
  });
});
