import PQueue from 'p-queue';

/**
 * One queue per cluster with concurrency 1: two lifecycle operations on the same cluster never
 * overlap, whatever the timing of the requests; different clusters run side by side.
 */
export class ClusterQueues {
  private readonly queues = new Map<string, PQueue>();
  private readonly pending = new Map<string, AbortController>();

  /** Adds a job; `id` lets a pending job be removed again before it starts. */
  enqueue(cluster: string, id: string, job: () => Promise<void>): Promise<'ran' | 'removed'> {
    const queue = this.queueFor(cluster);
    const controller = new AbortController();
    this.pending.set(id, controller);
    return queue
      .add(
        async () => {
          this.pending.delete(id);
          await job();
          return 'ran' as const;
        },
        { signal: controller.signal },
      )
      .catch((error: unknown) => {
        if (controller.signal.aborted) return 'removed' as const;
        throw error;
      })
      .finally(() => this.pending.delete(id));
  }

  /** Removes a job that has not started; false when it already runs or is unknown. */
  remove(id: string): boolean {
    const controller = this.pending.get(id);
    if (!controller) return false;
    this.pending.delete(id);
    controller.abort();
    return true;
  }

  size(cluster: string): number {
    const queue = this.queues.get(cluster);
    return queue ? queue.size + queue.pending : 0;
  }

  async onIdle(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.onIdle()));
  }

  private queueFor(cluster: string): PQueue {
    let queue = this.queues.get(cluster);
    if (!queue) {
      queue = new PQueue({ concurrency: 1 });
      this.queues.set(cluster, queue);
    }
    return queue;
  }
}
