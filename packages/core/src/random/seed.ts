/**
 * Seed derivation: a 128-bit state from a root seed and a path of names, by a 32-bit murmur3-style mix.
 * Written here (not a library) because streams are named by strings — `rng('generator/knowledge')` — and
 * no seeded-PRNG package derives independent streams from names.
 */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hashString(text: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x5bd1e995);
    h ^= h >>> 15;
  }
  return mix32(h ^ text.length);
}

/** Four 32-bit words, never all zero, that depend on every character of `key` and on `seed`. */
export function deriveState(seed: number, key: string): [number, number, number, number] {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 2 ** 32) >>> 0;
  const state: [number, number, number, number] = [0, 0, 0, 0];
  for (let i = 0; i < 4; i++) {
    state[i] = hashString(key, mix32(lo + Math.imul(i + 1, 0x9e3779b9)) ^ mix32(hi + i));
  }
  if ((state[0] | state[1] | state[2] | state[3]) === 0) state[0] = 1;
  return state;
}

/** A stable 32-bit seed for a run from the spec seed and its sweep point (keys sorted, so order never matters). */
export function deriveSeed(seed: number, point: Readonly<Record<string, unknown>>): number {
  const key = JSON.stringify(Object.keys(point).sort().map((name) => [name, point[name]]));
  return deriveState(seed, key)[0];
}
