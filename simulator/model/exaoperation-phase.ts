// Whether EXAoperation answers. It runs on the license server, so it is silent while that node is
// off; it comes up during the node's boot and during a restart of EXAoperation itself. With
// comingUp 'html-503' its web server answers (503 pages) for the second half of such a window.
import type { ClusterState } from './cluster-state.js';
import { scaledMs } from './durations.js';
import { isReachable } from './nodes.js';

/** EXAoperation's web server: answering, coming up (HTTP 503 pages, with comingUp 'html-503'), or silent. */
export type ExaoperationPhase = 'up' | 'starting' | 'down';

/** The windows in which EXAoperation is coming up: the license server's boot, a restart. */
function comingUpWindows(state: ClusterState): [since: number, until: number][] {
  const ls = state.licenseServer;
  const windows: [number, number][] = [];
  if (ls.power.kind === 'booting') windows.push([ls.power.since, ls.power.since + scaledMs(ls.power.seconds, state.config.timeScale)]);
  if (state.exaoperationRestart !== undefined) windows.push([state.exaoperationRestart.since, state.exaoperationRestart.until]);
  return windows;
}

const halfway = ([since, until]: [number, number]): number => since + (until - since) / 2;

export function exaoperationPhase(state: ClusterState, at: number): ExaoperationPhase {
  const ls = state.licenseServer;
  if (ls.power.kind !== 'booting' && !isReachable(ls)) return 'down';
  if (state.exaoperationRestart !== undefined && at >= state.exaoperationRestart.until) state.exaoperationRestart = undefined;
  const window = comingUpWindows(state)[0];
  if (window === undefined) return 'up';
  return state.config.comingUp === 'html-503' && at >= halfway(window) ? 'starting' : 'down';
}

/** When the phase next changes, if anything is scheduled. */
export function nextPhaseChangeAt(state: ClusterState, at: number): number | undefined {
  const ls = state.licenseServer;
  const event = state.queue.find(
    (e) =>
      ((e.event.kind === 'node-booted' || e.event.kind === 'node-powered-off') && e.event.node === ls.name) ||
      e.event.kind === 'license-server-power-on',
  );
  const times = [...(event === undefined ? [] : [event.at]), ...comingUpWindows(state).flatMap((w) => [halfway(w), w[1]])];
  const future = times.filter((t) => t > at);
  return future.length === 0 ? undefined : Math.min(...future);
}

/** EXAoperation restarts (its license server stays up): silent, then back, with every logservice cursor forgotten. */
export function restartExaoperation(state: ClusterState, seconds: number, at: number): void {
  if (!(Number.isFinite(seconds) && seconds > 0)) throw new RangeError(`restartExaoperation: expected seconds > 0, got ${String(seconds)}`);
  state.exaoperationRestart = { since: at, until: at + scaledMs(seconds, state.config.timeScale) };
  state.log.resetCursors();
  state.log.write(at, { system: 'EXAoperation', node: state.licenseServer.name, message: 'EXAoperation is restarting.', priority: 'Notice' });
}
