// The public face of the pure cluster model. Every access first applies the events that have come
// due on the injected clock, so callers never see a stale state and tests never need real time.
// Method names follow the XML-RPC methods they back, to keep the API layer a plain lookup; the file
// is long because it has one short method per XML-RPC method, and the logic lives in the modules.
import type { LogLine } from './log-service.js';
import { applyEvent } from './apply-event.js';
import { createInitialState, type ClusterState } from './cluster-state.js';
import * as databases from './databases.js';
import * as operations from './database-operations.js';
import { dmidecodeText } from './hardware-information.js';
import * as phase from './exaoperation-phase.js';
import type { ExaoperationPhase } from './exaoperation-phase.js';
import type { LogBatch, LogRecord } from './log-service.js';
import { resolveModelOptions, type ClusterModelOptions, type ModelConfig } from './model-options.js';
import * as nodes from './nodes.js';
import * as plugins from './plugins.js';
import * as storage from './storage.js';
import { UsageError } from './usage-error.js';
import type { Violation } from './violations.js';

export type NodeRef = string | number;


export interface ClusterSummary {
  readonly exaoperation: 'answering' | 'not answering';
  readonly nodes: Readonly<Record<string, string>>;
  readonly storage: string;
  readonly databases: Readonly<Record<string, string>>;
}

export class ClusterModel {
  private readonly state: ClusterState;
  readonly config: ModelConfig;

  constructor(options: ClusterModelOptions) {
    this.config = resolveModelOptions(options);
    this.state = createInitialState(this.config);
  }

  /** Applies every event due at the current clock time, in time order. */
  advance(): void {
    this.at();
  }

  /** Advances and returns the time advanced to, read once so a request acts at the time it saw. */
  private at(): number {
    const now = this.config.now();
    for (let due = this.state.queue.popDue(now); due !== undefined; due = this.state.queue.popDue(now)) {
      applyEvent(this.state, due.event, due.at);
    }
    return now;
  }

  // ---- cluster ---------------------------------------------------------------------------

  getNodeList(): string[] {
    this.advance();
    return this.state.dataNodes.map((n) => n.name);
  }

  getEXAoperationMaster(): string {
    this.advance();
    return this.state.master;
  }

  getCurrentLicenseServer(): number {
    this.advance();
    return this.state.licenseServer.number;
  }

  getDatabaseList(): string[] {
    this.advance();
    return [...this.state.databases.keys()];
  }

  /** License servers that are up (EXAoperation runs on them), by name. */
  getEXAoperationNodes(): string[] {
    this.advance();
    return this.state.licenseServers.filter((n) => nodes.isReachable(n)).map((n) => n.name).sort();
  }

  /** Every license server, up or not: the nodes EXAoperation may run on. */
  getPossibleEXAoperationNodes(): string[] {
    this.advance();
    return this.state.licenseServers.map((n) => n.name).sort();
  }

  haltLicenseServer(ref: NodeRef): void {
    const at = this.at();
    nodes.haltLicenseServer(this.state, nodes.resolveNode(this.state, ref), at);
  }

  nodeRunning(ref: NodeRef): boolean {
    this.advance();
    return nodes.resolveNode(this.state, ref).power.kind === 'running';
  }

  getHardwareInformation(ref: NodeRef): string {
    this.advance();
    const node = nodes.resolveNode(this.state, ref);
    return nodes.isReachable(node) ? dmidecodeText(node.name, node.number) : '';
  }

  getServiceState(): [string, string][] {
    this.advance();
    return storage.serviceStates(this.state);
  }

  getNodeState(ref: NodeRef): { status: nodes.NodeStatus } {
    this.advance();
    return { status: nodes.nodeStatus(this.state, nodes.resolveNode(this.state, ref)) };
  }

  startupNode(ref: NodeRef): void {
    const at = this.at();
    nodes.startupNode(this.state, nodes.resolveNode(this.state, ref), at);
  }

  shutdownNode(ref: NodeRef): void {
    const at = this.at();
    nodes.shutdownNode(this.state, nodes.resolveNode(this.state, ref), at);
  }

  callPlugin(plugin: string, ref: NodeRef, command: string): plugins.PluginResult {
    this.advance();
    // An unknown plugin is reported before an unknown node, as the plugin is looked up first.
    plugins.requirePlugin(this.state, plugin);
    return plugins.callPlugin(this.state, plugin, nodes.resolveNode(this.state, ref), command);
  }

  showPluginList(): string[] {
    this.advance();
    return [...this.state.config.plugins];
  }

