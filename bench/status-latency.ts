// `/exa status` latency on a large simulated cluster with 20 ms added to every XML-RPC call:
// the bot's snapshot (two parallel round-trips) against a client making the same calls one by one,
// as the article's snippets do.
import { createExaOperationClient, type ExaOperationClient } from '../src/exaoperation/client.js';
import { createTransport } from '../src/exaoperation/transport.js';
import { readClusterSnapshot } from '../src/lifecycle/snapshot.js';
import { startSimulatorProcess } from './sim-process.js';
import { median, type BenchResult } from './stats.js';

async function sequentialStatus(client: ExaOperationClient): Promise<number> {
  let calls = 0;
  const count = <T>(value: T): T => {
    calls += 1;
    return value;
  };
  const nodes = count(await client.getNodeList());
  const databases = count(await client.getDatabaseList());
  count(await client.getServiceState());
  count(await client.getEXAoperationMaster());
  count(await client.serviceIsOnline());
  for (const node of nodes) count(await client.getNodeState(node));
  for (const db of databases) count(await client.getDatabaseInfo(db));
  return calls;
}

export async function benchStatusLatency(options: { nodes: number; databases: number; latencyMs: number; runs: number }): Promise<BenchResult[]> {
  const databases = Array.from({ length: options.databases }, (_, i) => `exa_db${i + 1}`).join(',');
  const sim = await startSimulatorProcess(['--nodes', String(options.nodes), '--databases', databases, '--latency-ms', String(options.latencyMs)]);
  const transport = createTransport({ url: sim.url, user: 'admin', password: sim.password });
  const client = createExaOperationClient(transport);
  try {
    await readClusterSnapshot(client); // warm up connections
    const parallel: number[] = [];
    const sequential: number[] = [];
    let calls = 0;
    for (let i = 0; i < options.runs; i += 1) {
      let t = performance.now();
      await readClusterSnapshot(client);
      parallel.push(performance.now() - t);
      t = performance.now();
      calls = await sequentialStatus(client);
      sequential.push(performance.now() - t);
    }
    const bot = median(parallel);
    const seq = median(sequential);
    const roundTrips = bot / options.latencyMs;
    return [
      { name: `status latency, ${options.nodes} nodes / ${options.databases} dbs, +${options.latencyMs} ms per call (bot)`, value: bot, unit: 'ms' },
      { name: 'status latency, sequential client (same calls one by one)', value: seq, unit: 'ms' },
      { name: 'status speed-up over the sequential client', value: seq / bot, unit: 'x', target: '>= 20', pass: seq / bot >= 20 },
      { name: 'status round-trips (bot latency / added latency)', value: roundTrips, unit: 'RTT', target: '<= 3', pass: roundTrips <= 3 },
      { name: 'XML-RPC calls per status', value: calls, unit: 'calls' },
    ];
  } finally {
    transport.close();
    await sim.stop();
  }
}
