// Every delay is given in *simulated* seconds, so a test can say "boot takes 100-145 s" the way an
// operator would, and a single `timeScale` squeezes the whole timeline into real milliseconds.

/** Simulated durations in seconds. */
export interface DurationsSeconds {
  /** Shortest data-node boot; nodes spread evenly between bootMin and bootMax. @default 100 */
  readonly bootMin: number;
  /** Longest data-node boot. @default 145 */
  readonly bootMax: number;
  /** From shutdownNode() to power off. @default 20 */
  readonly nodeShutdown: number;
  /** From startEXAStorage() to Storaged 'OK'. @default 15 */
  readonly storageStart: number;
  /** From stopEXAStorage() to Storaged 'not running'. @default 10 */
  readonly storageStop: number;
  /** From startDatabase() to state 'running'. @default 40 */
  readonly databaseStart: number;
  /** From state 'running' to connection state 'Yes'. @default 8 */
  readonly databaseConnectDelay: number;
  /** From stopDatabase() to state 'setup'. @default 25 */
  readonly databaseStop: number;
  /** From shutdownNode('n0010') to EXAoperation no longer answering. @default 5 */
  readonly licenseServerShutdown: number;
  /** From powering on the license server to EXAoperation answering again. @default 30 */
  readonly exaoperationStart: number;
}

export const DEFAULT_DURATIONS: DurationsSeconds = Object.freeze({
  bootMin: 100,
  bootMax: 145,
  nodeShutdown: 20,
  storageStart: 15,
  storageStop: 10,
  databaseStart: 40,
  databaseConnectDelay: 8,
  databaseStop: 25,
  licenseServerShutdown: 5,
  exaoperationStart: 30,
});

/** Converts simulated seconds to real clock milliseconds. */
export function scaledMs(seconds: number, timeScale: number): number {
  return seconds * 1000 * timeScale;
}
