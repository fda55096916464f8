import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from './cli-process.js';

// Help used to fall through to "Unknown command '--help'" with exit 2.
describe('credentials CLI: help and usage errors', () => {
  for (const args of [['--help'], ['help'], ['-h'], ['add', '--help']]) {
    it(`${args.join(' ')} prints the usage on stdout and exits 0`, () => {
      const result = runCli(args, {});
      assert.equal(result.status, 0, result.stderr);
      assert.equal(result.stderr, '');
      for (const expected of [/add <profile> --user <user> \[--password-stdin\]/, /\blist\b/, /remove <profile>/, /rotate-key --new-key-file <file>/]) {
        assert.match(result.stdout, expected);
      }
      for (const variable of ['EXA_CREDENTIALS_FILE', 'EXA_MASTER_KEY_FILE', 'EXA_MASTER_KEY ']) assert.ok(result.stdout.includes(variable), variable);
    });
  }

  it('an unknown command still exits 2 with the usage on stderr', () => {
    const result = runCli(['frobnicate'], {});
    assert.equal(result.status, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^Unknown command 'frobnicate'\.\nUsage: npm run credentials -- <command>/);
  });

  it('no command exits 2 with the usage', () => {
    const result = runCli([], {});
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^Usage: npm run credentials -- <command>/);
  });

  it('a mistyped flag is refused, not ignored', () => {
    const result = runCli(['add', 'prod', '--user', 'chatops', '--pasword-stdin'], {}, 'secret\n');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^Unknown option '--pasword-stdin'\.\nUsage:/);
  });
});
