// The simulator in a child process of its own, driven over the IPC channel by sim-process.ts:
// a real EXAoperation is another machine, so its CPU work must not share the bot's event loop
// (nor the fake Slack's, which times the acks). Not for use on its own.
import { startSimulator, type SimulatorOptions } from '../simulator/index.js';
import type { SimRequest, SimReply } from './sim-process.js';

const options = JSON.parse(process.argv[2] ?? '{}') as SimulatorOptions;
const sim = await startSimulator({ ...options, onError: () => undefined });

function handle(request: SimRequest): unknown {
  switch (request.op) {
    case 'fault': {
      const fault = sim.faults[request.name] as (...args: unknown[]) => void;
      fault.apply(sim.faults, [...request.args]);
      return undefined;
    }
    case 'writeLogEntries':
      sim.model.writeLogEntries(request.entries);
      return undefined;
    case 'callCount':
      return sim.calls.length;
  }
}

process.on('message', (message: SimRequest) => {
  let reply: SimReply;
  try {
    reply = { id: message.id, ok: true, value: handle(message) };
  } catch (error) {
    reply = { id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  process.send?.(reply);
});
const stop = (): void => {
  void sim.stop().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
// The parent went away (killed, or its pipe closed): no orphan keeps the port.
process.on('disconnect', stop);
process.send?.({ id: 0, ok: true, value: sim.url } satisfies SimReply);
