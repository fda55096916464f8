import { join } from 'node:path';
import { openJsonlAppender, readJsonl, type JsonlAppender } from '../operations/jsonl-file.js';
import { parseControlRecord, type ControlRecord } from './control-record.js';

/** Where holds, snoozes and schedule progress are kept; durable when `append` resolves. */
export interface ControlStore {
  append(record: ControlRecord): Promise<void>;
  /** Every record, in the order written. */
  read(): Promise<readonly ControlRecord[]>;
  close(): void;
}

/** controls.jsonl in the data directory, written and flushed before the change it records. */
export function fileControls(dataDir: string): ControlStore {
  const path = join(dataDir, 'controls.jsonl');
  let file: JsonlAppender | undefined;
  return {
    append: async (record) => {
      file ??= openJsonlAppender(path);
      file.append(record);
    },
    read: async () => readJsonl(path).records.flatMap((raw) => parseControlRecord(raw) ?? []),
    close: () => file?.close(),
  };
}
