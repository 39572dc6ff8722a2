import { Buffer } from 'node:buffer';
import {
  Dictionary,
  Field,
  Float32,
  Float64,
  Int8,
  Int16,
  Int32,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Uint8,
  Uint16,
  Uint32,
  Utf8,
  vectorFromArray,
  type Data,
  type DataType,
  type Vector,
} from 'apache-arrow';
import type { SinkRecord } from '../contracts/sink.ts';
import { KolmoError } from '../errors.ts';
import type { Column } from './columns.ts';
import { slotNames } from './slot.ts';
import type { TokenBatch } from './token-batch.ts';
import { BackendTokensLayout } from './backend-tokens.ts';

/**
 * The Arrow tables every tabular sink writes (Arrow IPC, Parquet, corpus ground truth), defined once here so
 * all outputs share one schema. Batches are built zero-copy from the record's typed arrays wherever a column
 * exists as such; only derived columns (predictor index, position in document, per-document sums) are new.
 *
 * Schema metadata (all values strings): `kolmo.table` ('scored-tokens' | 'documents'), `kolmo.predictors`
 * (JSON array, spec order), `kolmo.slots` (JSON array: the name of each `slot` value), `kolmo.offset_unit`.
 */
export const arrowMetadataKeys = {
  table: 'kolmo.table',
  predictors: 'kolmo.predictors',
  slots: 'kolmo.slots',
  offsetUnit: 'kolmo.offset_unit',
} as const;

/** What the scored-tokens table looks like; fixed by the run's predictors and its first token batch. */
export interface ScoredTokensShape {
  readonly predictors: readonly string[];
  /** Whether tokens carry their code length under the true source (a `true_bits` column). */
  readonly trueBits: boolean;
  /** Unknown when no token was ever seen (an empty run). */
  readonly offsetUnit?: TokenBatch['offsetUnit'];
}

/** A scored-tokens schema with the one predictor dictionary all of its batches share (IPC sends it once). */
export interface ScoredTokensLayout {
  readonly shape: ScoredTokensShape;
  readonly schema: Schema;
  readonly predictorDictionary: Vector<Utf8> | undefined;
}

export function scoredTokensShapeOf(predictors: readonly string[], tokens: TokenBatch): ScoredTokensShape {
  return { predictors, trueBits: tokens.trueBits !== undefined, offsetUnit: tokens.offsetUnit };
}

/**
 * The long-format token table: one row per token per predictor, columns `predictor` (dictionary of the
 * predictor names), `doc`, `position` (index of the token within its document), `token` (id), `slot`,
 * `start`, `end`, `bits`, and `true_bits` when the source is known. Without predictors: one row per token,
 * no `predictor` and no `bits`.
 */
export function scoredTokensLayout(shape: ScoredTokensShape): ScoredTokensLayout {
  const scored = shape.predictors.length > 0;
  const fields: Field[] = [];
  if (scored) fields.push(new Field('predictor', new Dictionary(new Utf8(), new Int32(), 0), false));
  fields.push(
    new Field('doc', new Int32(), false),
    new Field('position', new Int32(), false),
    new Field('token', new Int32(), false),
    new Field('slot', new Uint8(), false),
    new Field('start', new Int32(), false),
    new Field('end', new Int32(), false),
  );
  if (scored) fields.push(new Field('bits', new Float64(), false));
  if (shape.trueBits) fields.push(new Field('true_bits', new Float64(), false));
  const metadata = new Map<string, string>([
    [arrowMetadataKeys.table, 'scored-tokens'],
    [arrowMetadataKeys.predictors, JSON.stringify(shape.predictors)],
    [arrowMetadataKeys.slots, JSON.stringify(slotNames)],
  ]);
  if (shape.offsetUnit) metadata.set(arrowMetadataKeys.offsetUnit, shape.offsetUnit);
  return {
    shape,
    schema: new Schema(fields, metadata),
    predictorDictionary: scored ? vectorFromArray([...shape.predictors], new Utf8()) : undefined,
  };
}

export function scoredTokensSchema(shape: ScoredTokensShape): Schema {
  return scoredTokensLayout(shape).schema;
}

