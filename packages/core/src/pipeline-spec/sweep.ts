import { KolmoError } from '../errors.ts';
import { formatPath } from './spec-source.ts';

export type SweepPoint = Readonly<Record<string, string | number | boolean>>;

/** The product of the sweep lists, in a fixed order (first variable slowest). One empty point without a sweep. */
export function expandSweep(sweep: Readonly<Record<string, readonly (string | number | boolean)[]>>): SweepPoint[] {
  let points: Record<string, string | number | boolean>[] = [{}];
  for (const [name, values] of Object.entries(sweep)) {
    points = points.flatMap((point) => values.map((value) => ({ ...point, [name]: value })));
  }
  return points;
}

/** A short, file-safe label for a sweep point: `documents=1000,seed=2`. */
export function pointLabel(point: SweepPoint): string {
  const label = Object.entries(point)
    .map(([name, value]) => `${name}=${String(value)}`)
    .join(',');
  return label.replace(/[^A-Za-z0-9=,._-]/g, '_') || 'run';
}

const placeholder = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Replaces `${name}` with the point's value. A string that is exactly one placeholder takes the value's own
 * type (`documents: ${n}` becomes a number). Unknown names are errors that say where they are.
 */
export function substitute(value: unknown, point: SweepPoint, path: PropertyKey[] = []): unknown {
  if (typeof value === 'string') {
    const whole = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(value);
    if (whole) return lookup(whole[1], point, path);
    return value.replace(placeholder, (_, name: string) => String(lookup(name, point, path)));
  }
  if (Array.isArray(value)) return value.map((item, index) => substitute(item, point, [...path, index]));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, point, [...path, key])]));
  }
  return value;
}

function lookup(name: string, point: SweepPoint, path: PropertyKey[]): string | number | boolean {
  if (!(name in point)) {
    const known = Object.keys(point);
    throw new KolmoError(
      'invalidSpec',
      `${formatPath(path)}: \${${name}} is not a sweep variable (${known.length ? `known: ${known.join(', ')}` : 'the spec has no sweep'})`,
    );
  }
  return point[name];
}
