import { describe, expect, it } from 'vitest';
import { expandSweep, pointLabel, substitute } from './sweep.ts';

describe('sweeps', () => {
  it('expands the product of the lists, first variable slowest', () => {
    expect(expandSweep({ n: [1, 2], seed: [7, 8, 9] })).toEqual([
      { n: 1, seed: 7 }, { n: 1, seed: 8 }, { n: 1, seed: 9 },
      { n: 2, seed: 7 }, { n: 2, seed: 8 }, { n: 2, seed: 9 },
    ]);
    expect(expandSweep({})).toEqual([{}]);
  });

  it('substitutes whole placeholders with the typed value and partial ones as text', () => {
    const spec = { documents: '${n}', path: 'out/${n}-${tag}.arrow', list: ['${tag}'], keep: 3 };
    expect(substitute(spec, { n: 1000, tag: 'a' })).toEqual({ documents: 1000, path: 'out/1000-a.arrow', list: ['a'], keep: 3 });
  });

  it('names the path of an unknown variable and the known ones', () => {
    expect(() => substitute({ pipeline: { generator: { documents: '${docs}' } } }, { n: 1 })).toThrow(
      'pipeline.generator.documents: ${docs} is not a sweep variable (known: n)',
    );
  });

  it('labels points in a file-safe way', () => {
    expect(pointLabel({ documents: 1000, seed: 2 })).toBe('documents=1000,seed=2');
    expect(pointLabel({ path: 'a/b c' })).toBe('path=a_b_c');
    expect(pointLabel({})).toBe('run');
  });
});

describe('placeholders in YAML', () => {
  it('quotes a bare placeholder value so flow maps parse, and leaves quoted ones alone', async () => {
    const { quoteBarePlaceholders } = await import('./spec-source.ts');
    expect(quoteBarePlaceholders('g: { documents: ${n}, x: 1 }')).toBe('g: { documents: "${n}", x: 1 }');
    expect(quoteBarePlaceholders('documents: ${n}\nlist: [${a}, ${b}]\n- ${c} # note')).toBe(
      'documents: "${n}"\nlist: ["${a}", "${b}"]\n- "${c}" # note',
    );
    expect(quoteBarePlaceholders('path: "out/${n}.arrow"\nq: "${n}"')).toBe('path: "out/${n}.arrow"\nq: "${n}"');
  });
});
