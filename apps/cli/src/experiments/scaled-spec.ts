import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readSpecFile } from '@kolmo/core';

/** The repository's examples folder. */
export const examples = resolve(import.meta.dirname, '../../../../examples');

export type SpecObject = Record<string, any>;

/**
 * An example spec scaled down for a test: read from examples/, changed by `edit`, written as JSON (a spec may be
 * YAML or JSON) into a fresh temporary folder next to its output folder. Returns the spec file and the output folder.
 */
export function scaledSpec(name: string, edit: (spec: SpecObject) => void): { specFile: string; outDir: string; folder: string } {
  const spec = structuredClone(readSpecFile(join(examples, name)).value) as SpecObject;
  edit(spec);
  const folder = mkdtempSync(join(tmpdir(), 'kolmo-experiment-'));
  const specFile = join(folder, name.replace(/\.ya?ml$/, '.json'));
  writeFileSync(specFile, JSON.stringify(spec, null, 2));
  return { specFile, outDir: join(folder, 'out'), folder };
}

/** Mean and sample standard deviation. */
export function meanAndSd(values: readonly number[]): { mean: number; sd: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
  return { mean, sd };
}

/** Two-sided 99% quantile of Student's t with n − 1 degrees of freedom, for the small seed counts the tests use. */
export function t99(n: number): number {
  const table: Record<number, number> = { 3: 9.925, 4: 5.841, 5: 4.604, 6: 4.032, 7: 3.707, 8: 3.499, 9: 3.355, 10: 3.25 };
  const value = table[n];
  if (value === undefined) throw new RangeError(`no t quantile tabulated for ${n} seeds`);
  return value;
}
