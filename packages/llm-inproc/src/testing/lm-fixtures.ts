import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The repository's committed transformer fixtures (tools/train-lm, `fixtures/lm/`). */
export const lmFixturesDir = fileURLToPath(new URL('../../../../fixtures/lm/', import.meta.url));

/** A checkpoint folder's files: `lmFixture('sk-200k', 400)`, or the only checkpoint of a size without a step. */
export function lmFixture(name: string, step: number): { readonly dir: string; readonly onnx: string; readonly gguf: string; readonly card: string } {
  const dir = join(lmFixturesDir, name, `step-${String(step).padStart(6, '0')}`);
  return { dir, onnx: join(dir, 'model.onnx'), gguf: join(dir, 'model.gguf'), card: join(dir, 'card.json') };
}

/** The SK corpus header (with its vocabulary) the sk-* fixtures were trained on. */
export const skCorpusHeader = join(lmFixturesDir, 'sk-corpus', 'meta.json');

/**
 * The first `count` documents of the fixtures' held-out SK corpus (val.bin, uint16 ids, each document followed by
 * the end-of-document id), as texts through the corpus' vocabulary and as ids.
 */
export async function skValidationDocuments(count: number): Promise<{ readonly texts: string[]; readonly ids: Int32Array[]; readonly endOfDocument: number }> {
  const header = JSON.parse(await readFile(skCorpusHeader, 'utf8')) as { vocabulary: string[]; endOfDocument: number };
  const bytes = await readFile(join(lmFixturesDir, 'sk-corpus', 'val.bin'));
  const all = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
  const texts: string[] = [];
  const ids: Int32Array[] = [];
  let start = 0;
  for (let i = 0; i < all.length && ids.length < count; i++) {
    if (all[i] !== header.endOfDocument) continue;
    const document = Int32Array.from(all.subarray(start, i));
    ids.push(document);
    texts.push(Array.from(document, (id) => header.vocabulary[id]).join(''));
    start = i + 1;
  }
  return { texts, ids, endOfDocument: header.endOfDocument };
}