/**
 * One record as token-table batches: one batch per predictor (predictor-major), or a single batch without
 * predictors. The token columns of every batch are views of the record's arrays, not copies.
 */
export function scoredTokensToRecordBatches(layout: ScoredTokensLayout, record: SinkRecord): RecordBatch[] {
  const { tokens, scored } = record;
  const { shape, schema } = layout;
  checkTokensMatch(shape, record);
  const n = tokens.length;
  const view = <T extends { subarray(begin: number, end: number): T }>(array: T) => array.subarray(0, n);
  const tokenColumns = [
    int32Data(view(tokens.doc)),
    int32Data(positionsInDocument(tokens.doc, n)),
    int32Data(view(tokens.ids)),
    makeData({ type: new Uint8(), length: n, data: view(tokens.slot) }),
    int32Data(view(tokens.start)),
    int32Data(view(tokens.end)),
  ];
  const trueBits = shape.trueBits ? [float64Data(view(tokens.trueBits!))] : [];
  const batch = (children: Data[]) => new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: n, children }));
  if (shape.predictors.length === 0) return [batch([...tokenColumns, ...trueBits])];
  const predictorType = schema.fields[0].type as Dictionary<Utf8, Int32>;
  return scored.map((result, k) => {
    const predictor = makeData({ type: predictorType, length: n, data: new Int32Array(n).fill(k), dictionary: layout.predictorDictionary });
    return batch([predictor, ...tokenColumns, float64Data(view(result.bits)), ...trueBits]);
  });
}

/** Index of each token within its document (tokens of a document are contiguous in a batch). */
export function positionsInDocument(doc: Int32Array, length = doc.length): Int32Array {
  const positions = new Int32Array(length);
  let documentStart = 0;
  for (let i = 0; i < length; i++) {
    if (i > 0 && doc[i] !== doc[i - 1]) documentStart = i;
    positions[i] = i - documentStart;
  }
  return positions;
}

/** The Arrow type a ground-truth column is written as. */
export type ArrowColumnType = 'float64' | 'float32' | 'int32' | 'uint32' | 'int16' | 'uint16' | 'int8' | 'uint8' | 'utf8';

export interface DocumentsShape {
  readonly predictors: readonly string[];
  /** The ground-truth columns of `DocumentBatch.columns`, in their order. */
  readonly columns: readonly { readonly name: string; readonly type: ArrowColumnType }[];
  /** Whether tokens carry true code lengths (a `true_bits` per-document sum). */
  readonly trueBits: boolean;
}

export interface DocumentsLayout {
  readonly shape: DocumentsShape;
  readonly schema: Schema;
}

export function documentsShapeOf(predictors: readonly string[], record: Pick<SinkRecord, 'documents' | 'tokens'>): DocumentsShape {
  const columns = Object.entries(record.documents.columns).map(([name, column]) => ({ name, type: arrowColumnTypeOf(column) }));
  return { predictors, columns, trueBits: record.tokens.trueBits !== undefined };
}

/**
 * The per-document table: `doc`, `text`, `tokens` (token count), every ground-truth column as it is,
 * `true_bits` (sum over the document's tokens) when the source is known, and `bits_<predictor>` for each
 * predictor (sum of its code lengths over the document's tokens).
 */
export function documentsLayout(shape: DocumentsShape): DocumentsLayout {
  const fields: Field[] = [new Field('doc', new Int32(), false), new Field('text', new Utf8(), false), new Field('tokens', new Int32(), false)];
  for (const { name, type } of shape.columns) fields.push(new Field(name, arrowTypeOf(type), false));
  if (shape.trueBits) fields.push(new Field('true_bits', new Float64(), false));
  for (const predictor of shape.predictors) fields.push(new Field(`bits_${predictor}`, new Float64(), false));
  const seen = new Set<string>();
  for (const field of fields) {
    if (seen.has(field.name)) {
      throw new KolmoError('output', `documents table: column "${field.name}" appears twice (a ground-truth column clashes with a column the table adds)`);
    }
    seen.add(field.name);
  }
  const metadata = new Map([
    [arrowMetadataKeys.table, 'documents'],
    [arrowMetadataKeys.predictors, JSON.stringify(shape.predictors)],
  ]);
  return { shape, schema: new Schema(fields, metadata) };
}

