// The host action runner with real processes: exit status, output, a deadline that kills the whole
// process group, a cancel, an executable that does not exist, and an environment without the bot's secrets.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandArgv } from '../../src/hosts/host-power.js';
import { hostCommandEnv, runHostCommand } from '../../src/hosts/run-host-command.js';

const node = process.execPath;
const env = hostCommandEnv({ EXA_TEST: 'yes' });
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('runHostCommand', { timeout: 30_000 }, () => {
  it('reports the exit status and the output, and runs without a shell', async () => {
    const ok = await runHostCommand([node, '-e', 'console.log("powered", process.argv[1]); console.error("warn")', 'n11; rm -rf /'], { timeoutMs: 10_000, env });
    assert.deepEqual(ok.end, { kind: 'exited', code: 0 });
    // The argument reached the program as one word: no shell saw the ';'.
    assert.match(ok.output, /powered n11; rm -rf \//);
    assert.match(ok.output, /warn/);
    const bad = await runHostCommand([node, '-e', 'process.exit(3)'], { timeoutMs: 10_000, env });
    assert.deepEqual(bad.end, { kind: 'exited', code: 3 });
  });

  it('gives the command a clean environment: none of the bot\'s variables, only PATH, HOME, LANG and the configured ones', async () => {
    process.env['SLACK_BOT_TOKEN_FOR_TEST'] = 'xoxb-must-not-leak';
    try {
      const result = await runHostCommand([node, '-e', 'console.log(JSON.stringify(Object.keys(process.env).sort()))'], { timeoutMs: 10_000, env });
      const keys = JSON.parse(result.output.trim()) as string[];
      assert.ok(!keys.includes('SLACK_BOT_TOKEN_FOR_TEST'));
      assert.ok(keys.includes('EXA_TEST') && keys.includes('PATH'));
      assert.ok(keys.every((k) => ['PATH', 'HOME', 'LANG', 'EXA_TEST'].includes(k)), keys.join(','));
    } finally {
      delete process.env['SLACK_BOT_TOKEN_FOR_TEST'];
    }
  });

  it('kills the whole process group when the deadline passes, children included', async () => {
    // The command starts a grandchild that would outlive it, prints its pid, then hangs.
    const script = 'const c = require("child_process").spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" }); console.log("child", c.pid); setInterval(() => {}, 1000);';
    const result = await runHostCommand([node, '-e', script], { timeoutMs: 800, killGraceMs: 500, env });
    assert.deepEqual(result.end, { kind: 'timed-out', afterMs: 800 });
    const pid = Number(/child (\d+)/.exec(result.output)?.[1]);
    assert.ok(pid > 0, result.output);
    for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(alive(pid), false, 'the grandchild was killed with the group');
  });

  it('stops when the operation is cancelled, and says so', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const result = await runHostCommand([node, '-e', 'setInterval(() => {}, 1000)'], { timeoutMs: 10_000, env, signal: controller.signal, killGraceMs: 500 });
    assert.deepEqual(result.end, { kind: 'aborted' });
  });

  it('a missing executable is "not started", with the reason', async () => {
    const result = await runHostCommand(['/nonexistent/exa-host-power', 'off'], { timeoutMs: 5000, env });
    assert.equal(result.end.kind, 'not-started');
    assert.match(result.end.kind === 'not-started' ? result.end.reason : '', /ENOENT/);
  });

  it('keeps only the tail of a long output', async () => {
    const result = await runHostCommand([node, '-e', 'for (let i = 0; i < 5000; i++) console.log("line " + i)'], { timeoutMs: 10_000, env, maxOutputChars: 200 });
    assert.equal(result.truncated, true);
    assert.ok(result.output.length <= 200);
    assert.match(result.output, /line 4999\n$/);
  });
});

describe('expandArgv', () => {
  it('fills {node}, {id} and {cluster} inside arguments, and nothing else', () => {
    assert.deepEqual(expandArgv(['/usr/sbin/ipmi-power', '--host', 'bmc-{id}.example', 'off', '{node}@{cluster}', '$HOME'], { node: 'n11', cluster: 'prod8' }), [
      '/usr/sbin/ipmi-power',
      '--host',
      'bmc-11.example',
      'off',
      'n11@prod8',
      '$HOME',
    ]);
  });
});

describe('runHostCommand when children hold on', { timeout: 30_000 }, () => {
  it('settles on the exit of the command, even while a detached child keeps its output pipe open', async () => {
    // The grandchild leaves the process group (detached) and inherits stdout: 'close' would wait for it.
    const script = 'require("child_process").spawn(process.execPath, ["-e", "setTimeout(() => {}, 8000)"], { detached: true, stdio: ["ignore", "inherit", "inherit"] }).unref(); console.log("done");';
    const started = Date.now();
    const result = await runHostCommand([node, '-e', script], { timeoutMs: 20_000, env, drainMs: 300 });
    assert.deepEqual(result.end, { kind: 'exited', code: 0 });
    assert.match(result.output, /done/);
    assert.ok(Date.now() - started < 5000, `settled after ${Date.now() - started} ms`);
  });

  it('keeps a character that arrives split across two chunks whole', async () => {
    const script = 'const b = Buffer.from("ää"); process.stdout.write(b.subarray(0, 1)); setTimeout(() => process.stdout.write(b.subarray(1)), 100);';
    const result = await runHostCommand([node, '-e', script], { timeoutMs: 10_000, env });
    assert.equal(result.output, 'ää');
  });
});
