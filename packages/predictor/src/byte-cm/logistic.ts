/**
 * The logistic pair in fixed point, as integer tables so that encoder and decoder agree bit for bit on every
 * platform: `squash(x)` = 4096 / (1 + e^(−x/256)) for a stretched value x in [−2047, 2047], and
 * `stretch(p)` = its inverse, ln(p / (4096 − p)) · 256, for a 12-bit probability p in [0, 4095].
 */

/** squash at x = −2048, −1920, …, 2048 (every 128), rounded; computed once offline and frozen here. */
const squashKnots = [
  1, 2, 4, 6, 10, 17, 27, 45, 74, 120, 194, 311, 488, 747, 1102, 1546, 2048, 2550, 2994, 3349, 3608, 3785, 3902,
  3976, 4022, 4051, 4069, 4079, 4086, 4090, 4092, 4094, 4095,
];

/** Index x + 2048 for x in [−2048, 2047]: linear interpolation between the knots. */
const squashTable = new Int32Array(4096);
/** Index p for p in [0, 4095]: the smallest x whose squash reaches p (so stretch(squash(x)) ≈ x). */
const stretchTable = new Int32Array(4096);

for (let i = 0; i < 4096; i++) {
  const knot = i >> 7;
  const weight = i & 127;
  squashTable[i] = (squashKnots[knot] * (128 - weight) + squashKnots[knot + 1] * weight + 64) >> 7;
}
{
  let p = 0;
  for (let x = -2047; x <= 2047; x++) {
    const v = squashTable[x + 2048];
    for (; p <= v; p++) stretchTable[p] = x;
  }
  for (; p < 4096; p++) stretchTable[p] = 2047;
}

/** 12-bit probability of a 1 from a stretched value (clamped to [−2047, 2047]). */
export function squash(x: number): number {
  if (x > 2047) x = 2047;
  else if (x < -2047) x = -2047;
  return squashTable[x + 2048];
}

/** The stretched value (logit · 256) of a 12-bit probability. */
export function stretch(p: number): number {
  return stretchTable[p];
}

/** The raw tables, for hot loops that index them directly. */
export const squashLookup: Int32Array = squashTable;
export const stretchLookup: Int32Array = stretchTable;
