/**
 * Integer frequencies for an entropy coder (theory §8): each at least 1, summing to exactly 2^totalBits.
 * With V symbols and M = 2^totalBits − V: f_w = 1 + ⌊p_w M⌋, and what is left of 2^totalBits (about V·(1 − Σ frac))
 * goes to the most probable symbol (the lowest index among equals). Then f_w / 2^P > p_w (1 − V/2^P), so coding w
 * costs less than −log2 p_w − log2(1 − V/2^P) bits. Only IEEE-754 multiplication, comparison and floor touch the
 * floats, so encoder and decoder get the same integers from the same probabilities on any platform.
 * Returns the index of the symbol that took the remainder.
 */
export function quantizeDistribution(probabilities: ArrayLike<number>, totalBits: number, frequencies: Float64Array): number {
  const size = probabilities.length;
  const total = 2 ** totalBits;
  if (!Number.isInteger(totalBits) || totalBits < 1 || totalBits > 52 || total < 2 * size)
    throw new RangeError(`quantizeDistribution needs 2^totalBits ≥ 2 × ${size} symbols and totalBits ≤ 52, got totalBits = ${totalBits}`);
  const scale = total - size;
  let sum = 0;
  let most = 0;
  let largest = -1;
  for (let w = 0; w < size; w++) {
    const p = probabilities[w];
    const f = 1 + Math.floor(p * scale);
    // One comparison catches NaN and negative probabilities; p > 1 shows up in the sum below.
    if (!(f >= 1)) throw new RangeError(`probability of symbol ${w} is ${p}, not in [0, 1]`);
    frequencies[w] = f;
    sum += f;
    if (p > largest) {
      largest = p;
      most = w;
    }
  }
  // Floors can only lose mass; rounding of p·M can add at most 1 per symbol. Anything beyond is Σp > 1.
  if (total - sum < -size || frequencies[most] + total - sum < 1)
    throw new RangeError(`probabilities sum to more than 1 (frequencies exceed 2^${totalBits})`);
  frequencies[most] += total - sum;
  return most;
}
