// A benchmark plugin: a synthetic text source whose own cost is negligible (a pool of random documents cycled).
import { defineStage, stageModule, z, type Generator } from '@kolmo/core';

const syntheticText = defineStage({
  kind: 'generator',
  type: 'synthetic-text',
  description: 'random printable ASCII documents from a small pool (benchmarks)',
  config: z.object({
    documents: z.number().int().min(0),
    documentBytes: z.number().int().positive().default(4096),
    perBatch: z.number().int().positive().default(16),
  }),
  create: ({ documents, documentBytes, perBatch }, context): Generator => {
    const rng = context.rng('text');
    const pool = Array.from({ length: 64 }, () => {
      let text = '';
      for (let i = 0; i < documentBytes; i++) text += String.fromCharCode(32 + (rng.nextUint32() % 95));
      return text;
    });
    return {
      expectedDocuments: documents,
      *batches() {
        for (let first = 0; first < documents; first += perBatch) {
          const text: string[] = [];
          for (let i = first; i < Math.min(documents, first + perBatch); i++) text.push(pool[i % pool.length]);
          yield { first, text, columns: {} };
        }
      },
    };
  },
});

export default stageModule(syntheticText);