  showPluginFunctions(plugin: string): Record<string, string> {
    this.advance();
    return plugins.pluginFunctions(this.state, plugin);
  }

  getAllLogServices(): { name: string }[] {
    return [{ name: this.state.log.name }];
  }

  // ---- storage ---------------------------------------------------------------------------

  startEXAStorage(ignoredNodes: readonly string[] = []): 'OK' {
    return storage.startStorage(this.state, ignoredNodes, this.at());
  }

  stopEXAStorage(): 'OK' {
    return storage.stopStorage(this.state, this.at());
  }

  serviceIsOnline(): boolean {
    this.advance();
    return storage.storageOnline(this.state);
  }

  /** Quorum needs the storage service up on its nodes: here, the same as online. */
  storageHasQuorum(): boolean {
    return this.serviceIsOnline();
  }

  /** Persistent volumes always; the temporary volume of each database that runs. */
  getVolumeList(): string[] {
    this.advance();
    const dbs = [...this.state.databases.values()];
    const running = dbs.filter((d) => d.runtime.kind === 'running').map(databases.temporaryVolume);
    return [...dbs.map(databases.persistentVolume), ...running].sort();
  }

  /** For a storage call that answers once done (storageCalls 'blocking'): see storageCallOutcome. */
  storageCallOutcome(direction: 'start' | 'stop'): 'OK' | UsageError | undefined {
    this.advance();
    return storage.storageCallOutcome(this.state, direction);
  }

  /** The time of the next scheduled change of any kind, so a waiting caller knows when to look again. */
  nextEventAt(): number | undefined {
    this.advance();
    return this.state.queue.find(() => true)?.at;
  }

  // ---- databases -------------------------------------------------------------------------

  getDatabaseState(db: string): databases.DatabaseStateName {
    this.advance();
    return databases.resolveDatabase(this.state, db).runtime.kind;
  }

  getDatabaseOperation(db: string): string {
    this.advance();
    return databases.resolveDatabase(this.state, db).operation;
  }

  getDatabaseConnectionState(db: string): 'Yes' | 'No' {
    this.advance();
    return databases.isConnectible(databases.resolveDatabase(this.state, db)) ? 'Yes' : 'No';
  }

  getDatabaseConnectionString(db: string): string {
    this.advance();
    return databases.connectionString(this.state, databases.resolveDatabase(this.state, db));
  }

  startDatabase(db: string): void {
    const at = this.at();
    databases.startDatabase(this.state, databases.resolveDatabase(this.state, db), at);
  }

  stopDatabase(db: string): void {
    const at = this.at();
    databases.stopDatabase(this.state, databases.resolveDatabase(this.state, db), at);
  }

  runningDatabase(db: string): boolean {
    this.advance();
    return databases.isRunning(databases.resolveDatabase(this.state, db));
  }

  /** Only defined databases exist here (no 'none' state), so this is true for every reachable one. */
  existDatabase(db: string): boolean {
    this.advance();
    databases.resolveDatabase(this.state, db);
    return true;
  }

  getDatabaseNodes(db: string): ReturnType<typeof databases.databaseNodes> {
    this.advance();
    databases.resolveDatabase(this.state, db);
    return databases.databaseNodes(this.state);
  }

  getDatabaseInfo(db: string): databases.DatabaseInfo {
    this.advance();
    return databases.databaseInfo(this.state, databases.resolveDatabase(this.state, db));
  }

  // ---- timed operations (ConfD: backups, db_start timeout, forced stop) --------------------

  beginDatabaseOperation(db: string, operation: string, seconds: number): operations.RunningOperation {
    const at = this.at();
    return operations.beginOperation(this.state, databases.resolveDatabase(this.state, db), operation, seconds, at);
  }

  runningDatabaseOperation(db: string): { readonly operation: string; readonly until: number } | undefined {
    this.advance();
    return operations.runningOperation(this.state, databases.resolveDatabase(this.state, db));
  }

  abortDatabaseOperation(db: string): void {
    const at = this.at();
    operations.abortOperation(this.state, databases.resolveDatabase(this.state, db), at);
  }

  abortDatabaseStart(db: string): void {
    const at = this.at();
    operations.abortStart(this.state, databases.resolveDatabase(this.state, db), at);
  }

  forceStopDatabase(db: string): void {
    const at = this.at();
    operations.forceStop(this.state, databases.resolveDatabase(this.state, db), at);
  }

