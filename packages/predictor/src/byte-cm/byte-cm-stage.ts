import { defineStage, KolmoError } from '@kolmo/core';
import { z } from 'zod';
import { defaultByteCmOptions } from './byte-cm-model.ts';
import { ByteCmPredictor } from './byte-cm-predictor.ts';

export const byteCmPredictorConfig = z.object({
  memory: z
    .number()
    .int()
    .min(16)
    .max(27)
    .default(defaultByteCmOptions.memory)
    .describe('log2 of the bytes of the hashed bit-history table (24 = 16 MiB; the whole model takes about 2^memory + 12 MiB)'),
  orders: z
    .array(z.number().int().min(1).max(8))
    .max(8)
    .default([...defaultByteCmOptions.orders])
    .describe('context orders besides order 0 (always on), each in 1..8: order 1 is a direct table, higher orders are hashed'),
  words: z.boolean().default(defaultByteCmOptions.words).describe('add word contexts (the current word with the last byte, the previous word, the two previous words)'),
  matchMinLength: z
    .number()
    .int()
    .min(0)
    .max(32)
    .default(defaultByteCmOptions.matchMinLength)
    .describe('bytes the match model hashes to find the last occurrence of the current context (0 turns the match model off)'),
});

export type ByteCmPredictorConfig = z.output<typeof byteCmPredictorConfig>;

export const byteCmPredictor = defineStage({
  kind: 'predictor',
  type: 'byte-cm',
  description: 'byte-level context mixing (orders 0–6, word contexts, match model; two-layer logistic mixer, APM), in the spirit of lpaq/paq8',
  config: byteCmPredictorConfig,
  create: (config, context) => {
    const vocabularySize = context.upstream.tokenizer?.vocabularySize ?? 256;
    if (vocabularySize > 256) {
      throw new KolmoError('invalidSpec', `byte-cm: models bytes, but the tokenizer has ${vocabularySize} tokens; use the bytes tokenizer (256)`);
    }
    if (new Set(config.orders).size !== config.orders.length) {
      throw new KolmoError('invalidSpec', `byte-cm.orders: [${config.orders.join(', ')}] repeats an order; list each order once`);
    }
    return new ByteCmPredictor(config);
  },
});
