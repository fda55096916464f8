export interface BenchResult {
  readonly name: string;
  /** NaN when there is nothing to measure (e.g. a gap between edits with fewer than two edits). */
  readonly value: number;
  readonly unit: string;
  readonly target?: string;
  /** Undefined: no target; with a target, false when missed or when the figure could not be taken. */
  readonly pass?: boolean;
  /** Shown instead of the value when set, e.g. 'n/a (1 edit)'. */
  readonly display?: string;
  /** Raw figures behind the value, for the JSON only. */
  readonly detail?: Readonly<Record<string, unknown>>;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? NaN;
}

/** The spread of a figure's runs, for the table: "p10–p90" over the runs (their min–max under 10 runs). */
export function spread(values: readonly number[], digits = 0): string {
  const [low, high] = values.length >= 10 ? [percentile(values, 10), percentile(values, 90)] : [Math.min(...values), Math.max(...values)];
  return `${values.length >= 10 ? 'p10–p90' : 'range'} ${low.toFixed(digits)}–${high.toFixed(digits)}`;
}