export function documentsSchema(shape: DocumentsShape): Schema {
  return documentsLayout(shape).schema;
}

/** One record's documents as one batch; ground-truth numeric columns are views, not copies. */
export function documentsToRecordBatch(layout: DocumentsLayout, record: SinkRecord): RecordBatch {
  const { documents, tokens, scored } = record;
  const { shape, schema } = layout;
  const n = documents.text.length;
  checkDocumentsMatch(shape, record);
  const doc = new Int32Array(n);
  for (let i = 0; i < n; i++) doc[i] = documents.first + i;
  const counts = new Int32Array(n);
  for (let i = 0; i < tokens.length; i++) counts[tokens.doc[i] - documents.first]++;
  const children: Data[] = [int32Data(doc), utf8Data(documents.text), int32Data(counts)];
  for (const { name, type } of shape.columns) children.push(columnData(documents.columns[name], type, n));
  if (shape.trueBits) children.push(float64Data(sumPerDocument(tokens, tokens.trueBits!, documents.first, n)));
  for (const result of scored) children.push(float64Data(sumPerDocument(tokens, result.bits, documents.first, n)));
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: n, children }));
}

/** Σ bits over each document's tokens, in token order. */
export function sumPerDocument(tokens: TokenBatch, bits: Float64Array, firstDocument: number, documentCount: number): Float64Array {
  const sums = new Float64Array(documentCount);
  for (let i = 0; i < tokens.length; i++) sums[tokens.doc[i] - firstDocument] += bits[i];
  return sums;
}

function checkTokensMatch(shape: ScoredTokensShape, { tokens, scored }: SinkRecord): void {
  if ((tokens.trueBits !== undefined) !== shape.trueBits) {
    throw new KolmoError('output', `token table: true_bits ${shape.trueBits ? 'missing from a later batch' : 'appeared after the first batch'}; every batch must agree`);
  }
  if (shape.offsetUnit && tokens.length > 0 && tokens.offsetUnit !== shape.offsetUnit) {
    throw new KolmoError('output', `token table: offsets changed unit from ${shape.offsetUnit} to ${tokens.offsetUnit}`);
  }
  checkPredictors(shape.predictors, scored);
}

function checkDocumentsMatch(shape: DocumentsShape, { documents, tokens, scored }: SinkRecord): void {
  const names = Object.keys(documents.columns);
  const expected = shape.columns.map((column) => column.name);
  if (names.length !== expected.length || names.some((name) => !expected.includes(name))) {
    throw new KolmoError('output', `documents table: ground-truth columns changed from [${expected.join(', ')}] to [${names.join(', ')}]`);
  }
  if ((tokens.trueBits !== undefined) !== shape.trueBits) {
    throw new KolmoError('output', 'documents table: true_bits must be present in every batch or in none');
  }
  checkPredictors(shape.predictors, scored);
}

function checkPredictors(predictors: readonly string[], scored: SinkRecord['scored']): void {
  if (scored.length !== predictors.length || scored.some((result, k) => result.predictor !== predictors[k])) {
    throw new KolmoError('output', `scores for [${scored.map((s) => s.predictor).join(', ')}] do not match the predictors the sink was opened with [${predictors.join(', ')}]`);
  }
}

function arrowColumnTypeOf(column: Column): ArrowColumnType {
  if (Array.isArray(column)) return 'utf8';
  if (column instanceof Float64Array) return 'float64';
  if (column instanceof Float32Array) return 'float32';
  if (column instanceof Int32Array) return 'int32';
  if (column instanceof Uint32Array) return 'uint32';
  if (column instanceof Int16Array) return 'int16';
  if (column instanceof Uint16Array) return 'uint16';
  if (column instanceof Int8Array) return 'int8';
  if (column instanceof Uint8Array) return 'uint8';
  throw new KolmoError('output', `unsupported column type ${Object.prototype.toString.call(column)}`);
}

