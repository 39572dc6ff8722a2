import { defineStage } from '@kolmo/core';
import { z } from 'zod';
import { FixedWeightsPrior } from './fixed-weights-prior.ts';

/** Fixed Zipf–Mandelbrot weights π_r ∝ (r + q)^{−s}, r = 1..M (s = 1/α matches a Pitman–Yor tail). */
export function zipfMandelbrotWeights(elements: number, exponent: number, offset: number): Float64Array {
  if (!(Number.isInteger(elements) && elements >= 1)) throw new RangeError(`Zipf–Mandelbrot needs M ≥ 1 elements, got ${elements}`);
  if (!(exponent > 0)) throw new RangeError(`Zipf–Mandelbrot exponent s must be positive, got ${exponent}`);
  if (!(offset > -1)) throw new RangeError(`Zipf–Mandelbrot offset q must be > −1, got ${offset}`);
  return Float64Array.from({ length: elements }, (_, i) => Math.pow(i + 1 + offset, -exponent));
}

export class ZipfMandelbrotPrior extends FixedWeightsPrior {
  readonly exponent: number;
  readonly offset: number;

  constructor(elements: number, exponent: number, offset: number) {
    super(`zipf-mandelbrot(M=${elements}, s=${exponent}, q=${offset})`, zipfMandelbrotWeights(elements, exponent, offset));
    this.exponent = exponent;
    this.offset = offset;
  }
}

export const zipfMandelbrotPrior = defineStage({
  kind: 'prior',
  type: 'zipf-mandelbrot',
  description: 'fixed Zipf–Mandelbrot weights ∝ (r + q)^−s over M elements (labelled plug-in predictive)',
  config: z.object({
    elements: z.number().int().min(1, 'needs at least one element').max(2 ** 26).default(100000).describe('number of elements M'),
    exponent: z.number().positive('exponent s must be positive').default(2).describe('exponent s (s = 1/α mimics a Pitman–Yor tail)'),
    offset: z.number().gt(-1, 'offset q must be greater than −1').default(0).describe('Mandelbrot offset q > −1 (flattens the head)'),
  }),
  create: ({ elements, exponent, offset }) => new ZipfMandelbrotPrior(elements, exponent, offset),
});
