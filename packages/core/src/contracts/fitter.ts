/** A metrics table: one row per run (sweep point), columns by name. */
export type MetricsTable = readonly Readonly<Record<string, number | string>>[];

/** Fits a model to a metrics table (theory §7); the result is plain JSON for the run folder and the report. */
export interface Fitter {
  fit(table: MetricsTable): Promise<FitResult> | FitResult;
}

export interface FitResult {
  readonly kind: string;
  readonly parameters: Readonly<Record<string, number>>;
  readonly intervals?: Readonly<Record<string, readonly [number, number]>>;
  readonly warnings: readonly string[];
  readonly [extra: string]: unknown;
}
