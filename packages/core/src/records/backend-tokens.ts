import { Dictionary, Field, FixedSizeList, Float64, Int32, makeData, RecordBatch, Schema, Struct, Utf8, vectorFromArray, type Data, type Vector } from 'apache-arrow';
import type { SinkRecord } from '../contracts/sink.ts';
import { utf8Data } from './arrow-records.ts';

/**
 * A language model's own tokens of the documents of one batch (the `llm` predictor's backend), as it scored
 * them, before alignment onto the pipeline's tokens: row `i` is token `position[i]` of document `doc[i]`,
 * covering UTF-16 units `[start[i], end[i])` of the text, with `bits[i] = −log2 q(token | before)`.
 * With a top-k backend, `topIds`/`topBits` hold `topK` entries per row (row-major, most likely first).
 */
export interface BackendTokenTable {
  readonly length: number;
  readonly doc: Int32Array;
  readonly position: Int32Array;
  readonly id: Int32Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly bits: Float64Array;
  readonly piece?: readonly string[];
  readonly topK: number;
  readonly topIds?: Int32Array;
  readonly topBits?: Float64Array;
}

/** What the backend-tokens table looks like; fixed by the first table seen. */
export interface BackendTokensShape {
  readonly predictors: readonly string[];
  readonly pieces: boolean;
  readonly topK: number;
}

/**
 * The backend-tokens table (`kolmo.table` = 'backend-tokens'): one row per backend token per predictor that
 * has such tokens, columns `predictor` (dictionary), `doc`, `position`, `token` (the backend's id), `start`,
 * `end` (UTF-16 units of the text), `bits`, then `piece` (the token's text) and `top_tokens`/`top_bits`
 * (fixed-size lists of k) when the backend gives them.
 */
export class BackendTokensLayout {
  readonly shape: BackendTokensShape;
  readonly schema: Schema;
  private readonly dictionary: Vector<Utf8>;

  constructor(shape: BackendTokensShape) {
    this.shape = shape;
    const fields: Field[] = [
      new Field('predictor', new Dictionary(new Utf8(), new Int32(), 1), false),
      new Field('doc', new Int32(), false),
      new Field('position', new Int32(), false),
      new Field('token', new Int32(), false),
      new Field('start', new Int32(), false),
      new Field('end', new Int32(), false),
      new Field('bits', new Float64(), false),
    ];
    if (shape.pieces) fields.push(new Field('piece', new Utf8(), false));
    if (shape.topK > 0) {
      fields.push(new Field('top_tokens', new FixedSizeList(shape.topK, new Field('item', new Int32(), false)), false));
      fields.push(new Field('top_bits', new FixedSizeList(shape.topK, new Field('item', new Float64(), false)), false));
    }
    this.schema = new Schema(fields, new Map([['kolmo.table', 'backend-tokens'], ['kolmo.predictors', JSON.stringify(shape.predictors)]]));
    this.dictionary = vectorFromArray([...shape.predictors], new Utf8());
  }

  /** The shape of a run's first record that carries backend tokens (undefined while none has). */
  static shapeOf(predictors: readonly string[], record: SinkRecord): BackendTokensShape | undefined {
    const tables = record.scored.flatMap((scored) => (scored.backendTokens ? [scored.backendTokens] : []));
    if (tables.length === 0) return undefined;
    return { predictors, pieces: tables.every((t) => t.piece !== undefined), topK: Math.min(...tables.map((t) => (t.topIds ? t.topK : 0))) };
  }

  /** One batch per predictor with backend tokens in this record (predictors without are left out). */
  toRecordBatches(record: SinkRecord): RecordBatch[] {
    const batches: RecordBatch[] = [];
    const predictorType = this.schema.fields[0].type as Dictionary<Utf8, Int32>;
    const k = this.shape.topK;
    record.scored.forEach((scored, index) => {
      const table = scored.backendTokens;
      if (!table) return;
      const n = table.length;
      const children: Data[] = [
        makeData({ type: predictorType, length: n, data: new Int32Array(n).fill(index), dictionary: this.dictionary }),
        int32(table.doc),
        int32(table.position),
        int32(table.id),
        int32(table.start),
        int32(table.end),
        makeData({ type: new Float64(), length: n, data: table.bits }),
      ];
      if (this.shape.pieces) children.push(utf8Data(table.piece ?? Array.from({ length: n }, () => '')));
      if (k > 0) {
        // A table with more than k entries per row keeps its k most likely (they come sorted).
        const stride = table.topK;
        const ids = new Int32Array(n * k);
        const bits = new Float64Array(n * k);
        for (let i = 0; i < n; i++) {
          ids.set(table.topIds!.subarray(i * stride, i * stride + k), i * k);
          bits.set(table.topBits!.subarray(i * stride, i * stride + k), i * k);
        }
        const listType = (j: number) => this.schema.fields[j].type as FixedSizeList;
        const at = this.schema.fields.length - 2;
        children.push(makeData({ type: listType(at), length: n, child: makeData({ type: new Int32(), length: n * k, data: ids }) }));
        children.push(makeData({ type: listType(at + 1), length: n, child: makeData({ type: new Float64(), length: n * k, data: bits }) }));
      }
      batches.push(new RecordBatch(this.schema, makeData({ type: new Struct(this.schema.fields), length: n, children })));
    });
    return batches;
  }
}

function int32(data: Int32Array): Data<Int32> {
  return makeData({ type: new Int32(), length: data.length, data });
}