function arrowTypeOf(type: ArrowColumnType): DataType {
  switch (type) {
    case 'float64':
      return new Float64();
    case 'float32':
      return new Float32();
    case 'int32':
      return new Int32();
    case 'uint32':
      return new Uint32();
    case 'int16':
      return new Int16();
    case 'uint16':
      return new Uint16();
    case 'int8':
      return new Int8();
    case 'uint8':
      return new Uint8();
    case 'utf8':
      return new Utf8();
  }
}

function columnData(column: Column | undefined, type: ArrowColumnType, n: number): Data {
  if (column === undefined || arrowColumnTypeOf(column) !== type) {
    throw new KolmoError('output', `documents table: a ground-truth column changed type or went missing (expected ${type})`);
  }
  if (Array.isArray(column)) return utf8Data(column.length === n ? column : column.slice(0, n));
  return makeData({ type: arrowTypeOf(type) as Int32, length: n, data: column.subarray(0, n) as Int32Array });
}

function int32Data(data: Int32Array): Data<Int32> {
  return makeData({ type: new Int32(), length: data.length, data });
}

function float64Data(data: Float64Array): Data<Float64> {
  return makeData({ type: new Float64(), length: data.length, data });
}

/** UTF-8 strings encoded once into one buffer with 32-bit offsets (Arrow's Utf8 layout). */
export function utf8Data(strings: readonly string[]): Data<Utf8> {
  const offsets = new Int32Array(strings.length + 1);
  let total = 0;
  for (let i = 0; i < strings.length; i++) {
    total += Buffer.byteLength(strings[i], 'utf8');
    if (total > 0x7fffffff) throw new KolmoError('output', 'a batch holds more than 2 GiB of text, more than one Arrow Utf8 column can');
    offsets[i + 1] = total;
  }
  const bytes = Buffer.alloc(total);
  for (let i = 0; i < strings.length; i++) bytes.write(strings[i], offsets[i], 'utf8');
  return makeData({ type: new Utf8(), length: strings.length, valueOffsets: offsets, data: bytes });
}

/** Which table a tabular sink writes. */
export type RecordTableKind = 'tokens' | 'documents' | 'backend-tokens';

/**
 * The table a tabular sink writes, record by record. Its layout is fixed by the first record (whether tokens
 * carry true bits, which ground-truth columns documents have); an empty run still gets a schema.
 */
export class RecordTable {
  readonly kind: RecordTableKind;
  readonly predictors: readonly string[];
  private tokens: ScoredTokensLayout | undefined;
  private documents: DocumentsLayout | undefined;
  private backendTokens: BackendTokensLayout | undefined;

  constructor(kind: RecordTableKind, predictors: readonly string[]) {
    this.kind = kind;
    this.predictors = predictors;
  }

  toRecordBatches(record: SinkRecord): RecordBatch[] {
    if (this.kind === 'backend-tokens') {
      const shape = this.backendTokens ? undefined : BackendTokensLayout.shapeOf(this.predictors, record);
      if (shape) this.backendTokens = new BackendTokensLayout(shape);
      return this.backendTokens?.toRecordBatches(record) ?? [];
    }
    if (this.kind === 'tokens') {
      this.tokens ??= scoredTokensLayout(scoredTokensShapeOf(this.predictors, record.tokens));
      return scoredTokensToRecordBatches(this.tokens, record);
    }
    this.documents ??= documentsLayout(documentsShapeOf(this.predictors, record));
    return [documentsToRecordBatch(this.documents, record)];
  }

  /** The layout's schema; before any record, the schema of a run without true bits or ground truth. */
  get schema(): Schema {
    if (this.kind === 'backend-tokens') return (this.backendTokens ?? new BackendTokensLayout({ predictors: this.predictors, pieces: false, topK: 0 })).schema;
    if (this.kind === 'tokens') return (this.tokens ?? scoredTokensLayout({ predictors: this.predictors, trueBits: false })).schema;
    return (this.documents ?? documentsLayout({ predictors: this.predictors, columns: [], trueBits: false })).schema;
  }
}
