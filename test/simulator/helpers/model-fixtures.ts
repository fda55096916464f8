// Model set-ups shared by the model tests.
import { ClusterModel } from '../../../simulator/model/cluster-model.js';
import type { ClusterModelOptions } from '../../../simulator/model/model-options.js';
import { createFakeClock, seconds, type FakeClock } from './fake-clock.js';

export interface ModelFixture {
  readonly clock: FakeClock;
  readonly model: ClusterModel;
}

export function coldModel(options: Partial<ClusterModelOptions> = {}): ModelFixture {
  const clock = createFakeClock();
  return { clock, model: new ClusterModel({ now: clock.now, cold: true, ...options }) };
}

export function warmModel(options: Partial<ClusterModelOptions> = {}): ModelFixture {
  const clock = createFakeClock();
  return { clock, model: new ClusterModel({ now: clock.now, ...options }) };
}

/** Powers on every data node and waits out the longest boot. */
export function bootAll({ clock, model }: ModelFixture): void {
  for (const node of model.getNodeList()) model.startupNode(node);
  clock.advance(seconds(model.config.durations.bootMax));
}

/** From cold to storage online (databases still 'setup'). */
export function bootAndStartStorage(fixture: ModelFixture): void {
  bootAll(fixture);
  fixture.model.startEXAStorage();
  fixture.clock.advance(seconds(fixture.model.config.durations.storageStart));
}

export function messages(model: ClusterModel, filter: (system: string) => boolean = () => true): string[] {
  return model
    .logRecords()
    .filter((r) => filter(r.system))
    .map((r) => r.message);
}
