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
      code: (tokens) => {
        const bits = predictor.score(tokens);
        // An async predictor (an LLM backend) gives its bits later; a synchronous one keeps the synchronous path.
        return bits instanceof Promise ? bits.then((resolved) => ({ predictor: name, tokens, bits: resolved })) : { predictor: name, tokens, bits };
      },
      finish: () => ({}),
    }),
  }),
});
