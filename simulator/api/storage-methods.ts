// Methods of /cluster1/storage. With storageCalls 'blocking' (the default), startEXAStorage and
// stopEXAStorage answer only once storage is online or offline, as Exasol's start.py implies.
import type { ClusterModel } from '../model/cluster-model.js';
import { parseStringList } from './arguments.js';
import { method, type MethodTable } from './method-table.js';
import { Pending } from './pending.js';
import type { RpcValue } from './rpc-value.js';

function answerWhenDone(model: ClusterModel, direction: 'start' | 'stop', value: RpcValue): RpcValue | Pending {
  if (model.config.storageCalls === 'immediate') return value;
  return new Pending(
    () => {
      const outcome = model.storageCallOutcome(direction);
      if (outcome === undefined) return undefined;
      return outcome === 'OK' ? { value } : { error: outcome };
    },
    () => model.nextEventAt(),
  );
}

export function storageMethods(model: ClusterModel): MethodTable {
  return {
    startEXAStorage: method(
      0,
      1,
      ([ignored]) => answerWhenDone(model, 'start', model.startEXAStorage(ignored === undefined ? [] : parseStringList(ignored, 'ignored_nodes'))),
      'Start EXAStorage service. Tries to start EXAStorage. Raises UsageError in case of error. Usage: storage.startEXAStorage(ignored_nodes)',
    ),
    stopEXAStorage: method(
      0,
      0,
      () => answerWhenDone(model, 'stop', model.stopEXAStorage()),
      'Stop EXAStorage service. Tries to stop EXAStorage. Raises UsageError in case of error.',
    ),
    serviceIsOnline: method(0, 0, () => model.serviceIsOnline()),
    storageHasQuorum: method(0, 0, () => model.storageHasQuorum()),
    getVolumeList: method(0, 0, () => model.getVolumeList(), 'Return dictionary with description of volumes.'),
  };
}
