import type { ClusterSnapshot } from '../lifecycle/snapshot.js';
import { isOnline, type WatchEvent } from './events.js';

/** What the channel was last told, per database and node; persisted so a restart keeps it. */
export interface ToldState {
  readonly connections: Readonly<Record<string, boolean>>;
  readonly online: Readonly<Record<string, boolean>>;
}

/**
 * The log and the polled state report the same facts twice ("EXASolution exa_db1 is accepting
 * connections." and getDatabaseInfo's connectible 'Yes'; a boot message and the node's status
 * 'Running'), and either can be seen first, in the same poll or one poll apart. Whichever comes
 * first is told; the other is dropped. A boot message is always told, because it carries the
 * boot time, which the status cannot.
 */
export class ReportedFacts {
  private readonly connections: Map<string, boolean>;
  private readonly online: Map<string, boolean>;

  constructor(state: ToldState = { connections: {}, online: {} }) {
    this.connections = new Map(Object.entries(state.connections));
    this.online = new Map(Object.entries(state.online));
  }

  /** Takes silently what a poll shows for objects with no record yet: the first poll, a new database. */
  learn(snapshot: ClusterSnapshot): void {
    for (const node of snapshot.nodes) if (!this.online.has(node.name)) this.online.set(node.name, isOnline(node.status));
    for (const db of snapshot.databases) {
      if (this.connections.has(db.name) || db.connection.kind === 'unknown') continue;
      this.connections.set(db.name, db.connection.kind === 'accepting');
    }
  }

  /** Drops the events whose fact the channel already has, and records what the others tell. */
  filter(events: readonly WatchEvent[]): WatchEvent[] {
    return events.filter((event) => {
      switch (event.kind) {
        case 'node-booted':
          this.online.set(event.node, true);
          return true;
        case 'node-status-changed': {
          const online = isOnline(event.to);
          // Only "came online" has a twin (the boot message); Running → Suspended is always news.
          if (online && this.online.get(event.node) === true) return false;
          this.online.set(event.node, online);
          return true;
        }
        case 'database-connections':
          return this.tell(event.database, event.accepting);
        case 'connection-state-changed':
          if (event.to.kind === 'unknown') {
            this.connections.delete(event.database);
            return true;
          }
          return this.tell(event.database, event.to.kind === 'accepting');
        default:
          return true;
      }
    });
  }

  toState(): ToldState {
    return { connections: Object.fromEntries(this.connections), online: Object.fromEntries(this.online) };
  }

  private tell(database: string, accepting: boolean): boolean {
    if (this.connections.get(database) === accepting) return false;
    this.connections.set(database, accepting);
    return true;
  }
}
