import { Buffer } from 'node:buffer';
import { mkdir, rmdir, unlink } from 'node:fs/promises';
import { endianness } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import {
  ArrowIpcFile,
  AtomicFile,
  defineStage,
  KolmoError,
  RecordTable,
  writeFileAtomic,
  type Sink,
  type SinkOpening,
  type SinkRecord,
  type Tokenizer,
} from '@kolmo/core';
import { z } from 'zod';
import { HeldOutSplit } from './held-out-split.ts';
import { jsonLines } from './json-lines.ts';

const config = z.object({
  directory: z.string().min(1).default('corpus').describe('folder of the corpus files, relative to the run folder'),
  endOfDocument: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe("id written after every document; default: the tokenizer's vocabularySize (one new id past the tokenizer's own)"),
  heldOut: z
    .number()
    .min(0)
    .refine((x) => x < 1 || Number.isInteger(x), 'a fraction in [0, 1) or a whole number (≥ 1) of documents')
    .default(0.1)
    .describe('documents held out for validation: a fraction in [0, 1), or a whole number ≥ 1 of documents'),
  split: z
    .enum(['random', 'index'])
    .default('random')
    .describe('random: a seeded draw per document (reproducible); index: by document index alone (evenly spread fraction, or the first N)'),
  groundTruth: z
    .enum(['arrow', 'jsonl', 'none'])
    .default('arrow')
    .describe('the documents table written alongside (text, ground truth, split, offset into the .bin): Arrow IPC file, JSON Lines, or none'),
});

/** File names inside the corpus folder (nanoGPT's train.bin / val.bin). */
export const tokenBinaryFiles = { train: 'train.bin', validation: 'val.bin', header: 'meta.json', arrow: 'documents.arrow', jsonl: 'documents.jsonl' } as const;

/** The JSON header (`meta.json`) that says how to read the .bin files. */
export interface TokenBinaryHeader {
  readonly format: 'kolmo-token-binary';
  readonly version: 1;
  /** numpy's name for the element type: `np.memmap('train.bin', dtype=np.uint16, mode='r')`. */
  readonly dtype: 'uint16' | 'uint32';
  readonly byteOrder: 'little';
  /** Every id in the files is below this (the tokenizer's vocabulary, plus the end-of-document id if new). */
  readonly vocabularySize: number;
  readonly tokenizerVocabularySize: number;
  readonly endOfDocument: number;
  /** Ids per file, end-of-document ids included. */
  readonly tokens: { readonly train: number; readonly validation: number };
  readonly documents: { readonly train: number; readonly validation: number };
  readonly heldOut: { readonly heldOut: number; readonly split: 'random' | 'index' };
  readonly files: { readonly train: string; readonly validation: string; readonly documents?: string };
  /** Each id's text, when the tokenizer offers tokenText; the end-of-document id (if new) is `<|endoftext|>`. */
  readonly vocabulary?: readonly string[];
}

/**
 * The corpus as flat token-id files for GPT training scripts (nanoGPT-style `np.memmap`): `train.bin` and
 * `val.bin` hold little-endian uint16 ids (uint32 beyond 65536 ids), each document followed by the
 * end-of-document id; `meta.json` is the header; `documents.arrow` (or .jsonl) is the documents table with the
 * ground truth, plus `split` (0 train, 1 validation) and `tokenOffset` (index of the document's first id in its
 * split's file). All files appear on close only.
 */
export const tokenBinarySink = defineStage({
  kind: 'sink',
  type: 'token-binary',
  description: 'flat token-id files (train.bin / val.bin, uint16 or uint32) with a JSON header and the documents table, for GPT training',
  config,
  create: (options, context): Sink => {
    const tokenizer = context.upstream.tokenizer;
    if (!tokenizer) throw new KolmoError('invalidSpec', "sinks.token-binary: needs the run's tokenizer, and none was built before it");
    const tokenizerVocabularySize = tokenizer.vocabularySize;
    const endOfDocument = options.endOfDocument ?? tokenizerVocabularySize;
    if (endOfDocument > tokenizerVocabularySize) {
      throw new KolmoError(
        'invalidSpec',
        `sinks.token-binary.endOfDocument: ${endOfDocument} would leave unused ids; use an id in [0, ${tokenizerVocabularySize}] (${tokenizerVocabularySize} adds one new id)`,
      );
    }
    const vocabularySize = Math.max(tokenizerVocabularySize, endOfDocument + 1);
    if (vocabularySize > 2 ** 32) throw new KolmoError('invalidSpec', `sinks.token-binary: ${vocabularySize} ids do not fit 32 bits`);
    const heldOutSplit = new HeldOutSplit({
      heldOut: options.heldOut,
      choice: options.split,
      rng: context.rng('held-out'),
      expectedDocuments: context.upstream.generator?.expectedDocuments,
    });
    return new TokenBinarySink(
      { ...options, directory: resolve(context.runDir, options.directory), tokenizer, endOfDocument, vocabularySize },
      heldOutSplit,
    );
  },
});

