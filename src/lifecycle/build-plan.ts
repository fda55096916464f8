import { EXAOPERATION_CAPABILITIES, type BackendCapabilities } from '../backend/capabilities.js';
import { AppError } from '../errors/app-error.js';
import { hasOutOfBandManagement, type ClusterProfile } from './cluster-profile.js';
import { abortsBackup, type OperationKind } from './operation-kind.js';
import type { Plan, Step, StepAction, StepExpectation } from './plan.js';
import { stepTitle } from './plan.js';
import type { ClusterSnapshot, DatabaseSnapshot } from './snapshot.js';

const act: StepExpectation = { kind: 'act' };
const skip = (reason: string): StepExpectation => ({ kind: 'skip', reason });
const blocked = (reason: string): StepExpectation => ({ kind: 'blocked', reason });

type Draft = readonly [StepAction, StepExpectation];

/**
 * Builds the exact steps an operation takes from the cluster's current state (the article's
 * order), with what each is expected to do. The same plan is the dry run shown for approval and
 * the list the runner executes; the runner re-checks every step before acting, since the state may
 * change between approval and execution.
 */
export function buildPlan(
  operation: OperationKind,
  snapshot: ClusterSnapshot,
  profile: ClusterProfile,
  capabilities: BackendCapabilities = EXAOPERATION_CAPABILITIES,
): Plan {
  const drafts = draftSteps(operation, snapshot, profile, capabilities);
  const steps: Step[] = drafts.map(([action, expect], index) => ({
    id: String(index + 1),
    title: stepTitle(action),
    action,
    expect,
  }));
  const blockers = steps.flatMap((step) => (step.expect.kind === 'blocked' ? [step.expect.reason] : []));
  return { cluster: profile.name, operation, steps, blockers };
}

function draftSteps(operation: OperationKind, snapshot: ClusterSnapshot, profile: ClusterProfile, capabilities: BackendCapabilities): Draft[] {
  if (!capabilities.storageSteps && (operation.kind === 'storage-start' || operation.kind === 'storage-stop')) {
    throw new AppError(
      'NOT_SUPPORTED',
      `Cluster ${profile.name} is driven through ${capabilities.service}, which has no storage start or stop: storage follows the nodes there.`,
    );
  }
  if (abortsBackup(operation) && !capabilities.backupAbort) {
    throw new AppError(
      'NOT_SUPPORTED',
      `Cluster ${profile.name} is driven through ${capabilities.service}, whose backups the bot neither reads nor aborts: ` +
        `abort the backup in ${capabilities.service} and request again without --abort-backup.`,
    );
  }
  if (!capabilities.licenseServer) return withoutLicenseServer(operation, snapshot, profile, capabilities);
  switch (operation.kind) {
    case 'cluster-startup':
      return startup(snapshot, profile);
    case 'cluster-shutdown':
      return shutdown(snapshot, profile);
    case 'database-start': {
      const db = findDatabase(snapshot, operation.database, profile);
      return [storageOnline(snapshot), ...startDatabase(db)];
    }
    case 'database-stop':
      return stopDatabase(findDatabase(snapshot, operation.database, profile));
    case 'storage-start':
      return [nodesRunning(snapshot), ...startStorage(snapshot)];
    case 'storage-stop':
      return [databasesStopped(snapshot), ...stopStorage(snapshot)];
  }
}

/**
 * Exasol 8 (ConfD): no license server and no storage steps. A shut-down stops every database
 * (ConfD has no node power: the hosts stay up); a start-up waits until ConfD answers with quorum
 * and every node is online, then starts the databases that did not start by themselves.
 */
