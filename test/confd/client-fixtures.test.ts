// The ConfD client against exact bytes over real HTTPS: two "nodes" on loopback, of which one
// is the master. Recorded answers (not our serializer) so the client meets ConfD's shapes as the
// reference gives them, and the broken ones it must survive.
import assert from 'node:assert/strict';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { selfSignedCertificate, type TlsMaterial } from '../../simulator/server/tls.js';
import { readConfdSnapshot } from '../../src/backend/confd-snapshot.js';
import { createConfdClient } from '../../src/confd/client.js';
import { parseMasterAddress, resolveConfdEndpoint } from '../../src/confd/endpoint.js';
import { isConfdError } from '../../src/confd/errors.js';
import { backupProgress, databaseState } from '../../src/confd/parse.js';
import { createConfdTransport } from '../../src/confd/transport.js';

const PASSWORD = 'confd-fixture-pw';

interface Node {
  readonly port: number;
  readonly posts: { readonly path: string; readonly body: string; readonly authorization: string | undefined }[];
  master: () => string;
  answer: (body: string) => { status: number; body: string; headers?: Record<string, string> };
  close(): Promise<void>;
}

const xml = (value: string): string => `<?xml version="1.0"?><methodResponse><params><param><value>${value}</value></param></params></methodResponse>`;
const struct = (members: Record<string, string>): string =>
  `<struct>${Object.entries(members).map(([k, v]) => `<member><name>${k}</name><value>${v}</value></member>`).join('')}</struct>`;
const ok = (output?: string): string =>
  xml(struct({ result_code: '<int>0</int>', result_name: '<string>OK</string>', result_desc: '<string>Success</string>', result_jobid: '<string>12.2</string>', ...(output === undefined ? {} : { result_output: output }) }));
const fault = (code: number, text: string): string =>
  `<?xml version="1.0"?><methodResponse><fault><value>${struct({ faultCode: `<int>${code}</int>`, faultString: `<string>${text}</string>` })}</value></fault></methodResponse>`;

async function startNode(tls: TlsMaterial): Promise<Node> {
  const posts: Node['posts'][number][] = [];
  const node: Partial<Node> & { posts: typeof posts } = { posts, master: () => '127.0.0.1', answer: () => ({ status: 200, body: ok() }) };
  const server = https.createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'GET' && req.url === '/master') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(node.master?.() ?? '');
        return;
      }
      const body = Buffer.concat(chunks).toString('utf8');
      posts.push({ path: req.url ?? '', body, authorization: req.headers.authorization });
      const answer = (node.answer as Node['answer'])(body);
      res.writeHead(answer.status, { 'content-type': 'text/xml', ...answer.headers });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(node, {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  }) as Node;
}

