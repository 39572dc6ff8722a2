import { logTickStyle, logTickValues, paddedLogDomain } from './axis-format.ts';

/** A Vega-Lite positional scale and axis for data spanning [low, high]: log axes label their decades. */
export function positionalChannel(
  kind: 'linear' | 'log',
  low: number,
  high: number,
  title: string,
  options: { length?: number; integers?: boolean } = {},
): { scale: Record<string, unknown>; axis: Record<string, unknown> } {
  // A title longer than its axis would push the plot around: Vega cuts it with an ellipsis at this length.
  const titleLimit = options.length ?? 400;
  if (kind === 'log') {
    const domain = paddedLogDomain(low, high);
    const values = logTickValues(domain[0], domain[1]);
    return {
      scale: { type: 'log', domain, nice: false },
      axis: values.length
        ? { title, titleLimit, values, labelExpr: `kolmoLogTick(datum.value, '${logTickStyle(values)}')`, grid: true }
        : { title, titleLimit, tickCount: 5, format: '~g', grid: true },
    };
  }
  const span = high - low || Math.abs(high) || 1;
  return { scale: { type: 'linear', domain: [low - 0.04 * span, high + 0.04 * span], nice: false, zero: false }, axis: { title, titleLimit, grid: true, format: '~g', ...(options.integers ? { tickMinStep: 1 } : {}) } };
}

/** The finite (and, for log axes, positive) values' range, or undefined when there is none. */
export function dataRange(values: Iterable<number>, kind: 'linear' | 'log'): [number, number] | undefined {
  let low = Infinity;
  let high = -Infinity;
  for (const value of values) {
    if (!Number.isFinite(value) || (kind === 'log' && value <= 0)) continue;
    low = Math.min(low, value);
    high = Math.max(high, value);
  }
  return low <= high ? [low, high] : undefined;
}
