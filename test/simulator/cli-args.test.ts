import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCliArgs, type CliEnvironment, type CliOptions } from '../../simulator/cli/parse-cli-args.js';
import { renderBanner } from '../../simulator/cli/render-banner.js';

const files: Record<string, string> = { '/pw': 'from-file\n', '/cert.pem': 'CERT', '/key.pem': 'KEY' };
const environment = (env: Record<string, string> = {}): CliEnvironment => ({
  env,
  readFile: (path) => {
    const content = files[path];
    if (content === undefined) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
    return content;
  },
  generatePassword: () => 'GENERATED',
});

function run(argv: string[], env?: Record<string, string>): CliOptions {
  const parsed = parseCliArgs(argv, environment(env));
  assert.equal(parsed.kind, 'run', JSON.stringify(parsed));
  return (parsed as { options: CliOptions }).options;
}

describe('cli: argument parsing', () => {
  it('has the documented defaults and generates a password when none is given', () => {
    const o = run([]);
    assert.deepEqual(
      { ...o, tls: o.tls ?? null },
      {
        backend: 'exaoperation',
        confd: undefined,
        port: 8443,
        host: '127.0.0.1',
        clusterName: 'cluster1',
        nodes: 4,
        databases: ['exa_db1'],
        user: 'admin',
        password: 'GENERATED',
        passwordSource: 'generated',
        timeScale: 1,
        https: false,
        cold: false,
        tls: null,
        plugins: ['Administration.vmware-tools'],
        bootMessage: 'v7',
        poweringOffStatus: 'Running',
        licenseServers: 1,
        storageCalls: 'blocking',
        alreadyInState: 'usage-error',
        comingUp: 'refused',
        pluginFailureStatus: 256,
        databasePortBase: 8563,
        missingBootMessage: [],
        keepAliveSeconds: 300,
        latencyMs: 0,
        quiet: false,
      },
    );
  });

  it('reads every flag, in both --flag value and --flag=value forms', () => {
    const o = run([
      '--port', '0', '--nodes=6', '--databases', 'exa_db1,exa_db2', '--user', 'ops', '--password', 'pw',
      '--time-scale', '0.05', '--cold', '--host', '0.0.0.0', '--cluster', 'prod', '--plugins', 'A.b,C.d-1.0', '--boot-message', 'kb',
      '--cert', '/cert.pem', '--key', '/key.pem', '--latency-ms', '20', '--quiet',
    ]);
    assert.deepEqual([o.latencyMs, o.quiet], [20, true]);
    assert.equal(o.port, 0);
    assert.equal(o.nodes, 6);
    assert.deepEqual(o.databases, ['exa_db1', 'exa_db2']);
    assert.deepEqual([o.user, o.password, o.passwordSource], ['ops', 'pw', '--password']);
    assert.equal(o.timeScale, 0.05);
    assert.deepEqual([o.cold, o.https, o.host, o.clusterName, o.bootMessage], [true, true, '0.0.0.0', 'prod', 'kb']);
    assert.deepEqual(o.plugins, ['A.b', 'C.d-1.0']);
    assert.deepEqual(o.tls, { cert: 'CERT', key: 'KEY', certFile: '/cert.pem' });
  });

  it('reads the flags of the readings the reference leaves open, and refuses values outside them', () => {
    const o = run([
      '--storage-calls', 'immediate', '--already-in-state=no-op', '--coming-up', 'html-503', '--plugin-failure-status', '1',
      '--database-port-base', '9000', '--missing-boot-message', 'n0012,n0013', '--keep-alive-seconds', '600',
      '--powering-off-status', 'Suspended', '--license-servers', '2',
    ]);
    assert.deepEqual(
      [o.storageCalls, o.alreadyInState, o.comingUp, o.pluginFailureStatus, o.databasePortBase, o.missingBootMessage, o.keepAliveSeconds],
      ['immediate', 'no-op', 'html-503', 1, 9000, ['n0012', 'n0013'], 600],
    );
    assert.deepEqual([o.poweringOffStatus, o.licenseServers], ['Suspended', 2]);
    const parsed = parseCliArgs(['--storage-calls', 'sync', '--coming-up', '503', '--missing-boot-message', 'node2', '--keep-alive-seconds', '0'], environment());
    assert.deepEqual((parsed as { problems: readonly string[] }).problems, [
      "--storage-calls: expected blocking or immediate, got 'sync'",
      "--coming-up: expected refused or html-503, got '503'",
      "--missing-boot-message: expected comma-separated data node names like 'n0012', got 'node2'",
      "--keep-alive-seconds: expected an integer from 1 to 86400, got '0'",
    ]);
  });

  it('takes the password from a file (without its final newline) or SIM_PASSWORD', () => {
    assert.deepEqual(
      [run(['--password-file', '/pw']).password, run(['--password-file', '/pw']).passwordSource],
      ['from-file', '--password-file'],
    );
    assert.deepEqual([run([], { SIM_PASSWORD: 'env-pw' }).password, run([], { SIM_PASSWORD: 'env-pw' }).passwordSource], ['env-pw', 'SIM_PASSWORD']);
  });

  it('lists every problem at once', () => {
    const parsed = parseCliArgs(
      ['--port', '99999', '--nodes', 'x', '--wat', 'positional', '--time-scale', '-1', '--https=yes', '--password', 'a', '--password-file', '/missing', '--cert', '/cert.pem', '--boot-message', 'v9', '--databases', 'a.b', '--port', '1'],
      environment(),
    );
    assert.equal(parsed.kind, 'invalid');
    assert.deepEqual((parsed as { problems: readonly string[] }).problems, [
      'unknown option --wat',
      "unexpected argument 'positional'",
      '--https takes no value',
      '--port given more than once',
      "--port: expected an integer from 0 to 65535, got '99999'",
      "--nodes: expected an integer from 1 to 200, got 'x'",
      "--databases: expected comma-separated names of letters, digits, _ and -, got 'a.b'",
      "--time-scale: expected a positive number, got '-1'",
      "--boot-message: expected v7 or kb, got 'v9'",
      'give either --password or --password-file, not both',
      '--cert and --key go together',
    ]);
  });

  it('notices a flag whose value is missing', () => {
    const parsed = parseCliArgs(['--port', '--cold'], environment());
    assert.deepEqual(parsed, { kind: 'invalid', problems: ['--port needs a value'] });
    assert.deepEqual(parseCliArgs(['--help'], environment()), { kind: 'help' });
  });

  it('never shows a password that was passed in, but shows a generated one', () => {
    const facts = { url: 'http://127.0.0.1:1/cluster1', certificateFile: undefined, certificateFingerprint256: undefined };
    const given = renderBanner(run(['--password', 'hunter2-secret']), facts);
    assert.ok(!given.includes('hunter2-secret'));
    assert.match(given, /Password: {2}from --password \(not shown\)/);
    assert.match(renderBanner(run([]), facts), /generated for this run: GENERATED/);
  });
});
