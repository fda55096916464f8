import { DEFAULT_TIMEOUTS, type StepTimeouts } from '../lifecycle/cluster-profile.js';

/** The deadline of each kind of wait, in minutes as operators think of them (a node reboot takes 15-25). */
const WAIT_KEYS = {
  EXAOPERATION: 'exaoperationMs',
  NODE_BOOT: 'nodeBootMs',
  STORAGE: 'storageMs',
  DATABASE_START: 'databaseStartMs',
  DATABASE_STOP: 'databaseStopMs',
  NODE_SHUTDOWN: 'nodeShutdownMs',
} as const satisfies Record<string, keyof StepTimeouts>;
export type WaitKey = keyof typeof WAIT_KEYS;
/** The same waits in a clusters file's "waitMinutes": nodeBootMs → nodeBoot. */
export const WAIT_FILE_KEYS = Object.fromEntries(
  Object.entries(WAIT_KEYS).map(([key, field]) => [key, field.replace(/Ms$/, '')]),
) as Record<WaitKey, string>;

export function stepTimeouts(read: (key: WaitKey) => unknown, label: (key: WaitKey) => string, problems: string[]): StepTimeouts {
  const timeouts: Record<keyof StepTimeouts, number> = { ...DEFAULT_TIMEOUTS };
  for (const key of Object.keys(WAIT_KEYS) as WaitKey[]) {
    const raw = read(key);
    if (raw === undefined || raw === '') continue;
    const minutes = Number(raw);
    if (!Number.isFinite(minutes) || minutes <= 0 || minutes > 24 * 60) {
      problems.push(`${label(key)} must be a number of minutes between 0 and 1440, got '${String(raw)}'`);
      continue;
    }
    timeouts[WAIT_KEYS[key]] = Math.round(minutes * 60_000);
  }
  return timeouts;
}
