// What the Docker image holds, checked without a Docker engine: the Dockerfile's promises (current
// Node LTS, numeric user, liveness-only HEALTHCHECK, credentials on the data volume), and the
// runtime layout it builds — compiled JavaScript without the simulator, the demo and the console
// adapter — loading completely: ESM links every static import before running any code, so an entry
// point that reaches its own configuration message has no module missing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

const root = new URL('../../', import.meta.url).pathname;
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');

describe('the Docker image', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'exa-image-'));
    const build = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', join(dir, 'dist')], { encoding: 'utf8' });
    assert.equal(build.status, 0, build.stdout + build.stderr);
    // As the Dockerfile's build stage does.
    for (const path of ['dist/simulator', 'dist/src/demo.js', 'dist/src/console']) rmSync(join(dir, path), { recursive: true, force: true });
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is built on Node 24, runs as 1000:1000, checks liveness only, keeps credentials on the data volume', () => {
    const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    assert.ok(froms.length >= 2 && froms.every((f) => f?.startsWith('node:24-')), froms.join(', '));
    assert.match(dockerfile, /^USER 1000:1000$/m);
    assert.match(dockerfile, /HEALTHCHECK[^\n]*\n[^\n]*\/healthz/);
    assert.doesNotMatch(dockerfile, /\/readyz'\)/, 'the HEALTHCHECK must not depend on readiness');
    assert.match(dockerfile, /EXA_CREDENTIALS_FILE=\/app\/data\/exa-credentials\.json/);
    assert.match(dockerfile, /rm -rf dist\/simulator dist\/src\/demo\.js dist\/src\/console/);
  });

  it('the runtime layout has no simulator or demo, and the bot and the credentials tool load without them', () => {
    assert.ok(!existsSync(join(dir, 'dist/simulator')));
    assert.ok(!existsSync(join(dir, 'dist/src/demo.js')));
    const env = { PATH: process.env['PATH'] ?? '', NODE_ENV: 'production' };
    const bot = spawnSync(process.execPath, [join(dir, 'dist/src/main.js')], { encoding: 'utf8', env, timeout: 20_000 });
    assert.equal(bot.status, 2, bot.stderr);
    assert.match(bot.stderr, /no Slack configuration found/);
    const credentials = spawnSync(process.execPath, [join(dir, 'dist/src/credentials-cli.js'), 'list'], {
      encoding: 'utf8',
      env: { ...env, EXA_CREDENTIALS_FILE: join(dir, 'data/exa-credentials.json') },
      timeout: 20_000,
    });
    assert.doesNotMatch(credentials.stderr, /ERR_MODULE_NOT_FOUND|Cannot find module/, credentials.stderr);
  });
});
