import { defineStage, type Coder } from '@kolmo/core';
import { z } from 'zod';

/** The ideal code length Σ −log2 q: what an arithmetic coder reaches within 2 bits, without coding. */
export const idealCoder = defineStage({
  kind: 'coder',
  type: 'ideal',
  description: 'ideal code lengths (−log2 q per token), no bytes produced',
  config: z.object({}),
  create: (): Coder => ({
    open: (name, predictor) => ({
      code: (tokens) => ({ predictor: name, tokens, bits: predictor.score(tokens) }),
      finish: () => ({}),
    }),
  }),
});
