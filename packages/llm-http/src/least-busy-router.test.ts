import { describe, expect, it } from 'vitest';
import { LeastBusyRouter } from './least-busy-router.ts';

describe('LeastBusyRouter', () => {
  it('sends each request to the server with the fewest in flight, ties round-robin', () => {
    const router = new LeastBusyRouter(['a', 'b', 'c']);
    const first = [router.acquire(), router.acquire(), router.acquire()];
    expect(first.map((x) => x.baseUrl)).toEqual(['a', 'b', 'c']);
    first[1].release();
    expect(router.acquire().baseUrl).toBe('b');
    first[1].release(); // a second release of the same request changes nothing
    expect(router.load()).toEqual([1, 1, 1]);
  });
});