  /** Clock time the node last finished booting; undefined while it is not up. */
  nodeBootedAt(ref: NodeRef): number | undefined {
    this.advance();
    const node = nodes.resolveNode(this.state, ref);
    return node.power.kind === 'running' ? node.bootedAt : undefined;
  }

  /** Power state of a node, for layers (ConfD) that name states their own way. */
  nodePower(ref: NodeRef): 'off' | 'booting' | 'running' | 'shutting-down' {
    this.advance();
    return nodes.resolveNode(this.state, ref).power.kind;
  }

  storageState(): 'offline' | 'starting' | 'online' | 'stopping' {
    this.advance();
    return this.state.storage.kind;
  }

  // ---- logservice ------------------------------------------------------------------------

  logEntries(): LogBatch {
    this.advance();
    return this.state.log.entries();
  }

  logEntriesTagged(tag: string): LogBatch {
    this.advance();
    return this.state.log.entriesTagged(tag);
  }

  /** Oldest first; for tests and the CLI. */
  logRecords(): readonly LogRecord[] {
    this.advance();
    return this.state.log.all();
  }

  // ---- object lookup for the API layer (no time involved) --------------------------------

  hasNode(name: string): boolean {
    return this.state.nodes.has(name);
  }

  hasDatabase(name: string): boolean {
    return this.state.databases.has(name);
  }

  hasLogService(name: string): boolean {
    return this.state.log.name === name;
  }

  // ---- EXAoperation availability ---------------------------------------------------------

  /** EXAoperation runs on the license server: it answers while that node's OS is up and it is not restarting. */
  isAnswering(): boolean {
    return this.exaoperationPhase() === 'up';
  }

  exaoperationPhase(): ExaoperationPhase {
    return phase.exaoperationPhase(this.state, this.at());
  }

  /** When EXAoperation next changes phase (up, starting, down), if anything is scheduled. */
  nextAvailabilityChangeAt(): number | undefined {
    return phase.nextPhaseChangeAt(this.state, this.at());
  }

  /** EXAoperation restarts: silent for `seconds` simulated seconds, then back, its log cursors forgotten. */
  restartExaoperation(seconds: number): void {
    phase.restartExaoperation(this.state, seconds, this.at());
  }

  powerOnLicenseServer(): void {
    nodes.powerOnLicenseServer(this.state, this.at());
  }

  // ---- misbehaviour knobs for tests ------------------------------------------------------

  /** Writes log entries as if services had reported them (tests of floods and notifications). */
  writeLogEntries(lines: readonly LogLine[]): void {
    const at = this.at();
    for (const line of lines) this.state.log.write(at, line);
  }

  setMaster(node: string): void {
    if (!this.state.nodes.has(node)) throw new UsageError(`Node ${node} does not exist.`);
    this.state.master = node;
  }

  setDatabaseOperation(db: string, operation: string): void {
    this.advance();
    databases.resolveDatabase(this.state, db).operation = operation;
  }

  setNodesWithoutOutOfBandManagement(names: readonly string[] | 'all'): void {
    this.state.misbehaviour.nodesWithoutOutOfBandManagement = names === 'all' ? 'all' : new Set(names);
  }

  /** The node's next boot writes its early messages but never finishes. */
  neverFinishBooting(node: string): void {
    this.state.misbehaviour.hangingBoots.add(nodes.resolveNode(this.state, node).name);
  }

  /** The next `times` startEXAStorage() calls raise UsageError. @default times Infinity */
  failStorageStart(options: { message?: string; times?: number } = {}): void {
    this.state.misbehaviour.storageStartFailure = {
      remaining: options.times ?? Number.POSITIVE_INFINITY,
      message: options.message ?? 'Could not start EXAStorage: storage daemon did not come up on n0011.',
    };
  }

  /** Forgets hanging boots (for future boots) and storage start failures. */
  clearMisbehaviour(): void {
    this.state.misbehaviour.hangingBoots.clear();
    this.state.misbehaviour.storageStartFailure = undefined;
  }

  get violations(): readonly Violation[] {
    return this.state.violations;
  }

  /** A compact picture of the cluster, for tests and the CLI. */
  summary(): ClusterSummary {
    this.advance();
    const s = this.state;
    return {
      exaoperation: this.isAnswering() ? 'answering' : 'not answering',
      nodes: Object.fromEntries([...s.nodes.values()].map((n) => [n.name, n.power.kind])),
      storage: s.storage.kind,
      databases: Object.fromEntries([...s.databases.values()].map((d) => [d.name, databases.isConnectible(d) ? 'running, connectible' : d.runtime.kind])),
    };
  }
}
