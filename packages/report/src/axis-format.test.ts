import { describe, expect, it } from 'vitest';
import { columnLabel, formatNumber, logTickLabel, logTickStyle, logTickValues, paddedLogDomain } from './axis-format.ts';

describe('axis titles', () => {
  it('name the metrics columns with their units', () => {
    expect(columnLabel('documents')).toBe('training documents N');
    expect(columnLabel('bits_per_document')).toBe('loss (bits per document)');
    expect(columnLabel('knowledge_bits_per_document')).toBe('knowledge loss (bits per document)');
    expect(columnLabel('test_bits_per_byte')).toBe('held-out loss (bits per byte)');
    expect(columnLabel('syntax_bits')).toBe('syntax code length (bits)');
    expect(columnLabel('fraction_acquired')).toBe('fraction acquired');
  });
});

describe('numbers', () => {
  it('keep a few significant digits and drop trailing zeros', () => {
    expect(formatNumber(0.45)).toBe('0.45');
    expect(formatNumber(123456)).toBe('123500');
    expect(formatNumber(100000)).toBe('100000');
    expect(formatNumber(2.5e-5)).toBe('2.5e-5');
    expect(formatNumber(3.14159e7, 3)).toBe('3.14e7');
    expect(formatNumber(0)).toBe('0');
  });
});

describe('log axes', () => {
  it('tick decades when the range spans three or more', () => {
    expect(logTickValues(80, 1.2e5)).toEqual([100, 1000, 10000, 100000]);
  });

  it('tick 1-3 (or 1-2-5, or 1…9) steps over a narrower range, and leave a very narrow one to Vega', () => {
    expect(logTickValues(0.2, 40)).toEqual([0.3, 1, 3, 10, 30]);
    expect(logTickValues(0.15, 1.2)).toEqual([0.2, 0.5, 1]);
    expect(logTickValues(55, 95)).toEqual([60, 70, 80, 90]);
    expect(logTickValues(1.1, 1.9)).toEqual([]);
    expect(logTickValues(60.2, 65)).toEqual([]);
  });

  it('label an axis in one style: plain numbers, or powers of ten when a tick is large or small', () => {
    expect(logTickStyle([100, 1000, 10000])).toBe('plain');
    expect(logTickStyle([100, 1000, 100000])).toBe('power');
    expect([100, 1000, 100000].map((v) => logTickLabel(v, 'power'))).toEqual(['10²', '10³', '10⁵']);
    expect(logTickLabel(0.001, 'power')).toBe('10⁻³');
    expect(logTickLabel(3e5, 'power')).toBe('3·10⁵');
    expect([0.3, 1, 30].map((v) => logTickLabel(v, 'plain'))).toEqual(['0.3', '1', '30']);
  });

  it('pad the data range a little on both sides', () => {
    const [low, high] = paddedLogDomain(100, 1e5);
    expect(low).toBeLessThan(100);
    expect(low).toBeGreaterThan(50);
    expect(high).toBeGreaterThan(1e5);
    expect(high).toBeLessThan(2e5);
    expect(() => paddedLogDomain(0, 1)).toThrow(RangeError);
  });
});
