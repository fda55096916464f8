// A hand-driven clock for model tests: time moves only when the test says so.

export interface FakeClock {
  readonly now: () => number;
  /** Moves time forward by `ms`. */
  advance(ms: number): void;
}

/** 2024-03-01 12:00:00 UTC, so strtime assertions have a known date. */
export const CLOCK_START = Date.UTC(2024, 2, 1, 12, 0, 0);

export function createFakeClock(start = CLOCK_START): FakeClock {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
  };
}

/** Simulated seconds to clock ms at time scale 1. */
export const seconds = (s: number): number => s * 1000;
