// Preloaded into the bot's process by bot-process.ts (node --expose-gc --import …): on
// { type: 'memory' } over the IPC channel it runs full garbage collections, then answers with
// process.memoryUsage() and the heap's compiled code, so a sample tells live data apart from
// garbage not yet collected and from code the JIT compiles as the process warms up.
// Plain JavaScript, so that no TypeScript transpiler sits in the measured process.
import { readFileSync } from 'node:fs';
import { setImmediate } from 'node:timers';
import v8 from 'node:v8';

if (typeof process.send === 'function' && typeof globalThis.gc === 'function') {
  const gc = globalThis.gc;
  const codeBytes = () =>
    v8
      .getHeapSpaceStatistics()
      .filter((space) => space.space_name.startsWith('code'))
      .reduce((sum, space) => sum + space.space_used_size, 0);
  /** Linux: resident memory that is the process's own (anon) and mapped files (the node binary, shared). */
  const rssParts = () => {
    try {
      const status = readFileSync('/proc/self/status', 'utf8');
      const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) * 1024;
      return { rssAnon: kb('RssAnon'), rssFile: kb('RssFile') };
    } catch {
      return { rssAnon: NaN, rssFile: NaN };
    }
  };
  process.on('message', (message) => {
    if (message?.type !== 'memory') return;
    const collect = (left) => {
      gc();
      if (left > 1) setImmediate(() => collect(left - 1));
      else process.send?.({ type: 'memory', id: message.id, ...process.memoryUsage(), ...rssParts(), code: codeBytes() });
    };
    collect(3);
  });
  // The channel must not keep the bot alive on its own, and the bot must not outlive the bench.
  process.channel?.unref();
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
