import { describe, expect, it } from 'vitest';
import { nextState } from './bit-history.ts';
import { NibbleBucketTable } from './nibble-bucket-table.ts';

describe('nibble bucket table', () => {
  it('finds the same bucket for the same hash, and a fresh one for a new check', () => {
    const table = new NibbleBucketTable(new Uint8Array(1 << 12));
    const base = table.find(0xab000005);
    expect(base % 16).toBe(0);
    table.states[base + 1] = nextState[1];
    expect(table.find(0xab000005)).toBe(base);
    const other = table.find(0xcd000005); // same home bucket, other check: a neighbour
    expect(other).not.toBe(base);
    expect(table.states[other + 1]).toBe(0);
  });

  it('evicts the least-seen of the three buckets it probes, and clears it', () => {
    const table = new NibbleBucketTable(new Uint8Array(1 << 12));
    const seen = [5, 1, 9];
    const bases = [0x11, 0x22, 0x33].map((check, i) => {
      const base = table.find((check << 24) | 7);
      let state = 0;
      for (let k = 0; k < seen[i]; k++) state = nextState[2 * state + 1];
      table.states[base + 1] = state;
      table.states[base + 2] = 42;
      return base;
    });
    const claimed = table.find((0x44 << 24) | 7);
    expect(claimed).toBe(bases[1]);
    expect(table.states[claimed]).toBe(0x44);
    expect(table.states[claimed + 1]).toBe(0);
    expect(table.states[claimed + 2]).toBe(0);
    expect(table.evictions).toBe(1);
  });

  it('needs a power-of-two size', () => {
    expect(() => new NibbleBucketTable(new Uint8Array(1000))).toThrow(RangeError);
  });
});
