import { readFileSync } from 'node:fs';
import { Rng } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { byteCmCoreBinary, compileByteCmCore } from '../../scripts/build-byte-cm-core.ts';
import { ByteCmModel, type ByteCmOptions } from './byte-cm-model.ts';
import { ByteCmReferenceModel } from './byte-cm-reference-model.ts';

const packageRoot = new URL('../../', import.meta.url);
const alice = readFileSync(new URL('../../examples/corpora/alice29.txt', packageRoot));

/** Feeds the same bytes to both models; returns the first bit where their probabilities differ, or -1. */
function firstDisagreement(options: ByteCmOptions, data: Uint8Array): number {
  const fast = new ByteCmModel(options);
  const reference = new ByteCmReferenceModel(options);
  let bit = 0;
  for (const byte of data) {
    for (let i = 7; i >= 0; i--, bit++) {
      if (fast.p() !== reference.p()) return bit;
      const value = (byte >> i) & 1;
      fast.update(value);
      reference.update(value);
    }
  }
  expect(fast.statistics()).toEqual(reference.statistics());
  return fast.p() === reference.p() ? -1 : bit;
}

describe('byte-cm WebAssembly core', () => {
  it('is exactly what assembly/byte-cm-core.ts compiles to (the build is deterministic and the binary is current)', async () => {
    const shipped = readFileSync(new URL(byteCmCoreBinary, packageRoot));
    expect(Buffer.from(await compileByteCmCore()).equals(shipped)).toBe(true);
  });

  it('predicts every bit exactly as the TypeScript reference model, default options, on text', () => {
    expect(firstDisagreement({ memory: 24, orders: [1, 2, 3, 4, 5, 6], words: true, matchMinLength: 8 }, alice.subarray(0, 24000))).toBe(-1);
  });

  it('agrees under heavy eviction, long matches and noise, with other orders and no order 1, words or match model', () => {
    const rng = new Rng(3, 'byte-cm-core');
    const noise = Uint8Array.from({ length: 3000 }, () => Math.floor(rng.nextFloat() * 256));
    const text = alice.subarray(50000, 58000);
    const mixed = Buffer.concat([text, noise, text, new Uint8Array(500), text.subarray(0, 2000)]);
    expect(firstDisagreement({ memory: 12, orders: [1, 2, 3, 4, 6, 8], words: true, matchMinLength: 4 }, mixed)).toBe(-1);
    expect(firstDisagreement({ memory: 16, orders: [2, 3, 5, 7], words: false, matchMinLength: 0 }, mixed)).toBe(-1);
    expect(firstDisagreement({ memory: 16, orders: [], words: true, matchMinLength: 32 }, mixed)).toBe(-1);
  });
});
