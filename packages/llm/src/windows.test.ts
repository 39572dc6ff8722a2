import { describe, expect, it } from 'vitest';
import { slidingWindows } from './windows.ts';

describe('slidingWindows', () => {
  it('scores every position after the context exactly once, each with at least size − stride tokens of left context', () => {
    for (const [length, context, size, stride] of [
      [1, 1, 8, 4],
      [8, 1, 8, 4],
      [9, 1, 8, 4],
      [100, 1, 8, 3],
      [100, 3, 8, 7],
      [57, 2, 16, 1],
      [1000, 1, 64, 32],
    ]) {
      const scored = new Int32Array(length);
      const windows = slidingWindows(length, context, size, stride);
      windows.forEach((window, w) => {
        expect(window.to - window.from).toBeLessThanOrEqual(size);
        expect(window.scoreFrom).toBeGreaterThanOrEqual(1);
        for (let p = window.from + window.scoreFrom; p < window.to; p++) {
          scored[p]++;
          // The first window sees everything before p; later ones at least size − stride tokens.
          expect(p - window.from).toBeGreaterThanOrEqual(w === 0 ? p : size - stride);
        }
      });
      expect(Array.from(scored)).toEqual(Array.from({ length }, (_, p) => (p < context ? 0 : 1)));
    }
  });

  it('makes no request for a document without tokens, and refuses settings that leave no context', () => {
    expect(slidingWindows(1, 1, 8, 4)).toEqual([]);
    expect(() => slidingWindows(10, 8, 8, 4)).toThrow(/context/);
    expect(() => slidingWindows(10, 1, 8, 8)).toThrow(/stride/);
  });
});
