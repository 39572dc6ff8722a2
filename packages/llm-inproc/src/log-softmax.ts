/**
 * ln softmax of one row of logits, in doubles: ln q(v) = z_v − m − ln Σ_u exp(z_u − m), m = max z (subtracting
 * the maximum keeps every exponent ≤ 0, so nothing overflows and the largest term is exactly 1).
 */
export function logNormalizer(logits: Float32Array, offset: number, size: number): number {
  let max = -Infinity;
  for (let v = 0; v < size; v++) if (logits[offset + v]! > max) max = logits[offset + v]!;
  let sum = 0;
  for (let v = 0; v < size; v++) sum += Math.exp(logits[offset + v]! - max);
  return max + Math.log(sum);
}

/** Writes ln softmax of `size` logits at `offset` into `into` at `at`. */
export function logSoftmaxInto(logits: Float32Array, offset: number, size: number, into: Float32Array, at: number): void {
  const normalizer = logNormalizer(logits, offset, size);
  for (let v = 0; v < size; v++) into[at + v] = logits[offset + v]! - normalizer;
}
