// The fault-injection API tests use. Transport faults act in the server before the model sees the
// call; cluster faults (master, busy database, missing iLO, hanging boot, failing storage) change
// what the model itself does.
import type { ClusterModel } from './model/cluster-model.js';
import type { FaultRules } from './server/fault-rules.js';

export interface FailOptions {
  /** Exception class name in the faultString. @default 'UsageError' */
  readonly fault?: 'UsageError' | 'NotFound' | (string & {});
  /** @default "injected failure of <object>.<method>" (for NotFound: the zope NotFound text) */
  readonly message?: string;
  /** How many calls fail. @default unlimited */
  readonly times?: number;
}

export interface TimesOptions {
  /** @default unlimited */
  readonly times?: number;
}

/**
 * `method` is a plain name ('stopDatabase', any object) or object-qualified
 * ('db_exa_db1.stopDatabase', 'cluster.getNodeList', 'storage.startEXAStorage'), optionally with
 * the first argument a call must have ('cluster.shutdownNode(n0010)').
 */
export interface Faults {
  /** Answers with a zope fault instead of calling the model. */
  fail(method: string, options?: FailOptions): void;
  /** Never answers and keeps the socket open; the model is not called. */
  hang(method: string, options?: TimesOptions): void;
  /** Answers `ms` later than usual (then normally). */
  slow(method: string, ms: number): void;
  /** Calls the model, then answers with XML no parser accepts. */
  malformed(method: string, options?: TimesOptions): void;
  /** Answers HTTP 401 even with good credentials; the model is not called. */
  unauthorized(method: string, options?: TimesOptions): void;
  /**
   * The server stops answering when this call arrives (the call's connection is dropped; later
   * ones are refused) until comeBack(): EXAoperation going away in the middle of a step.
   */
  refuseConnections(method: string): void;
  /**
   * EXAoperation restarts as this call arrives (the call's connection is dropped) and is back on
   * its own `seconds` simulated seconds later, with its logservice cursors reset.
   */
  restartExaoperation(method: string, seconds: number): void;
  /** Extra delay for every call. */
  latency(ms: number): void;
  /** Answers `n` more calls, then stops answering (connection refused) until comeBack(). 0 = now. */
  downAfterCalls(n: number): void;
  /** Removes every transport fault, latency, downAfterCalls, hanging boots and storage failures. */
  clear(): void;

  /** What getEXAoperationMaster() returns. */
  setMaster(node: string): void;
  /** What getDatabaseOperation() returns; anything but 'None' makes stopDatabase() fail. */
  setDatabaseOperation(db: string, operation: 'Backup' | 'None' | (string & {})): void;
  /** startupNode() on these nodes fails with a UsageError about missing out-of-band management. */
  nodesWithoutOutOfBandManagement(nodes: readonly string[] | 'all'): void;
  /** The node's next boot never finishes (no "Boot process ..." message, status stays 'Unknown'). */
  neverFinishBooting(node: string): void;
  /** startEXAStorage() raises UsageError. */
  failStorageStart(options?: { readonly message?: string; readonly times?: number }): void;
}

export function createFaults(rules: FaultRules, model: ClusterModel, goDownNow: () => void): Faults {
  return {
    fail: (method, options = {}) =>
      rules.add(method, { kind: 'fail', exception: options.fault ?? 'UsageError', message: options.message }, options.times),
    hang: (method, options = {}) => rules.add(method, { kind: 'hang' }, options.times),
    slow: (method, ms) => {
      if (!(ms >= 0)) throw new RangeError(`slow: expected ms >= 0, got ${ms}`);
      rules.add(method, { kind: 'slow', ms });
    },
    malformed: (method, options = {}) => rules.add(method, { kind: 'malformed' }, options.times),
    unauthorized: (method, options = {}) => rules.add(method, { kind: 'unauthorized' }, options.times),
    refuseConnections: (method) => rules.add(method, { kind: 'refuse' }, 1),
    restartExaoperation: (method, seconds) => {
      if (!(Number.isFinite(seconds) && seconds > 0)) throw new RangeError(`restartExaoperation: expected seconds > 0, got ${seconds}`);
      rules.add(method, { kind: 'restart', seconds }, 1);
    },
    latency: (ms) => rules.setLatency(ms),
    downAfterCalls: (n) => {
      if (n === 0) goDownNow();
      else rules.setDownAfterCalls(n);
    },
    clear: () => {
      rules.clear();
      model.clearMisbehaviour();
    },
    setMaster: (node) => model.setMaster(node),
    setDatabaseOperation: (db, operation) => model.setDatabaseOperation(db, operation),
    nodesWithoutOutOfBandManagement: (nodes) => model.setNodesWithoutOutOfBandManagement(nodes),
    neverFinishBooting: (node) => model.neverFinishBooting(node),
    failStorageStart: (options = {}) => model.failStorageStart(options),
  };
}
