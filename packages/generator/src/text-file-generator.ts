import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineStage, KolmoError, type DocumentBatch, type Generator } from '@kolmo/core';
import { globSync } from 'tinyglobby';
import { z } from 'zod';

const config = z.object({
  path: z.string().min(1).describe('a file, or a glob of files, relative to the spec'),
  split: z.enum(['file', 'line']).default('file').describe('one document per file, or per line'),
  batchDocuments: z.number().int().positive().default(256).describe('documents per emitted batch'),
});

/** Documents from text files, strictly UTF-8: invalid bytes are an error that names the file and offset. */
export const textFileGenerator = defineStage({
  kind: 'generator',
  type: 'text-file',
  description: 'documents from a text file or a glob of files (one per file, or one per line), UTF-8 checked',
  config,
  create: ({ path, split, batchDocuments }, context): Generator => {
    const files = matchFiles(path, context.specDir);
    return {
      expectedDocuments: split === 'file' ? files.length : undefined,
      *batches() {
        let first = 0;
        let text: string[] = [];
        for (const file of files) {
          const content = decodeUtf8(file);
          const documents = split === 'file' ? [content] : content.split(/\r?\n/).filter((line) => line.length > 0);
          for (const document of documents) {
            text.push(document);
            if (text.length === batchDocuments) {
              yield batch(first, text);
              first += text.length;
              text = [];
            }
          }
        }
        if (text.length > 0) yield batch(first, text);
      },
    };
  },
});

function batch(first: number, text: string[]): DocumentBatch {
  return { first, text, columns: {} };
}

function matchFiles(pattern: string, baseDir: string): string[] {
  const isGlob = /[*?[\]{}]/.test(pattern);
  if (!isGlob) {
    const file = resolve(baseDir, pattern);
    let isFile = false;
    try {
      isFile = statSync(file).isFile();
    } catch {
      throw new KolmoError('input', `input file not found: ${file}`);
    }
    if (!isFile) throw new KolmoError('input', `input is not a file: ${file}`);
    return [file];
  }
  const files = globSync(pattern, { cwd: baseDir, absolute: true, onlyFiles: true }).sort();
  if (files.length === 0) throw new KolmoError('input', `no input files match ${pattern} (in ${baseDir})`);
  return files;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeUtf8(file: string): string {
  const bytes = readFileSync(file);
  try {
    return utf8.decode(bytes);
  } catch {
    throw new KolmoError('input', `${file} is not valid UTF-8 (first bad byte at offset ${firstInvalidUtf8(bytes)})`);
  }
}

/** The offset of the first byte that breaks UTF-8, for the error message. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const length = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    try {
      utf8.decode(bytes.subarray(i, i + length));
    } catch {
      return i;
    }
    i += length;
  }
  return -1;
}