function withoutLicenseServer(operation: OperationKind, snapshot: ClusterSnapshot, profile: ClusterProfile, capabilities: BackendCapabilities): Draft[] {
  const unreadableNodes = snapshot.unreadable?.find((u) => u.part === 'nodes');
  const service = capabilities.service;
  switch (operation.kind) {
    case 'cluster-startup': {
      const allOnline = snapshot.nodes.length > 0 && snapshot.nodes.every((n) => n.status.kind === 'running');
      return [
        ...hostsOn(snapshot, profile, capabilities),
        [
          { kind: 'wait-cluster-online' },
          unreadableNodes && snapshot.unreachable === undefined
            ? blocked(`the node states cannot be read (${unreadableNodes.why}); the ${capabilities.service} user needs the exaadm group to wait for the nodes`)
            : allOnline
              ? skip('every node is online')
              : act,
        ],
        // After a cold start the databases were unknown when the plan was made: one step finds them.
        ...(snapshot.unreachable === undefined ? snapshot.databases.flatMap((db) => startDatabase(db, service)) : [[{ kind: 'start-databases-after-boot' }, act] as Draft]),
      ];
    }
    case 'cluster-shutdown': {
      const hosts = capabilities.nodePower === 'host-action' ? profile.hostPower : undefined;
      return [
        [{ kind: 'check-databases-idle', ...(abortsBackup(operation) ? { backupsAborted: true as const } : {}) }, act],
        ...snapshot.databases.flatMap((db) => stopDatabase(db, service, abortsBackup(operation))),
        databasesStopped(snapshot, true),
        // Only once every database is stopped (the step checks again), and only if configured.
        ...(hosts?.off ? [[{ kind: 'power-off-hosts', nodes: hosts.nodes }, act] as Draft] : []),
      ];
    }
    case 'database-start':
      return startDatabase(findDatabase(snapshot, operation.database, profile), service);
    case 'database-stop':
      return stopDatabase(findDatabase(snapshot, operation.database, profile), service, abortsBackup(operation));
    case 'storage-start':
    case 'storage-stop':
      throw new AppError('NOT_SUPPORTED', `Cluster ${profile.name} is driven through ${capabilities.service}, which has no storage start or stop.`);
  }
}

/** Exasol 8: the configured "on" host action for every configured host ConfD does not report online. */
function hostsOn(snapshot: ClusterSnapshot, profile: ClusterProfile, capabilities: BackendCapabilities): Draft[] {
  const hosts = profile.hostPower;
  if (capabilities.nodePower !== 'host-action' || hosts?.on === undefined) return [];
  const online = new Set(snapshot.nodes.filter((n) => n.status.kind === 'running').map((n) => n.name));
  const down = snapshot.unreachable === undefined ? hosts.nodes.filter((n) => !online.has(n)) : hosts.nodes;
  return [[{ kind: 'power-on-hosts', nodes: down.length > 0 ? down : hosts.nodes }, down.length > 0 ? act : skip('ConfD reports every configured host online')]];
}

function startup(snapshot: ClusterSnapshot, profile: ClusterProfile): Draft[] {
  // Only a node known to be off is powered on; one still up in any state is awaited instead.
  const down = snapshot.nodes.filter((n) => n.power.kind === 'off').map((n) => n.name);
  const notRunning = snapshot.nodes.filter((n) => n.status.kind !== 'running').map((n) => n.name);
  // All data nodes at once: they boot in parallel anyway, and one step keeps the checklist short.
  // The nodes it will power on; with none off, the checklist still names every node.
  const powerAction: StepAction = { kind: 'power-on-nodes', nodes: down.length ? down : snapshot.nodes.map((n) => n.name) };
  const powerOn: Draft[] = [
    [
      powerAction,
      down.length === 0
        ? skip(notRunning.length === 0 ? 'every node is already running' : 'no node is powered off')
        : down.some((node) => hasOutOfBandManagement(profile, node))
          ? act
          : skip(`no out-of-band management configured: power on ${down.join(', ')} by hand; the operation waits for them`),
    ],
  ];
  const allNodes = snapshot.nodes.map((n) => n.name);
  const plugins = profile.plugins.flatMap((plugin): Draft[] => [
    ...profile.licenseServers.map((node): Draft => [{ kind: 'restart-plugin', plugin: plugin.name, node }, act]),
    ...allNodes.map((node): Draft => [{ kind: 'start-plugin', plugin: plugin.name, node }, act]),
  ]);
  return [
    [{ kind: 'wait-exaoperation' }, skip('EXAoperation answers')],
    ...powerOn,
    [{ kind: 'wait-nodes-booted', nodes: allNodes }, notRunning.length === 0 ? skip('every node is running') : act],
    ...startStorage(snapshot),
    ...snapshot.databases.flatMap((db) => startDatabase(db)),
    ...plugins,
  ];
}

