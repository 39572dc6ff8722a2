import { describe, expect, it } from 'vitest';
import { nextState, stateConfidence, stateCount, stateOnes, stateZeros } from './bit-history.ts';

function walk(bits: string): number {
  let state = 0;
  for (const bit of bits) state = nextState[2 * state + Number(bit)];
  return state;
}

describe('bit-history automaton', () => {
  it('fits in a byte and starts from the empty history', () => {
    expect(stateCount).toBeLessThanOrEqual(256);
    expect([stateZeros[0], stateOnes[0]]).toEqual([0, 0]);
    for (let i = 0; i < 2 * stateCount; i++) expect(nextState[i]).toBeLessThan(stateCount);
  });

  it('counts runs up to its cap and discounts the opposite count when the bit changes', () => {
    expect([stateZeros[walk('1111')], stateOnes[walk('1111')]]).toEqual([0, 4]);
    expect(stateOnes[walk('1'.repeat(100))]).toBe(30);
    // ten ones then a zero: n1 = 10 → 10/2 + 1 = 6, n0 = 1
    const state = walk('11111111110');
    expect([stateZeros[state], stateOnes[state]]).toEqual([1, 6]);
    expect(stateConfidence[state]).toBe(7);
  });

  it('remembers the last bit while both counts are small', () => {
    expect(walk('10')).not.toBe(walk('01'));
    expect([stateZeros[walk('10')], stateOnes[walk('10')]]).toEqual([stateZeros[walk('01')], stateOnes[walk('01')]]);
  });
});
