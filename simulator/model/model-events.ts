// Future state changes as data. Each is applied by apply-event.ts at its due time; the key of the
// activity that scheduled it (see event-keys below) lets a later call cancel what is still pending.
import type { LogLine } from './log-service.js';

export type ModelEvent =
  | { readonly kind: 'log'; readonly line: LogLine }
  | { readonly kind: 'node-booted'; readonly node: string }
  | { readonly kind: 'node-powered-off'; readonly node: string }
  | { readonly kind: 'license-server-power-on' }
  | { readonly kind: 'storage-online' }
  | { readonly kind: 'storage-offline' }
  | { readonly kind: 'database-running'; readonly db: string }
  | { readonly kind: 'database-connectible'; readonly db: string }
  | { readonly kind: 'database-stopped'; readonly db: string }
  /** A timed operation (a backup) ends and the database is idle again. */
  | { readonly kind: 'database-operation-finished'; readonly db: string; readonly operation: string };

export const nodeKey = (node: string): string => `node:${node}`;
export const databaseKey = (db: string): string => `db:${db}`;
export const operationKey = (db: string): string => `operation:${db}`;
export const STORAGE_KEY = 'storage';
