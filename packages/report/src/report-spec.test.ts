import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KolmoError } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { readReportSection } from './report-section.ts';
import { parseReportSpec, plotIdOf } from './report-spec.ts';

function failure(value: unknown): KolmoError {
  try {
    parseReportSpec(value);
  } catch (error) {
    return error as KolmoError;
  }
  throw new Error('expected the report spec to be refused');
}

describe('the report section', () => {
  it('fills in defaults: report.html, the fits table, scaling of bits per document vs documents by predictor', () => {
    const spec = parseReportSpec({ plots: [{ kind: 'scaling' }, { kind: 'heatmap', x: 'documents', y: 'bin', value: 'acquired' }] });
    expect(spec.path).toBe('report.html');
    expect(spec.fits).toBe(true);
    expect(spec.plots[0]).toMatchObject({ kind: 'scaling', x: 'documents', y: 'bits_per_document', color: 'predictor', replicate: 'seed', band: true, width: 520 });
    expect(spec.plots[1]).toMatchObject({ source: 'metrics', aggregate: 'mean', scheme: 'viridis' });
    expect(spec.plots.map(plotIdOf)).toEqual(['scaling-1', 'heatmap-2']);
  });

  it('names the path of every mistake', () => {
    expect(failure({ plots: [{ kind: 'scatter' }] }).message).toBe('report.plots[0].kind: unknown plot kind "scatter"; known kinds: scaling, structure-function, heatmap, lines');
    expect(failure({ plots: [{ kind: 'scaling', colour: 'seed' }] }).message).toBe('report.plots[0].colour: unknown field');
    expect(failure({ plots: [{ kind: 'scaling', theory: { alpha: 0.5, exponent: 0.5 } }] }).message).toBe('report.plots[0].theory.exponent: give exactly one of exponent or alpha');
    expect(failure({ plots: [{ kind: 'scaling', theory: [{ alpha: 1.5 }] }] }).message).toMatch(/^report\.plots\[0\]\.theory/);
    expect(failure({ plots: [{ kind: 'lines', id: 'a', x: 'N', y: 'acc' }, { kind: 'lines', id: 'a', x: 'N', y: 'acc' }] }).message).toBe('report.plots[1].id: plot id "a" is already used by plots[0]');
    expect(failure({ plots: [{ kind: 'heatmap', x: 'N', y: 'bin' }] }).message).toMatch(/^report\.plots\[0\]\.value: /);
    expect(failure({ plots: [{ kind: 'lines', id: '../escape', x: 'N', y: 'acc' }] }).message).toMatch(/^report\.plots\[0\]\.id: a plot id is a file name/);
    expect(failure('plots').message).toMatch(/^report: /);
    const several = failure({ title: 3, plots: [{ kind: 'scaling', width: 5 }] });
    expect(several.kind).toBe('invalidSpec');
    expect(several.details.length).toBe(2);
  });

  it('is read from a spec file, with the line of a mistake', () => {
    const folder = mkdtempSync(join(tmpdir(), 'kolmo-report-spec-'));
    const file = join(folder, 'spec.yaml');
    writeFileSync(file, ['pipeline:', '  generator: { type: counting }', 'report:', '  title: Scaling', '  plots:', '    - kind: scaling', '      fit: [knowledge]', '      colour: seed', ''].join('\n'));
    expect(() => readReportSection(file)).toThrow(`report.plots[0].colour (${file}:8:7): unknown field`);
    writeFileSync(file, ['pipeline:', '  generator: { type: counting }', 'report:', '  title: Scaling', '  plots:', '    - { kind: scaling, fit: knowledge }', ''].join('\n'));
    expect(readReportSection(file)!.report.plots[0]).toMatchObject({ kind: 'scaling', fit: 'knowledge' });
    writeFileSync(file, 'pipeline: {}\n');
    expect(readReportSection(file)).toBeUndefined();
    expect(() => readReportSection(join(folder, 'gone.yaml'))).toThrow(/does not exist \(give the spec with --spec\)/);
    rmSync(folder, { recursive: true, force: true });
  });
});
