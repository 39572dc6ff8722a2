import { describe, expect, it } from 'vitest';
import { pullSource } from './pull-source.ts';

describe('pullSource', () => {
  it('pulls only as many values as it has credits for', async () => {
    let pulled = 0;
    function* numbers() {
      for (let i = 0; i < 100; i++) {
        pulled++;
        yield i;
      }
    }
    const source = pullSource(() => numbers(), 2);
    const seen: number[] = [];
    const subscription = source.values.subscribe((value) => seen.push(value));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(seen).toEqual([0, 1]);
    expect(pulled).toBe(2);
    source.grant();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(seen).toEqual([0, 1, 2]);
    subscription.unsubscribe();
  });

  it('completes, and forwards iterator errors', async () => {
    const done = pullSource(() => [1, 2][Symbol.iterator](), 10);
    const values: number[] = [];
    await new Promise<void>((resolve) => done.values.subscribe({ next: (v) => values.push(v), complete: resolve }));
    expect(values).toEqual([1, 2]);

    const failing = pullSource(() => ({ next: () => { throw new Error('boom'); } }), 1);
    await expect(new Promise((_, reject) => failing.values.subscribe({ error: reject }))).rejects.toThrow('boom');
  });
});
