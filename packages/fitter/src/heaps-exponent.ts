/**
 * Heaps' law K_n ∝ n^h: the least-squares slope of log(distinct) on log(draws). A descriptive statistic only
 * (theory §7): for a Pitman–Yor source it approaches α slowly and is biased at practical n, so estimate α with
 * `fitPitmanYor` and report this beside it.
 */
export interface HeapsExponent {
  readonly exponent: number;
  /** log K at log n = 0 of the fitted line. */
  readonly intercept: number;
  readonly rSquared: number;
  readonly points: number;
}

export function heapsExponent(draws: ArrayLike<number>, distinct: ArrayLike<number>): HeapsExponent {
  const count = draws.length;
  if (distinct.length !== count) throw new RangeError('draws and distinct differ in length');
  if (count < 2) throw new RangeError('a slope needs at least two points');
  const lx = new Float64Array(count);
  const ly = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    if (!(draws[i] > 0 && distinct[i] > 0)) throw new RangeError(`draws and distinct must be positive, got (${draws[i]}, ${distinct[i]}) at ${i}`);
    lx[i] = Math.log(draws[i]);
    ly[i] = Math.log(distinct[i]);
  }
  const mx = lx.reduce((s, v) => s + v, 0) / count;
  const my = ly.reduce((s, v) => s + v, 0) / count;
  let sxx = 0, sxy = 0, syy = 0;
  for (let i = 0; i < count; i++) {
    sxx += (lx[i] - mx) ** 2;
    sxy += (lx[i] - mx) * (ly[i] - my);
    syy += (ly[i] - my) ** 2;
  }
  if (!(sxx > 0)) throw new RangeError('all draws counts are equal: no slope');
  const exponent = sxy / sxx;
  return { exponent, intercept: my - exponent * mx, rSquared: syy > 0 ? (sxy * sxy) / (sxx * syy) : 1, points: count };
}

/**
 * The Heaps curve of a sequence of element ids: distinct elements after n draws, at `points` log-spaced n
 * from `from` (default 100, or 1 for short sequences) to the end.
 */
export function heapsCurve(ids: ArrayLike<number>, points = 30, from = Math.min(100, ids.length)): { draws: Float64Array; distinct: Float64Array } {
  const total = ids.length;
  if (total === 0) throw new RangeError('empty sequence');
  const marks = new Set<number>();
  for (let i = 0; i < points; i++) marks.add(Math.round(Math.exp(Math.log(Math.max(from, 1)) + ((Math.log(total) - Math.log(Math.max(from, 1))) * i) / Math.max(points - 1, 1))));
  const sortedMarks = [...marks].sort((a, b) => a - b);
  const seen = new Set<number>();
  const draws: number[] = [];
  const distinct: number[] = [];
  let next = 0;
  for (let n = 1; n <= total && next < sortedMarks.length; n++) {
    seen.add(ids[n - 1]);
    if (n === sortedMarks[next]) {
      draws.push(n);
      distinct.push(seen.size);
      next++;
    }
  }
  return { draws: Float64Array.from(draws), distinct: Float64Array.from(distinct) };
}