describe('ConfD client over HTTPS (fixture nodes)', () => {
  let tls: TlsMaterial;
  let a: Node;
  let b: Node;
  const client = (url = `https://127.0.0.1:${a.port}`) =>
    createConfdClient(createConfdTransport({ url, user: 'admin', password: PASSWORD, timeoutMs: 3000, tls: { caPem: tls.cert } }));

  before(async () => {
    tls = await selfSignedCertificate('127.0.0.1');
    a = await startNode(tls);
    b = await startNode(tls);
  });
  after(async () => {
    await a.close();
    await b.close();
  });
  beforeEach(() => {
    a.posts.length = 0;
    b.posts.length = 0;
    // b is the master; a (the configured node) answers every RPC with 302, as a non-master does.
    a.master = () => `127.0.0.1:${b.port}`;
    b.master = () => `127.0.0.1:${b.port}`;
    a.answer = () => ({ status: 302, body: '', headers: { location: `https://127.0.0.1:${b.port}/` } });
    b.answer = () => ({ status: 200, body: ok('<string>running</string>') });
  });

  it('asks the configured node for the master, then calls job_exec there with Basic auth and the published call shape', async () => {
    const c = client();
    assert.deepEqual(await c.dbState('DB1'), { kind: 'running' });
    assert.equal(a.posts.length, 0, 'no RPC goes to a node that is not the master');
    assert.equal(b.posts.length, 1);
    const post = b.posts[0];
    assert.equal(post?.path, '/');
    assert.equal(post?.authorization, `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`);
    assert.match(post?.body ?? '', /<methodName>job_exec<\/methodName>/);
    assert.match(post?.body ?? '', /<string>db_state<\/string>.*<name>params<\/name>.*<name>db_name<\/name><value><string>DB1<\/string>/s);
  });

  it('a job without parameters is called with the job name only', async () => {
    b.answer = () => ({ status: 200, body: ok('<array><data><value><string>DB1</string></value></data></array>') });
    assert.deepEqual(await client().dbList(), ['DB1']);
    assert.doesNotMatch(b.posts[0]?.body ?? '', /<name>params<\/name>/);
    assert.equal((b.posts[0]?.body.match(/<param>/g) ?? []).length, 1);
  });

  it('follows the master when it moves: a 302 makes it ask again and send the call once more', async () => {
    const c = client();
    await c.dbState('DB1');
    // The master moves to a: b now answers 302, /master names a.
    a.master = () => `127.0.0.1:${a.port}`;
    b.answer = () => ({ status: 302, body: '' });
    a.answer = () => ({ status: 200, body: ok('<string>setup</string>') });
    assert.deepEqual(await c.dbState('DB1'), { kind: 'setup' });
    assert.equal(a.posts.length, 1);
  });

  it('a 302 again after asking again is CONFD_NOT_MASTER, which a wait takes for "not yet"', async () => {
    b.answer = () => ({ status: 302, body: '' });
    await assert.rejects(client().dbState('DB1'), (error: unknown) => isConfdError(error, 'CONFD_NOT_MASTER'));
  });

  it('keeps the three error classes apart: a job that failed, a fault, an HTTP 401', async () => {
    b.answer = () => ({
      status: 200,
      body: xml(struct({ result_code: '<int>1</int>', result_name: '<string>ERROR</string>', result_desc: '<string>Database DB1 is not running</string>', result_jobid: '<string>12.11</string>' })),
    });
    await assert.rejects(client().dbStop('DB1'), (error: unknown) => {
      assert.ok(isConfdError(error, 'CONFD_JOB_FAILED'));
      assert.equal(error.message, 'ConfD job db_stop failed: ERROR: Database DB1 is not running. (job 12.11)');
      assert.deepEqual(error.job, { resultCode: 1, resultName: 'ERROR', resultDesc: 'Database DB1 is not running', jobId: '12.11', output: undefined });
      return true;
    });
    b.answer = () => ({ status: 200, body: fault(1, 'Unknown job: db_stat') });
    await assert.rejects(client().job('db_stat'), (error: unknown) => isConfdError(error, 'CONFD_FAULT') && /Unknown job: db_stat/.test(error.message));
    b.answer = () => ({ status: 401, body: 'Unauthorized' });
    await assert.rejects(client().dbList(), (error: unknown) => {
      assert.ok(isConfdError(error, 'CONFD_AUTH_FAILED'));
      assert.ok(!error.message.includes(PASSWORD) && !(error.detail ?? '').includes(PASSWORD));
      return true;
    });
  });

  it('an answer that is not a job result is CONFD_MALFORMED_RESPONSE, naming the job', async () => {
    b.answer = () => ({ status: 200, body: xml('<string>running</string>') });
    await assert.rejects(client().dbState('DB1'), (error: unknown) => isConfdError(error, 'CONFD_MALFORMED_RESPONSE') && /db_state/.test(error.message));
  });

  it('refuses an untrusted certificate (no CA given)', async () => {
    const c = createConfdClient(createConfdTransport({ url: `https://127.0.0.1:${a.port}`, user: 'admin', password: PASSWORD, timeoutMs: 3000 }));
    await assert.rejects(c.dbList(), (error: unknown) => isConfdError(error, 'CONFD_TLS_UNTRUSTED'));
  });

  it('a status read keeps what it could read when node_state is refused to this user', async () => {
    b.answer = (body) => {
      if (body.includes('<string>node_state</string>')) {
        return { status: 200, body: xml(struct({ result_code: '<int>1</int>', result_name: '<string>EPERM</string>', result_desc: '<string>Permission denied for user dbadmin</string>' })) };
      }
      if (body.includes('<string>db_list</string>')) return { status: 200, body: ok('<array><data><value><string>DB1</string></value></data></array>') };
      if (body.includes('<string>st_volume_list</string>')) {
        return { status: 200, body: ok(`<array><data><value>${struct({ name: '<string>DataVolume1</string>', state: '<string>ONLINE</string>', redundancy: '<int>2</int>' })}</value></data></array>`) };
      }
      return {
        status: 200,
        body: ok(struct({ state: '<string>running</string>', operation: '<string>None</string>', connectible: '<string>Yes</string>', 'connection string': '<string>10.0.0.11..13:8563</string>' })),
      };
    };
    const snapshot = await readConfdSnapshot(client());
    assert.equal(snapshot.service, 'ConfD');
    assert.deepEqual(snapshot.nodes, []);
    assert.deepEqual(snapshot.unreadable, [{ part: 'nodes', why: 'no permission (ConfD said EPERM: Permission denied for user dbadmin)' }]);
    assert.equal(snapshot.databases[0]?.connection.kind, 'accepting');
    assert.equal(snapshot.storageOnline, true);
  });
});