interface TokenBinaryOptions {
  readonly directory: string;
  readonly tokenizer: Tokenizer;
  readonly endOfDocument: number;
  readonly vocabularySize: number;
  readonly heldOut: number;
  readonly split: 'random' | 'index';
  readonly groundTruth: 'arrow' | 'jsonl' | 'none';
}

interface OpenFiles {
  readonly train: AtomicFile;
  readonly validation: AtomicFile;
  readonly documents: ArrowIpcFile | AtomicFile | undefined;
  readonly table: RecordTable;
}

const swapBytes = endianness() === 'BE'; // the files are little-endian whatever the machine

class TokenBinarySink implements Sink {
  private readonly options: TokenBinaryOptions;
  private readonly heldOutSplit: HeldOutSplit;
  private readonly dtype: 'uint16' | 'uint32';
  private files: OpenFiles | undefined;
  /** The first folder this sink created, removed again on abort if nothing else is in it. */
  private createdDirectory: string | undefined;
  private readonly tokens = { train: 0, validation: 0 };
  private readonly documents = { train: 0, validation: 0 };

  constructor(options: TokenBinaryOptions, heldOutSplit: HeldOutSplit) {
    this.options = options;
    this.heldOutSplit = heldOutSplit;
    this.dtype = options.vocabularySize <= 65536 ? 'uint16' : 'uint32';
  }

  async open({ predictors }: SinkOpening): Promise<void> {
    const { directory, groundTruth } = this.options;
    this.createdDirectory = await mkdir(directory, { recursive: true });
    const files: AtomicFile[] = [];
    try {
      files.push(await AtomicFile.create(join(directory, tokenBinaryFiles.train)));
      files.push(await AtomicFile.create(join(directory, tokenBinaryFiles.validation)));
      const documents =
        groundTruth === 'arrow'
          ? await ArrowIpcFile.create(join(directory, tokenBinaryFiles.arrow), 'file')
          : groundTruth === 'jsonl'
            ? await AtomicFile.create(join(directory, tokenBinaryFiles.jsonl))
            : undefined;
      this.files = { train: files[0], validation: files[1], documents, table: new RecordTable('documents', predictors) };
    } catch (error) {
      await Promise.all(files.map((file) => file.abort()));
      throw error;
    }
  }

  async write(record: SinkRecord): Promise<void> {
    if (!this.files) await this.open({ predictors: record.scored.map((s) => s.predictor) });
    const files = this.files!;
    const { documents, tokens } = record;
    const documentCount = documents.text.length;
    const { endOfDocument, vocabularySize } = this.options;

    // Which split each document goes to, and where it starts in that split's file.
    const split = new Uint8Array(documentCount);
    const tokenOffset = new Float64Array(documentCount);
    const tokenCount = new Int32Array(documentCount);
    for (let i = 0; i < tokens.length; i++) tokenCount[tokens.doc[i] - documents.first]++;
    const length = { train: 0, validation: 0 };
    for (let d = 0; d < documentCount; d++) {
      const part = this.heldOutSplit.next() ? 'validation' : 'train';
      split[d] = part === 'validation' ? 1 : 0;
      tokenOffset[d] = this.tokens[part] + length[part];
      length[part] += tokenCount[d] + 1;
      this.documents[part]++;
    }

    // The ids of each split, each document followed by the end-of-document id.
    const Ids = this.dtype === 'uint16' ? Uint16Array : Uint32Array;
    const ids = { train: new Ids(length.train), validation: new Ids(length.validation) };
    const at = { train: 0, validation: 0 };
    let i = 0;
    for (let d = 0; d < documentCount; d++) {
      const part = split[d] === 1 ? 'validation' : 'train';
      const out = ids[part];
      let k = at[part];
      for (const doc = documents.first + d; i < tokens.length && tokens.doc[i] === doc; i++) {
        const id = tokens.ids[i];
        if (id < 0 || id >= vocabularySize) throw new KolmoError('output', `token-binary: token id ${id} of document ${doc} is outside [0, ${vocabularySize})`);
        out[k++] = id;
      }
      out[k++] = endOfDocument;
      at[part] = k;
    }
    if (i !== tokens.length) throw new KolmoError('output', 'token-binary: tokens are not grouped in document order');

    await files.train.write(littleEndianBytes(ids.train));
    await files.validation.write(littleEndianBytes(ids.validation));
    this.tokens.train += length.train;
    this.tokens.validation += length.validation;

    if (files.documents) {
      const withSplit: SinkRecord = { ...record, documents: { ...documents, columns: { ...documents.columns, split, tokenOffset } } };
      const [batch] = files.table.toRecordBatches(withSplit);
      if (files.documents instanceof ArrowIpcFile) await files.documents.write(batch);
      else {
        const columns = batch.schema.fields.map((field, j) => [field.name, batch.getChildAt(j)!.toArray()] as const);
        await files.documents.write(Buffer.from(jsonLines(batch.numRows, columns), 'utf8'));
      }
    }
  }

