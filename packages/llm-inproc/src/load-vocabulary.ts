import { readFile } from 'node:fs/promises';
import { KolmoError } from '@kolmo/core';
import { ByteVocabulary } from './byte-vocabulary.ts';
import type { GgufFile } from './gguf-file.ts';
import { decodeGpt2Text } from './gpt2-byte-text.ts';
import type { ModelCard } from './model-card.ts';
import type { ModelVocabulary } from './model-vocabulary.ts';
import { WordVocabulary } from './word-vocabulary.ts';

/**
 * A word vocabulary from a token-binary corpus header (`meta.json`, written by the token-binary sink): its
 * `vocabulary` texts, with the end-of-document id as the begin id.
 */
export async function vocabularyFromCorpusHeader(path: string): Promise<WordVocabulary> {
  let header: { vocabulary?: unknown; endOfDocument?: unknown; vocabularySize?: unknown };
  try {
    header = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new KolmoError('input', `${path}: cannot read the vocabulary (${(error as Error).message})`, { cause: error });
  }
  const { vocabulary, endOfDocument } = header;
  if (!Array.isArray(vocabulary) || !vocabulary.every((text) => typeof text === 'string') || typeof endOfDocument !== 'number') {
    throw new KolmoError('input', `${path}: not a token-binary header with a vocabulary (expected "vocabulary": [texts] and "endOfDocument": id)`);
  }
  return new WordVocabulary(vocabulary, endOfDocument, path);
}

/**
 * The vocabulary a GGUF file written by tools/train-lm carries: a BPE ("gpt2") token list without merges whose
 * token i is the corpus' token i, spelled in GPT-2's byte text; `bos_token_id` is the begin id.
 */
export function vocabularyFromGguf(gguf: GgufFile, kind: 'words' | 'bytes'): ModelVocabulary {
  const spellings = gguf.strings('tokenizer.ggml.tokens');
  const beginId = gguf.number('tokenizer.ggml.bos_token_id');
  if (kind === 'bytes') {
    for (let byte = 0; byte < 256; byte++) {
      const bytes = decodeGpt2Text(spellings[byte] ?? '');
      if (bytes?.length !== 1 || bytes[0] !== byte) throw new KolmoError('input', `${gguf.path}: token ${byte} is not the byte ${byte}, so this is not a byte-level model`);
    }
    return new ByteVocabulary(beginId, spellings.length);
  }
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const texts = spellings.map((spelling, id) => {
    if (id === beginId) return spelling;
    const bytes = decodeGpt2Text(spelling);
    try {
      if (bytes) return utf8.decode(bytes);
    } catch {
      // not whole UTF-8: reported below
    }
    throw new KolmoError('input', `${gguf.path}: token ${id} (${JSON.stringify(spelling)}) is not a whole word in GPT-2 byte text; use tokenizer: model`);
  });
  return new WordVocabulary(texts, beginId, gguf.path);
}

/** What a card says about the vocabulary: bytes for byte models, words (from a corpus header) otherwise. */
export function vocabularyKindOf(card: ModelCard): 'words' | 'bytes' {
  return card.corpus.kind === 'bytes' ? 'bytes' : 'words';
}
