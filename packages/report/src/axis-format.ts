/**
 * Axis titles with units from the metrics table's column names (core's metrics-rows.ts), number formatting,
 * and log axes that label decades (10, 100, 10³ …) instead of every minor tick.
 */

const slots = ['text', 'syntax', 'name', 'value', 'knowledge'];

const known: Record<string, string> = {
  documents: 'training documents N',
  tokens: 'training tokens',
  bytes: 'training bytes',
  bits: 'code length (bits)',
  bits_per_token: 'loss (bits per token)',
  bits_per_byte: 'loss (bits per byte)',
  bits_per_document: 'loss (bits per document)',
  coded_bytes: 'coded size (bytes)',
  capacity: 'capacity C (bits)',
  step: 'training step',
  seed: 'seed',
  predictor: 'predictor',
};

/** A readable axis title with its unit for a metrics column, e.g. `knowledge_bits_per_document` → "knowledge loss (bits per document)". */
export function columnLabel(column: string): string {
  if (column.startsWith('test_')) {
    const rest = column.slice(5);
    return rest === 'documents' ? 'held-out documents' : `held-out ${columnLabel(rest)}`;
  }
  if (known[column]) return known[column];
  for (const slot of slots) {
    if (column === `${slot}_bits`) return `${slot} code length (bits)`;
    if (column === `${slot}_bits_per_document`) return `${slot} loss (bits per document)`;
    if (column === `${slot}_tokens`) return `${slot} tokens`;
  }
  return column.replaceAll('_', ' ');
}

/** A number in at most `digits` significant digits, without trailing zeros; exponents for the very large or small. */
export function formatNumber(value: number, digits = 4): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e6 || magnitude < 1e-3) {
    const [mantissa, exponent] = value.toExponential(digits - 1).split('e');
    return `${trimZeros(mantissa)}e${Number(exponent)}`;
  }
  return String(Number(value.toPrecision(digits)));
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

const superscripts: Record<string, string> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };

/**
 * A log-axis tick label. 'plain' writes numbers (0.01 … 10000), 'power' writes decades as 10ᵏ; an axis
 * uses one style for all its ticks (see logTickStyle). Ticks between decades get 3 digits.
 */
export function logTickLabel(value: number, style: 'plain' | 'power' = 'plain'): string {
  if (!(value > 0)) return '';
  const exponent = Math.round(Math.log10(value));
  if (Math.abs(value / 10 ** exponent - 1) < 1e-9) {
    return style === 'plain' ? formatNumber(10 ** exponent, 3) : power(exponent);
  }
  if (style === 'plain') return formatNumber(value, 3);
  const decade = Math.floor(Math.log10(value) + 1e-12);
  return `${formatNumber(value / 10 ** decade, 3)}·${power(decade)}`;
}

function power(exponent: number): string {
  return `10${String(exponent)
    .split('')
    .map((c) => superscripts[c])
    .join('')}`;
}

/** Decades as 10ᵏ when some tick is beyond 0.01 … 10000, else plain numbers. */
export function logTickStyle(ticks: readonly number[]): 'plain' | 'power' {
  return ticks.some((v) => v >= 1e5 || v < 1e-2) ? 'power' : 'plain';
}

/** A log-scale domain around [low, high] with a little room on both sides. */
export function paddedLogDomain(low: number, high: number): [number, number] {
  if (!(low > 0 && high > 0)) throw new RangeError(`a log axis needs positive values, got [${low}, ${high}]`);
  if (low === high) return [low / 2, high * 2];
  const factor = Math.max((high / low) ** 0.05, 1.05);
  return [low / factor, high * factor];
}

/**
 * Tick values for a log axis: decades when there are at least three of them, else the first of 1-3, 1-2-5 or
 * 1…9 steps per decade that gives three or more; none when even that fails (a range within a factor of
 * about 2, where Vega's own linear-looking ticks read better).
 */
export function logTickValues(low: number, high: number): number[] {
  const from = Math.floor(Math.log10(low));
  const to = Math.ceil(Math.log10(high));
  const within = (values: number[]) => values.filter((v) => v >= low * (1 - 1e-12) && v <= high * (1 + 1e-12));
  let values: number[] = [];
  for (const steps of [[1], [1, 3], [1, 2, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9]]) {
    const candidates: number[] = [];
    for (let k = from; k <= to; k++) for (const step of steps) candidates.push(Number(`${step}e${k}`));
    values = within(candidates);
    if (values.length >= 3) break;
  }
  if (values.length < 3) return [];
  if (values.length > 10) {
    const every = Math.ceil(values.length / 8);
    values = values.filter((_, i) => i % every === 0);
  }
  return values;
}
