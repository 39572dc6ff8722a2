import { defineStage, Slot, type DocumentBatch, type TokenBatch, type Tokenizer } from '@kolmo/core';
import { z } from 'zod';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 bytes as tokens 0..255; offsets are byte offsets within the document. */
export class BytesTokenizer implements Tokenizer {
  readonly vocabularySize = 256;
  private scratch = new Uint8Array(1 << 16);

  tokenize(documents: DocumentBatch): TokenBatch {
    let capacity = 0;
    for (const text of documents.text) capacity += text.length * 3; // a UTF-16 unit is at most 3 UTF-8 bytes
    if (this.scratch.length < capacity) this.scratch = new Uint8Array(capacity);
    const ids = new Int32Array(capacity);
    const doc = new Int32Array(capacity);
    const start = new Int32Array(capacity);
    let length = 0;
    documents.text.forEach((text, row) => {
      const { written } = encoder.encodeInto(text, this.scratch.subarray(0, text.length * 3));
      const index = documents.first + row;
      for (let i = 0; i < written; i++) {
        ids[length + i] = this.scratch[i];
        doc[length + i] = index;
        start[length + i] = i;
      }
      length += written;
    });
    const end = new Int32Array(length);
    for (let i = 0; i < length; i++) end[i] = start[i] + 1;
    return {
      length,
      ids: ids.subarray(0, length),
      doc: doc.subarray(0, length),
      slot: new Uint8Array(length).fill(Slot.text),
      start: start.subarray(0, length),
      end,
      offsetUnit: 'utf8',
      documents,
    };
  }

  detokenize(ids: ArrayLike<number>): string {
    return decoder.decode(Uint8Array.from(ids));
  }

  tokenText(id: number): string {
    return id >= 0x20 && id < 0x7f ? String.fromCharCode(id) : `<0x${id.toString(16).padStart(2, '0')}>`;
  }
}

export const bytesTokenizer = defineStage({
  kind: 'tokenizer',
  type: 'bytes',
  description: 'UTF-8 bytes as tokens (vocabulary 256), byte offsets',
  config: z.object({}),
  create: () => new BytesTokenizer(),
});
