import { describe, expect, it } from 'vitest';
import { LeastBusyRouter } from './least-busy-router.ts';

describe('LeastBusyRouter', () => {
  it('sends each request to the server with the fewest in flight, ties round-robin', () => {
    const router = new LeastBusyRouter(['a', 'b', 'c']);
    const first = [router.acquire(), router.acquire(), router.acquire()];
    expect(first.map((x) => x.baseUrl)).toEqual(['a', 'b', 'c']);
    first[1].release('ok');
    expect(router.acquire().baseUrl).toBe('b');
    first[1].release('ok'); // a second release of the same request changes nothing
    expect(router.load()).toEqual([1, 1, 1]);
  });

  it('rests a server that failed, and uses the one recovering first when all failed', () => {
    const router = new LeastBusyRouter(['a', 'b'], { baseCooldownMs: 60_000 });
    router.acquire().release('failed'); // a
    expect([router.acquire().baseUrl, router.acquire().baseUrl]).toEqual(['b', 'b']);
    const b = new LeastBusyRouter(['a', 'b'], { baseCooldownMs: 60_000 });
    b.acquire().release('failed'); // a cools until now + 60 s
    b.acquire().release('failed'); // b cools until later
    expect(b.acquire().baseUrl).toBe('a');
    expect(b.acquire(Date.now() + 120_000).baseUrl).toBe('b'); // both recovered: plain least-busy again
  });
});
