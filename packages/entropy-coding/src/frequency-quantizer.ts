import { KolmoError } from '@kolmo/core';
import { checkTotalBits } from './range-coder-window.ts';

/**
 * Integer frequencies summing to exactly 2^totalBits, each at least 1, from non-negative weights
 * (probabilities or counts, not necessarily normalised; all zero means uniform).
 *
 * With V symbols, K = 2^P − V and prefix sums S(x) = w_0 + … + w_{x−1} (S = S(V)), symbol x gets the interval
 * [F(x), F(x+1)) with F(x) = x + min(K, ⌊(S(x)/S)·K⌋) and F(V) = 2^P. Every frequency is then 1 plus a
 * difference of floors, so f_x > q_x·K and the cost over ideal is below −log2(1 − V/2^P) bits a symbol: the
 * theory §8 bound. Only IEEE additions, multiplications and divisions (correctly rounded, the same on every
 * platform) run before the floor, so encoder and decoder get the same integers. O(V).
 */
export function quantizeFrequencies(weights: ArrayLike<number>, totalBits: number, out?: Float64Array): Float64Array {
  checkTotalBits(totalBits);
  const size = weights.length;
  const total = 2 ** totalBits;
  if (size < 1 || size > total) {
    throw new KolmoError('invalidSpec', `quantizeFrequencies: ${size} symbols cannot each get a frequency ≥ 1 out of 2^${totalBits}`);
  }
  const frequencies = out ?? new Float64Array(size);
  if (frequencies.length !== size) throw new RangeError(`quantizeFrequencies: out has ${frequencies.length} entries, need ${size}`);
  let sum = 0;
  for (let x = 0; x < size; x++) {
    const w = weights[x];
    if (!(w >= 0 && w < Infinity)) throw new RangeError(`quantizeFrequencies: weight ${x} is ${w}; weights must be finite and ≥ 0`);
    sum += w;
  }
  if (sum === Infinity) throw new RangeError('quantizeFrequencies: the weights sum to more than the largest double; scale them down');
  const spare = total - size;
  if (sum === 0) return uniformFrequencies(frequencies, spare);
  let prefix = 0;
  let previous = 0;
  for (let x = 0; x < size; x++) {
    prefix += weights[x];
    const boundary = x === size - 1 ? total : x + 1 + Math.min(spare, Math.floor((prefix / sum) * spare));
    frequencies[x] = boundary - previous;
    previous = boundary;
  }
  return frequencies;
}

function uniformFrequencies(frequencies: Float64Array, spare: number): Float64Array {
  const size = frequencies.length;
  let previous = 0;
  for (let x = 0; x < size; x++) {
    const boundary = x + 1 + Math.floor(((x + 1) * spare) / size);
    frequencies[x] = boundary - previous;
    previous = boundary;
  }
  return frequencies;
}

/** Cumulative frequencies: `cumulative[x]` = f_0 + … + f_{x−1}, `cumulative[V]` = the total (exact up to 2^53). */
export function cumulativeFrequencies(frequencies: ArrayLike<number>): Float64Array {
  const cumulative = new Float64Array(frequencies.length + 1);
  for (let x = 0; x < frequencies.length; x++) cumulative[x + 1] = cumulative[x] + frequencies[x];
  return cumulative;
}

/** The ideal code length −log2(f/2^P) of a symbol of frequency f under a total of 2^P. */
export function quantizedBits(frequency: number, totalBits: number): number {
  return totalBits - Math.log2(frequency);
}