function shutdown(snapshot: ClusterSnapshot, profile: ClusterProfile): Draft[] {
  const master: Draft = profile.licenseServers.includes(snapshot.master)
    ? [{ kind: 'check-master' }, act]
    : [{ kind: 'check-master' }, blocked(masterMessage(snapshot.master, profile))];
  // Every node not known to be off is up: 'Suspended' may be a node still powering off.
  const upNodes = snapshot.nodes.filter((n) => n.power.kind !== 'off').map((n) => n.name);
  const dataNodes: Draft[] = [
    [
      // Exactly the nodes it will shut down: what the approver sees is what it may act on.
      { kind: 'shutdown-nodes', nodes: upNodes.length ? upNodes : snapshot.nodes.map((n) => n.name) },
      upNodes.length ? act : skip(`every data node is off (${snapshot.nodes.map((n) => `${n.name}: ${describeNode(n.status)}`).join(', ')})`),
    ],
  ];
  // The master goes last: once it is down nobody answers any more.
  const licenseServers = [...profile.licenseServers].sort((a, b) => Number(a === snapshot.master) - Number(b === snapshot.master));
  return [
    master,
    // Read again when the run starts: a backup may have begun since the plan was approved.
    [{ kind: 'check-databases-idle' }, act],
    ...snapshot.databases.flatMap((db) => stopDatabase(db)),
    databasesStopped(snapshot, true),
    ...stopStorage(snapshot),
    ...dataNodes,
    [{ kind: 'wait-nodes-down', nodes: snapshot.nodes.map((n) => n.name) }, upNodes.length ? act : skip('every data node is off')],
    ...licenseServers.map((node): Draft => [{ kind: 'shutdown-license-server', node }, act]),
  ];
}

export function masterMessage(master: string, profile: ClusterProfile): string {
  return (
    `the EXAoperation master is ${master}, not the license server ${profile.licenseServers.join(' or ')}: ` +
    'move EXAoperation to the license server in EXAoperation first, then request the shut-down again'
  );
}

function startStorage(snapshot: ClusterSnapshot): Draft[] {
  const notOk = snapshot.services.filter((s) => s.state.kind !== 'ok');
  return [
    [{ kind: 'start-storage' }, snapshot.storageOnline ? skip('EXAStorage is already online') : act],
    [{ kind: 'wait-services-ok' }, notOk.length === 0 && snapshot.storageOnline ? skip('every service reports OK') : act],
  ];
}

function stopStorage(snapshot: ClusterSnapshot): Draft[] {
  const offline = skip('EXAStorage is already stopped');
  return [
    [{ kind: 'stop-storage' }, snapshot.storageOnline ? act : offline],
    [{ kind: 'wait-storage-stopped' }, snapshot.storageOnline ? act : offline],
  ];
}

/** `service` names where a person looks when the state is not one the plan can act on. */
function startDatabase(db: DatabaseSnapshot, service = 'EXAoperation'): Draft[] {
  const name = db.name;
  const start: StepAction = { kind: 'start-database', database: name };
  const wait: Draft = [
    { kind: 'wait-database-accepting', database: name },
    db.connection.kind === 'accepting' ? skip(`database ${name} already accepts connections`) : act,
  ];
  switch (db.state.kind) {
    case 'setup':
      return [[start, act], wait];
    case 'running':
    case 'startup':
      return [[start, skip(`database ${name} is already ${db.state.kind}`)], wait];
    case 'none':
      return [[start, blocked(`database ${name} is defined but not created; create it in ${service} first`)], wait];
    case 'shutdown':
      return [[start, blocked(`database ${name} is shutting down; wait until it is stopped, then start it`)], wait];
    case 'unknown':
      return [[start, blocked(`database ${name} is in state '${db.state.raw}'; check it in ${service}`)], wait];
  }
}

