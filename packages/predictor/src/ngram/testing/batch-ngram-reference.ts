/**
 * A deliberately naive batch reference for tests: rebuilds every count from the token list with string maps and
 * evaluates interpolated modified Kneser–Ney (Chen & Goodman) or Pitman–Yor with one table per type, with the same
 * begin-of-document padding as the online models. Slow (it recounts everything), independent of their data
 * structures.
 */
export function batchNgramReference(
  tokens: readonly number[],
  docs: readonly number[],
  options: {
    vocabularySize: number;
    order: number;
    resetAtDocument: boolean;
    smoothing: 'kneser-ney' | 'pitman-yor-minimal';
    discounts: readonly number[];
    estimateDiscounts?: boolean;
    concentrations?: readonly number[];
    /** The document of the token to be predicted (a new one restarts the context when resetting). */
    nextDocument?: number;
    /** Only the first `counted` tokens are counted; the rest only move the context (held out, model frozen). Default: all. */
    counted?: number;
  },
): { probability(w: number): number; context: number[] } {
  const { vocabularySize: size, order: k } = options;
  const begin = size;
  // counts[j]: string of length j + 1 (context of length j, then the token) → adjusted count.
  const counts: Map<string, number>[] = Array.from({ length: k + 1 }, () => new Map());
  const top: Map<string, number[]> = new Map();
  let history: number[] = new Array(k).fill(begin);
  let lastDoc = Number.NaN;
  const counted = options.counted ?? tokens.length;
  for (let t = 0; t < tokens.length; t++) {
    if (docs[t] !== lastDoc) {
      if (options.resetAtDocument) history = new Array(k).fill(begin);
      lastDoc = docs[t];
    }
    if (t < counted) {
      const s = [...history, tokens[t]];
      const key = s.join(',');
      counts[k].set(key, (counts[k].get(key) ?? 0) + 1);
      top.set(key, s);
    }
    history = [...history, tokens[t]].slice(history.length + 1 - k);
  }
  if (options.nextDocument !== undefined && options.nextDocument !== lastDoc && options.resetAtDocument) history = new Array(k).fill(begin);
  // Continuation counts: c_j(v) = #{strings of depth j + 1 with positive count whose suffix is v}.
  let level = [...top.values()];
  for (let j = k - 1; j >= 0; j--) {
    const next = new Map<string, number[]>();
    for (const s of level) {
      const suffix = s.slice(1);
      const key = suffix.join(',');
      counts[j].set(key, (counts[j].get(key) ?? 0) + 1);
      next.set(key, suffix);
    }
    level = [...next.values()];
  }
  const discountsOf = (j: number): number[] => {
    if (options.smoothing !== 'kneser-ney' || !options.estimateDiscounts) return [...options.discounts];
    const n = [0, 0, 0, 0, 0];
    for (const c of counts[j].values()) if (c <= 4) n[c]++;
    const y = n[1] / (n[1] + 2 * n[2]);
    const raw = [n[1] > 0 ? 1 - (2 * y * n[2]) / n[1] : NaN, n[1] > 0 && n[2] > 0 ? 2 - (3 * y * n[3]) / n[2] : NaN, n[1] > 0 && n[3] > 0 ? 3 - (4 * y * n[4]) / n[3] : NaN];
    return raw.map((d, i) => (d > 0 && d <= i + 1 ? d : options.discounts[i]));
  };
  const context = history.slice();
  const probability = (w: number): number => {
    let p = 1 / size;
    for (let j = 0; j <= k; j++) {
      const u = context.slice(k - j);
      let cu = 0;
      const types = [0, 0, 0, 0];
      for (let x = 0; x < size; x++) {
        const c = counts[j].get([...u, x].join(',')) ?? 0;
        cu += c;
        if (c > 0) types[Math.min(c, 3)]++;
      }
      if (cu === 0) continue;
      const c = counts[j].get([...u, w].join(',')) ?? 0;
      if (options.smoothing === 'kneser-ney') {
        const d = discountsOf(j);
        const gamma = (d[0] * types[1] + d[1] * types[2] + d[2] * types[3]) / cu;
        p = (c > 0 ? (c - d[Math.min(c, 3) - 1]) / cu : 0) + gamma * p;
      } else {
        const d = options.discounts[j];
        const theta = options.concentrations![j];
        const tu = types[1] + types[2] + types[3];
        p = (c - d * Math.min(c, 1)) / (theta + cu) + ((theta + d * tu) / (theta + cu)) * p;
      }
    }
    return p;
  };
  return { probability, context };
}