  async close(): Promise<readonly string[]> {
    if (!this.files) await this.open({ predictors: [] });
    const files = this.files!;
    this.files = undefined;
    const committed: string[] = [];
    try {
      committed.push(await files.train.commit(), await files.validation.commit());
      if (files.documents instanceof ArrowIpcFile) committed.push(await files.documents.commit(files.table.schema));
      else if (files.documents) committed.push(await files.documents.commit());
      // The header comes last: its presence says the corpus is whole.
      committed.push(await writeFileAtomic(join(this.options.directory, tokenBinaryFiles.header), `${JSON.stringify(this.header(), null, 2)}\n`));
      return committed;
    } catch (error) {
      await Promise.all([files.train.abort(), files.validation.abort(), files.documents?.abort()]);
      await Promise.all(committed.map((path) => unlink(path).catch(() => undefined)));
      throw error;
    }
  }

  async abort(): Promise<void> {
    const files = this.files;
    this.files = undefined;
    if (files) await Promise.all([files.train.abort(), files.validation.abort(), files.documents?.abort()]);
    if (this.createdDirectory) await removeEmptyFolders(this.options.directory, this.createdDirectory);
  }

  private header(): TokenBinaryHeader {
    const { tokenizer, endOfDocument, vocabularySize, heldOut, split, groundTruth } = this.options;
    const vocabulary = tokenizer.tokenText
      ? Array.from({ length: vocabularySize }, (_, id) => (id < tokenizer.vocabularySize ? tokenizer.tokenText!(id) : '<|endoftext|>'))
      : undefined;
    return {
      format: 'kolmo-token-binary',
      version: 1,
      dtype: this.dtype,
      byteOrder: 'little',
      vocabularySize,
      tokenizerVocabularySize: tokenizer.vocabularySize,
      endOfDocument,
      tokens: { ...this.tokens },
      documents: { ...this.documents },
      heldOut: { heldOut, split },
      files: {
        train: tokenBinaryFiles.train,
        validation: tokenBinaryFiles.validation,
        ...(groundTruth === 'none' ? {} : { documents: groundTruth === 'arrow' ? tokenBinaryFiles.arrow : tokenBinaryFiles.jsonl }),
      },
      ...(vocabulary ? { vocabulary } : {}),
    };
  }
}

function littleEndianBytes(ids: Uint16Array | Uint32Array): Uint8Array {
  const bytes = Buffer.from(ids.buffer, ids.byteOffset, ids.byteLength);
  if (swapBytes && ids instanceof Uint16Array) bytes.swap16();
  else if (swapBytes) bytes.swap32();
  return bytes;
}

/** Removes `folder` and its parents up to `top` while they are empty (what `mkdir -p` made, and nothing else). */
async function removeEmptyFolders(folder: string, top: string): Promise<void> {
  for (let dir = folder; ; dir = dirname(dir)) {
    try {
      await rmdir(dir);
    } catch {
      return;
    }
    if (dir === top || dirname(dir) === dir) return;
  }
}
