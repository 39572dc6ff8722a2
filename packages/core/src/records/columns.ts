/** A column of a batch: a typed array, or strings. Batches are columnar so one emission carries thousands of rows. */
export type NumericColumn =
  | Float64Array
  | Float32Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array;

export type Column = NumericColumn | string[];

/** Extra per-row columns a stage attaches (ground truth, diagnostics); every sink writes them as they are. */
export type Columns = Record<string, Column>;
