import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { KolmoError, z } from '@kolmo/core';

/** The fields of a tools/train-lm card (card.json beside each checkpoint) that an in-process backend reads. */
const cardSchema = z.looseObject({
  format: z.literal('kolmo-lm-card'),
  name: z.string(),
  step: z.number().int(),
  model: z.looseObject({ vocabulary_size: z.number().int().positive(), context_length: z.number().int().positive() }),
  io: z.looseObject({ beginId: z.number().int().min(0) }),
  corpus: z.looseObject({ kind: z.enum(['token-binary', 'bytes']), sha256: z.string() }),
});

export type ModelCard = z.output<typeof cardSchema> & { readonly path: string };

/** Reads and checks a card; errors name the file and the field. */
export async function readModelCard(path: string): Promise<ModelCard> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new KolmoError('input', `${path}: cannot read the model card (${(error as Error).message})`, { cause: error });
  }
  const parsed = cardSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new KolmoError('input', `${path}: not a kolmo-lm card: ${issue.path.join('.') || '(top)'}: ${issue.message}`);
  }
  return { ...parsed.data, path };
}

/** The card named in a config, or `card.json` beside the model file when there is one; undefined otherwise. */
export async function modelCardFor(modelPath: string, cardPath: string | undefined): Promise<ModelCard | undefined> {
  if (cardPath !== undefined) return readModelCard(cardPath);
  const beside = join(dirname(modelPath), 'card.json');
  return existsSync(beside) ? readModelCard(beside) : undefined;
}