/** `abortBackup`: the request allows aborting a running backup (a step the approver sees), instead of being blocked by it. */
function stopDatabase(db: DatabaseSnapshot, service = 'EXAoperation', abortBackup = false): Draft[] {
  const name = db.name;
  const stop: StepAction = { kind: 'stop-database', database: name };
  const wait: StepAction = { kind: 'wait-database-stopped', database: name };
  switch (db.state.kind) {
    case 'setup':
    case 'none':
      return [
        [stop, skip(`database ${name} is already stopped`)],
        [wait, skip(`database ${name} is already stopped`)],
      ];
    case 'shutdown':
      return [
        [stop, skip(`database ${name} is already shutting down`)],
        [wait, act],
      ];
    case 'running': {
      const backup = db.backup;
      // The approver sees the abort as a step of its own; the stop then acts once the backup is gone.
      const abort: Draft[] = abortBackup
        ? [
            [
              { kind: 'abort-backup', database: name },
              backup?.kind === 'running'
                ? act
                : skip(backup === undefined ? `the backup state of ${name} could not be read; the stop checks again before it acts` : `no backup of ${name} is running`),
            ],
          ]
        : [];
      // A backup first (ConfD also shows it as operation 'Backup', and this says more); busy with
      // anything but the backup blocks either way: only the backup is the approver's to abort.
      const stopExpect =
        backup?.kind === 'running'
          ? abortBackup
            ? act
            : // The step reads again before it acts; this tells the approver now.
              blocked(`a backup of database ${name} is running (${backup.text}); wait until it ends, or request the stop with --abort-backup`)
          : db.operation.kind === 'busy'
            ? blocked(`database ${name} is busy with operation '${db.operation.raw}'; wait until it finishes`)
            : act;
      return [...abort, [stop, stopExpect], [wait, act]];
    }
    case 'startup':
      return [
        [stop, blocked(`database ${name} is starting up; wait until it runs, then stop it`)],
        [wait, act],
      ];
    case 'unknown':
      return [
        [stop, blocked(`database ${name} is in state '${db.state.raw}'; check it in ${service}`)],
        [wait, act],
      ];
  }
}

function databasesStopped(snapshot: ClusterSnapshot, afterStops = false): Draft {
  const running = snapshot.databases.filter((d) => d.state.kind !== 'setup' && d.state.kind !== 'none');
  if (afterStops || running.length === 0) return [{ kind: 'check-databases-stopped' }, act];
  return [
    { kind: 'check-databases-stopped' },
    blocked(
      `database(s) ${running.map((d) => `${d.name} (${d.state.kind})`).join(', ')} must be stopped before EXAStorage; ` +
        'stop them first',
    ),
  ];
}

function nodesRunning(snapshot: ClusterSnapshot): Draft {
  const down = snapshot.nodes.filter((n) => n.status.kind !== 'running');
  return down.length === 0
    ? [{ kind: 'check-nodes-running' }, act]
    : [
        { kind: 'check-nodes-running' },
        blocked(`node(s) ${down.map((n) => n.name).join(', ')} are not running; start the cluster with startup instead`),
      ];
}

function storageOnline(snapshot: ClusterSnapshot): Draft {
  return snapshot.storageOnline
    ? [{ kind: 'check-storage-online' }, act]
    : [{ kind: 'check-storage-online' }, blocked('EXAStorage is not online; start it first (storage start)')];
}

function findDatabase(snapshot: ClusterSnapshot, name: string, profile: ClusterProfile): DatabaseSnapshot {
  const db = snapshot.databases.find((d) => d.name === name);
  if (db) return db;
  const known = snapshot.databases.map((d) => d.name).join(', ') || 'none';
  throw new AppError('UNKNOWN_DATABASE', `Cluster ${profile.name} has no database '${name}'. Its databases: ${known}.`);
}

function describeNode(status: ClusterSnapshot['nodes'][number]['status']): string {
  return status.kind === 'unknown' ? status.raw : status.kind;
}
