// startFakeSlack(): one loopback HTTP server (Web API, response_url, Socket Mode upgrade) plus the
// in-process driver and query API that e2e tests use. Composition only; behaviour lives in the
// modules it wires together.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { clickButton, deliverEvent, slashCommand, type DriverDeps } from './driver.js';
import { FaultRegistry } from './faults.js';
import { attachRoutes } from './http-routes.js';
import { createTsClock } from './ids.js';
import { snapshot } from './json.js';
import { MessageStore, toFakeMessage } from './message-store.js';
import { snapshotView } from './modals.js';
import { RateLimiter } from './rate-limiter.js';
import { ResponseUrls } from './response-urls.js';
import { SocketModeServer } from './socket-mode.js';
import type { FakeState } from './state.js';
import { TriggerRegistry } from './triggers.js';
import { clickInHome, selectInView, submitView, typeInView } from './view-driver.js';
import type { FakeSlack, FakeSlackOptions } from './types.js';
import { waitFor } from './wait-for.js';
import { Workspace } from './workspace.js';

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;

  let timeOffsetMs = 0;
  const now = (): number => Date.now() + timeOffsetMs;
  const workspace = new Workspace(options);
  const socket = new SocketModeServer(`ws://127.0.0.1:${port}`, workspace.appId, now);
  const state: FakeState = {
    workspace,
    store: new MessageStore(now),
    faults: new FaultRegistry(),
    rateLimiter: new RateLimiter(options.rateLimits),
    triggers: new TriggerRegistry(now),
    tsClock: createTsClock(now),
    now,
    blockTextLimit: options.blockTextLimit === undefined ? 12_000 : options.blockTextLimit,
    mintSocketUrl: () => socket.mintUrl(),
    calls: [],
    views: [],
    homes: new Map(),
    deliveries: [],
  };
  const responseUrls = new ResponseUrls(state, baseUrl);
  attachRoutes(server, state, responseUrls, socket);

  let requestUrl: string | undefined;
  const deps: DriverDeps = {
    state,
    responseUrls,
    socket,
    requestUrl: () => requestUrl,
    ackTimeoutMs: options.ackTimeoutMs ?? 3000,
    httpGraceMs: options.httpGraceMs ?? 1000,
  };
  let closed = false;

  const fake: FakeSlack = {
    apiUrl: `${baseUrl}/api/`,
    baseUrl,
    teamId: workspace.teamId,
    teamDomain: workspace.teamDomain,
    appId: workspace.appId,
    botUserId: workspace.botUserId,
    botId: workspace.botId,
    botToken: workspace.botToken,
    appToken: workspace.appToken,
    signingSecret: workspace.signingSecret,

    addUser: (id, userOptions) => workspace.addUser(id, userOptions),
    addChannel: (id, channelOptions) => workspace.addChannel(id, channelOptions),
    addMember: (channel, user) => void workspace.requireChannel(channel).members.add(workspace.requireUser(user).id),
    removeMember: (channel, user) => void workspace.requireChannel(channel).members.delete(user),
    archiveChannel: (channel) => {
      workspace.requireChannel(channel).isArchived = true;
    },
    addUserGroup: (id, members, groupOptions) => workspace.addUserGroup(id, members, groupOptions?.handle),
    postAsUser: (user, channel, text, blocks = []) =>
      state.store.add({
        kind: 'message',
        channel: workspace.requireChannel(channel).id,
        ts: state.tsClock.next(),
        user: workspace.requireUser(user).id,
        text,
        blocks,
        attachments: [],
        via: 'driver',
      }).ts,

    setRequestUrl: (url) => {
      requestUrl = url;
    },
    slashCommand: (input) => slashCommand(deps, input),
    clickButton: (input) => clickButton(deps, input),
    deliverEvent: (input) => deliverEvent(deps, input),
    openHome: (user, via) => {
      const channel = workspace.imFor(workspace.requireUser(user).id);
      return deliverEvent(deps, { event: { type: 'app_home_opened', user, channel: channel?.id ?? '', tab: 'home', event_ts: state.tsClock.next() }, ...(via ? { via } : {}) });
    },
    sendDirectMessage: (user, text, via) => {
      const channel = workspace.imFor(workspace.requireUser(user).id);
      if (!channel) throw new Error(`fake Slack: no direct messages with ${user}`);
      const ts = fake.postAsUser(user, channel.id, text);
      const event = { type: 'message', channel: channel.id, user, text, ts, event_ts: ts, channel_type: 'im' };
      return deliverEvent(deps, { event, ...(via ? { via } : {}) });
    },

    isSocketConnected: () => socket.isConnected(),
    disconnect: (reason = 'refresh_requested') => socket.disconnect(reason),
    terminate: () => socket.terminate(),

    setRateLimiting: (setting) => state.rateLimiter.configure(setting),
    injectFault: (method, spec) => state.faults.add(method, spec),
    clearFaults: () => state.faults.clear(),
    advanceTime: (ms) => {
      timeOffsetMs += ms;
    },

    messages: (channel) => state.store.list((m) => m.kind === 'message' && m.channel === channel && !m.deleted).map(toFakeMessage),
    message: (channel, ts) => {
      const found = state.store.find(channel, ts);
      return found ? toFakeMessage(found) : undefined;
    },
    ephemerals: (user, channel) =>
      state.store
        .list((m) => m.kind === 'ephemeral' && (user === undefined || m.recipient === user) && (channel === undefined || m.channel === channel))
        .map(toFakeMessage),
    apiCalls: (method) => snapshot(state.calls.filter((c) => method === undefined || c.method === method)),
    deliveries: () => snapshot(state.deliveries),
    connections: () => socket.connections(),
    socketFrames: () => snapshot(socket.frames),
    views: () => state.views.map(snapshotView),
    view: (id) => {
      const found = state.views.find((v) => v.id === id);
      return found ? snapshotView(found) : undefined;
    },
    selectInView: (input) => selectInView(deps, input),
    typeInView: (input) => typeInView(deps, input),
    submitView: (input) => submitView(deps, input),
    clickInHome: (input) => clickInHome(deps, input),
    home: (user) => {
      const found = state.homes.get(user);
      return found ? snapshot(found) : undefined;
    },
    waitFor,

    reset: () => {
      state.calls.length = 0;
      state.views.length = 0;
      state.homes.clear();
      state.deliveries.length = 0;
      state.store.clear();
      state.triggers.clear();
      state.faults.clear();
      state.rateLimiter.configure(options.rateLimits ?? false);
      responseUrls.clear();
      socket.clearRecords();
      timeOffsetMs = 0;
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await socket.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  // Keep tokens and the signing secret out of assertion diffs and accidental console output.
  Object.defineProperty(fake, inspect.custom, { value: () => `FakeSlack { apiUrl: '${fake.apiUrl}', teamId: '${fake.teamId}' }` });
  return fake;
}