describe('ConfD settings and shapes', () => {
  it('refuses http://, credentials in the URL and an empty password, all at once', () => {
    assert.throws(
      () => resolveConfdEndpoint({ url: 'http://admin:pw@10.0.0.11:20003', user: 'admin', password: '' }),
      (error: Error) =>
        error.message.includes('contains credentials') && error.message.includes('must start with https://') && error.message.includes('password is empty') && !error.message.includes(':pw@'),
    );
  });

  it('reads the master as an address, with or without a port; refuses anything else', () => {
    assert.deepEqual(parseMasterAddress('10.0.0.12\n', 20003), { host: '10.0.0.12', port: 20003 });
    assert.deepEqual(parseMasterAddress('10.0.0.12:443', 20003), { host: '10.0.0.12', port: 443 });
    assert.deepEqual(parseMasterAddress('https://10.0.0.12:20004/', 20003), { host: '10.0.0.12', port: 20004 });
    assert.equal(parseMasterAddress('', 20003), undefined);
    assert.equal(parseMasterAddress('<html>error</html>', 20003), undefined);
    assert.equal(parseMasterAddress('https://u:p@10.0.0.12/', 20003), undefined);
  });

  it('maps both readings of the transitional database states; keeps an unknown one raw', () => {
    const site = { endpoint: 'x', job: 'db_state' };
    assert.deepEqual(databaseState('starting', site), { kind: 'startup' });
    assert.deepEqual(databaseState('startup', site), { kind: 'startup' });
    assert.deepEqual(databaseState('stopping', site), { kind: 'shutdown' });
    assert.deepEqual(databaseState('Shutdown', site), { kind: 'shutdown' });
    assert.deepEqual(databaseState('recovering', site), { kind: 'unknown', raw: 'recovering' });
  });

  it('takes only a plain "nothing runs" for no backup; anything else may be a running backup', () => {
    for (const none of [undefined, null, '', [], {}, 'None', 'no backup running']) assert.deepEqual(backupProgress(none), { kind: 'none' });
    assert.equal(backupProgress({ progress: 40 }).kind, 'running');
    assert.equal(backupProgress('40%').kind, 'running');
  });
});
