import { describe, expect, it } from 'vitest';
import { ResponseFault } from './llm-server-fault.ts';
import { checkLogProb, checkSameIds, checkSortedDescending, spansFromOffsets, spansFromPieces } from './response-checks.ts';

describe('response checks', () => {
  it('accepts finite log-probs ≤ 0 and rejects everything else', () => {
    expect(checkLogProb(-1.5, 'x')).toBe(-1.5);
    expect(checkLogProb(0, 'x')).toBe(0);
    for (const bad of [0.1, Number.NaN, -Infinity, null, '-1']) expect(() => checkLogProb(bad, 'x')).toThrow(ResponseFault);
  });

  it('requires the ids that were sent, all of them', () => {
    expect(() => checkSameIds(Int32Array.from([1, 2]), [1, 2], 'x')).not.toThrow();
    expect(() => checkSameIds(Int32Array.from([1, 2]), [1], 'x')).toThrow('1 tokens came back for 2 sent');
    expect(() => checkSameIds(Int32Array.from([1, 2]), [1, 3], 'x')).toThrow('token 1 came back as id 3, sent 2');
  });

  it('requires top-k sorted, most likely first', () => {
    expect(() => checkSortedDescending([-1, -1, -2], 'x')).not.toThrow();
    expect(() => checkSortedDescending([-2, -1], 'x')).toThrow('not sorted');
  });

  it('builds spans from pieces that concatenate to the text, and only then', () => {
    const spans = spansFromPieces('a😀b', [1, 2, 3], ['a', '😀', 'b'], 'x');
    expect([Array.from(spans.start), Array.from(spans.end)]).toEqual([
      [0, 1, 3],
      [1, 3, 4],
    ]);
    expect(() => spansFromPieces('abc', [1, 2], ['a', 'c'], 'x')).toThrow('does not continue the text');
    expect(() => spansFromPieces('abc', [1], ['a'], 'x')).toThrow('cover 1 of 3');
  });

  it('builds tiling spans from byte offsets; a character goes to the token that completes it', () => {
    // '€' is 3 bytes, split over three byte tokens at byte offsets 1, 2, 3.
    const spans = spansFromOffsets('a€b', [1, 2, 3, 4, 5], [0, 1, 2, 3, 4], 'utf8-bytes', 'x');
    expect(Array.from(spans.start)).toEqual([0, 1, 1, 1, 2]);
    expect(Array.from(spans.end)).toEqual([1, 1, 1, 2, 3]);
    expect(() => spansFromOffsets('ab', [1, 2], [1, 1], 'utf8-bytes', 'x')).toThrow('starts at 1');
    expect(() => spansFromOffsets('ab', [1, 2], [0, 5], 'utf8-bytes', 'x')).toThrow('outside the text');
    expect(() => spansFromOffsets('abc', [1, 2, 3], [0, 2, 1], 'code-points', 'x')).toThrow('goes backwards');
  });
});
