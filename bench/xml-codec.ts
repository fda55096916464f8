// The XML-RPC answer decoder, side by side: npm xmlrpc's stream deserializer (what the transport
// used before) and ours on saxes (src/exaoperation/xmlrpc-response.ts), on three answer shapes the
// bot reads most: a node's state, a database's info, and a page of 100 log entries. CPU only, in
// this process; the ratio is what compares across machines, the microseconds depend on load.
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { decodeMethodResponse } from '../src/exaoperation/xmlrpc-response.js';
import { median, type BenchResult } from './stats.js';

const require = createRequire(import.meta.url);
const serializer = require('xmlrpc/lib/serializer.js') as { serializeMethodResponse(value: unknown): string };
const Deserializer = require('xmlrpc/lib/deserializer.js') as new () => {
  deserializeMethodResponse(stream: Readable, callback: (error: unknown, value: unknown) => void): void;
};

const SHAPES: Record<string, unknown> = {
  nodeState: { status: 'Running', power: 'on', name: 'n11', disk_states: [{ name: 'd00', state: 'ok' }] },
  dbInfo: {
    name: 'DB1', state: 'running', connectible: 'Yes', operation: 'None', persistent_volume: 'DataVolume1',
    nodes: { active: Array.from({ length: 8 }, (_, i) => `n${11 + i}`), reserve: ['n19'], failed: [] },
    connection_string: '10.0.0.11..18:8563', quota: 0, version: '7.1.29',
  },
  logEntries100: Array.from({ length: 100 }, (_, i) => ({
    timestamp: `2026-12-03 10:${String(i % 60).padStart(2, '0')}:00.000`, priority: 'Information',
    service: 'EXAoperation', message: `Boot process of node n${11 + (i % 64)} finished.`, tag: String(1000 + i),
  })),
};

function xmlrpcDecode(body: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    new Deserializer().deserializeMethodResponse(Readable.from([body]), (error, value) => (error ? reject(error) : resolve(value)));
  });
}

async function perCallMicros(decode: (body: string) => unknown, body: string, calls: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < calls; i += 1) await decode(body);
  return ((performance.now() - started) * 1000) / calls;
}

export async function benchXmlCodec(options: { runs: number; calls: number }): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const [shape, value] of Object.entries(SHAPES)) {
    const body = serializer.serializeMethodResponse(value);
    const calls = Math.max(20, Math.round(options.calls / (body.length / 500)));
    await perCallMicros(xmlrpcDecode, body, calls); // warm-up of both, so the JIT is not measured
    await perCallMicros(decodeMethodResponse, body, calls);
    const before: number[] = [];
    const after: number[] = [];
    for (let run = 0; run < options.runs; run += 1) {
      before.push(await perCallMicros(xmlrpcDecode, body, calls));
      after.push(await perCallMicros(decodeMethodResponse, body, calls));
    }
    const ratio = median(before) / median(after);
    results.push({
      name: `decode ${shape} (${body.length} B): npm xmlrpc ${median(before).toFixed(1)} µs → saxes ${median(after).toFixed(1)} µs`,
      value: ratio,
      unit: '× faster',
      target: '≥ 5×',
      pass: ratio >= 5,
      detail: { bytes: body.length, xmlrpcMicros: before, saxesMicros: after },
    });
  }
  return results;
}
