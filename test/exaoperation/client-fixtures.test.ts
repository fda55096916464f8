import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createExaOperationClient } from '../../src/exaoperation/client.js';
import { isExaOperationError, type ExaErrorCode } from '../../src/exaoperation/errors.js';
import { createTransport } from '../../src/exaoperation/transport.js';
import { startFixtureServer, xml, type FixtureReply } from '../helpers/fixture-server.js';

const PASSWORD = 'fixture-Pa55word!';
const okString =
  '<?xml version="1.0"?><methodResponse><params><param><value><string>OK</string></value></param></params></methodResponse>';

/** Which recorded answer the fake server gives: keyed by the method name in the request body. */
let answers: Record<string, FixtureReply> = {};
let server: Awaited<ReturnType<typeof startFixtureServer>>;

before(async () => {
  server = await startFixtureServer((request) => {
    const method = /<methodName>([^<]*)<\/methodName>/.exec(request.body)?.[1] ?? '';
    return answers[method] ?? xml('nil.xml');
  });
});
after(() => server.close());

function client(timeoutMs = 2000) {
  return createExaOperationClient(createTransport({ url: server.url, user: 'admin', password: PASSWORD, timeoutMs }));
}

async function expectCode(promise: Promise<unknown>, code: ExaErrorCode): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isExaOperationError(error), `expected an ExaOperationError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    assert.ok(!error.message.includes(PASSWORD), 'the password must never appear in an error message');
    assert.ok(!String(error.detail ?? '').includes(PASSWORD), 'nor in its detail');
    return error;
  }
  assert.fail(`expected ${code}, the call succeeded`);
}

describe('client against recorded answers', () => {
  it('sends Basic credentials as a header, never in the path, to the object URL of each context', async () => {
    answers = {
      getDatabaseState: xml('getDatabaseState-running.xml'),
      startEXAStorage: { kind: 'xml', body: okString },
    };
    server.requests.length = 0;
    const c = client();
    assert.deepEqual(await c.getDatabaseState('exa db/1'), { kind: 'running' });
    await c.startEXAStorage();
    await c.getNodeState('n0011').catch(() => undefined);
    await c.logEntries(2).catch(() => undefined);
    const [db, storage, node, log] = server.requests;
    assert.equal(db?.path, '/cluster1/db_exa%20db%2F1');
    assert.equal(storage?.path, '/cluster1/storage');
    assert.equal(node?.path, '/cluster1/n0011');
    assert.equal(log?.path, '/cluster1/logservice2');
    assert.equal(db?.headers.authorization, `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`);
    for (const r of server.requests) assert.ok(!r.path.includes(PASSWORD) && !r.path.includes('admin'));
  });

  it('parses lists, service pairs, structs with spaced keys and plugin pairs', async () => {
    answers = {
      getNodeList: xml('getNodeList.xml'),
      getServiceState: xml('getServiceState.xml'),
      getDatabaseInfo: xml('getDatabaseInfo.xml'),
      callPlugin: xml('callPlugin.xml'),
      getCurrentLicenseServer: xml('getCurrentLicenseServer.xml'),
      getNodeState: xml('getNodeState.xml'),
    };
    const c = client();
    assert.deepEqual(await c.getNodeList(), ['n0011', 'n0012', 'n0013', 'n0014']);
    assert.deepEqual(await c.getServiceState(), [
      { name: 'Loggingd', state: { kind: 'ok' } },
      { name: 'Lockd', state: { kind: 'ok' } },
      { name: 'Storaged', state: { kind: 'not-running' } },
      { name: 'DWAd', state: { kind: 'unknown', raw: 'degraded' } },
    ]);
    const info = await c.getDatabaseInfo('db1');
    assert.equal(info.connectionString, '10.50.1.11..14:2568');
    assert.deepEqual(info.state, { kind: 'setup' });
    assert.deepEqual(info.operation, { kind: 'idle' });
    assert.deepEqual(info.connection, { kind: 'rejecting' });
    assert.deepEqual(info.nodes.active, ['n0011', 'n0012']);
    assert.equal(info.raw['persistent volume'], 'v0000');
    assert.deepEqual(await c.callPlugin('Administration.vmware-tools', 'n0011', 'STATUS'), {
      status: 0,
      output: 'vmtoolsd is running',
    });
    assert.deepEqual(await c.getCurrentLicenseServer(), { number: 10, node: 'n0010' });
    const state = await c.getNodeState('n0011');
    assert.deepEqual(state.status, { kind: 'suspended' });
    assert.equal(state.raw['uptime'], 42);
  });

  it('keeps unknown values instead of dropping them', async () => {
    answers = {
      getDatabaseState: xml('getDatabaseState-unknown.xml'),
      getDatabaseOperation: xml('getDatabaseOperation-busy.xml'),
    };
    const c = client();
    assert.deepEqual(await c.getDatabaseState('exa_db1'), { kind: 'unknown', raw: 'Recovery' });
    assert.deepEqual(await c.getDatabaseOperation('exa_db1'), { kind: 'busy', raw: 'backup' });
  });

  it('reads log entries newest first from index 2, with unknown priorities kept', async () => {
    answers = { logEntries: xml('logEntries.xml') };
    const log = await client().logEntries(1);
    assert.deepEqual(log.header, [1042, 3]);
    assert.equal(log.entries.length, 3);
    assert.equal(log.entries[0]?.message, 'EXASolution exa_db1 is accepting connections.');
    assert.equal(log.entries[2]?.system, 'EXAClusterOS', 'an untyped <value> is a string');
    assert.deepEqual(log.entries[2]?.priority, { kind: 'unknown', raw: 'Critical' });
  });

  it('accepts <nil/> and <ex:nil/> for methods that return nothing', async () => {
    answers = { startDatabase: xml('nil.xml'), stopDatabase: xml('ex-nil.xml') };
    const c = client();
    assert.equal(await c.startDatabase('exa_db1'), undefined);
    assert.equal(await c.stopDatabase('exa_db1'), undefined);
  });

  it('treats a non-zero plugin status as a result, not an error', async () => {
    answers = { callPlugin: xml('callPlugin-failed.xml') };
    const result = await client().callPlugin('Administration.HP', 'n0011', 'RESTART');
    assert.equal(result.status, 256);
  });

  it('maps a Zope NotFound fault to EXA_NOT_FOUND naming the missing object', async () => {
    answers = { getDatabaseState: xml('fault-notfound.xml') };
    const error = await expectCode(client().getDatabaseState('wrongname'), 'EXA_NOT_FOUND');
    assert.match(error.message, /'db_wrongname'/);
    assert.match(error.message, /Check the database or node name/);
  });

  it('maps a UsageError fault to EXA_PRECONDITION_FAILED with EXAoperation’s reason', async () => {
    answers = { stopEXAStorage: xml('fault-usageerror.xml') };
    const error = await expectCode(client().stopEXAStorage(), 'EXA_PRECONDITION_FAILED');
    assert.equal(
      error.message,
      'EXAoperation refused stopEXAStorage on storage: Database exa_db1 is running. Stop all databases before stopping EXAStorage. Check the cluster state with /exa status.',
      'one full stop between EXAoperation’s reason and ours',
    );
  });

  it('maps other faults to EXA_FAULT and keeps the code and text', async () => {
    answers = { getNodeList: xml('fault-other.xml'), getDatabaseList: xml('fault-custom.xml') };
    const c = client();
    const zope = await expectCode(c.getNodeList(), 'EXA_FAULT');
    assert.match(zope.message, /ValueError: invalid literal/);
    const custom = await expectCode(c.getDatabaseList(), 'EXA_FAULT');
    assert.ok(isExaOperationError(custom));
    assert.deepEqual(custom.fault, { code: 42, exception: '', text: 'Some custom fault' });
    assert.match(custom.message, /Some custom fault\. Check EXAoperation's log \(\/exa logs\)/, 'says what to check');
  });

  it('maps HTTP 401 to EXA_AUTH_FAILED whatever the body', async () => {
    answers = { getNodeList: { kind: 'xml', body: '', status: 401 } };
    await expectCode(client().getNodeList(), 'EXA_AUTH_FAILED');
    answers = { getNodeList: xml('unauthorized.html', 401, 'text/html') };
    const error = await expectCode(client().getNodeList(), 'EXA_AUTH_FAILED');
    assert.match(error.message, /refused user 'admin' \(HTTP 401\)/);
  });

  it('maps other HTTP statuses to EXA_HTTP_ERROR with a hint', async () => {
    answers = { getNodeList: xml('html-200.html', 404, 'text/html') };
    const error = await expectCode(client().getNodeList(), 'EXA_HTTP_ERROR');
    assert.match(error.message, /HTTP 404.*cluster name/);
  });

  it('maps broken, truncated, HTML and wrong-shaped answers to EXA_MALFORMED_RESPONSE', async () => {
    const c = client();
    for (const name of ['truncated.xml', 'unknown-tag.xml', 'html-200.html']) {
      answers = { getNodeList: xml(name) };
      await expectCode(c.getNodeList(), 'EXA_MALFORMED_RESPONSE');
    }
    answers = { getNodeList: { kind: 'xml', body: '' } };
    await expectCode(c.getNodeList(), 'EXA_MALFORMED_RESPONSE');
    answers = { getNodeList: xml('wrong-shape-int.xml') };
    const error = await expectCode(c.getNodeList(), 'EXA_MALFORMED_RESPONSE');
    assert.match(error.message, /answered getNodeList on cluster with a number where a list of strings was expected/);
  });

  it('fails a call to a server that never answers within its timeout', async () => {
    answers = { getNodeList: { kind: 'hang' } };
    const started = performance.now();
    const error = await expectCode(client(300).getNodeList(), 'EXA_TIMEOUT');
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= 250 && elapsed < 2000, `timed out after ${Math.round(elapsed)} ms`);
    assert.match(error.message, /did not answer getNodeList on cluster within 0\.3 s/);
  });

  it('cancels a hanging call through its AbortSignal', async () => {
    answers = { getNodeList: { kind: 'hang' } };
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expectCode(client(10_000).getNodeList({ signal: controller.signal }), 'EXA_ABORTED');
    await expectCode(client().getNodeList({ signal: AbortSignal.abort() }), 'EXA_ABORTED');
  });

  it('reuses one keep-alive connection for a burst of sequential calls', async () => {
    answers = { getNodeList: xml('getNodeList.xml') };
    server.requests.length = 0;
    const c = client();
    for (let i = 0; i < 5; i += 1) await c.getNodeList();
    const ports = new Set(server.requests.map((r) => r.socketPort));
    assert.equal(ports.size, 1, `expected one connection, saw ${ports.size}`);
  });

  it('reports a refused connection as EXA_UNREACHABLE with what to check', async () => {
    const closed = await startFixtureServer(() => xml('nil.xml'));
    await closed.close();
    const c = createExaOperationClient(createTransport({ url: closed.url, user: 'admin', password: PASSWORD }));
    const error = await expectCode(c.getNodeList(), 'EXA_UNREACHABLE');
    assert.match(error.message, /ECONNREFUSED.*license server is powered on/);
  });
});
