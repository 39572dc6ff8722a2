import { describe, expect, it } from 'vitest';
import type { RunResult, SpecRunResult } from '@kolmo/core';
import { formatFit, formatSummary } from './run-summary.ts';

function run(documents: number): RunResult {
  return {
    documents,
    bytes: documents * 10,
    tokens: documents * 4,
    truth: { bits: documents * 8, slots: {} },
    predictors: { 'bayes-optimal': { bits: documents * 9, slots: {}, statistics: {} } },
    generator: {},
    outputs: [],
    seconds: { build: 0.5, stream: 1.25 },
  };
}

describe('the run summary', () => {
  it('gives a sweep one line per run, not a page per run', () => {
    const runs = Array.from({ length: 42 }, (_, i) => ({ label: `N=${100 * (i + 1)}`, runDir: `/out/N=${100 * (i + 1)}`, seed: i, result: run(100 * (i + 1)) }));
    const result: SpecRunResult = { outDir: '/out', runs, metrics: [], fits: [], seconds: 60 };
    const lines = formatSummary('data-scaling', result).trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(42 + 5);
    // documents, tokens, seconds, bits/token of the predictor (9·100/400) and of the truth (8·100/400)
    expect(lines.find((line) => line.startsWith('N=100 '))).toMatch(/^N=100\s+100\s+400\s+1\.75\s+2\.2500\s+2\.0000\s*$/);
  });

  it('prints a fit with its label, its target and each parameter with its interval', () => {
    const lines = formatFit({ kind: 'power-law', label: 'data law', y: 'excess', x: 'N', parameters: { alpha: 0.4987, E: 1.5e-6 }, intervals: { alpha: [0.41, 0.58] }, warnings: ['few points'] });
    expect(lines).toEqual(['fit power-law "data law" (excess vs N): alpha = 0.4987 [0.41, 0.58], E = 1.500e-6', '  warning: few points']);
  });
});
