import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KolmoError } from '../errors.ts';
import { readSpecFile } from './spec-composition.ts';
import { validateEnvelope } from './validate-spec.ts';

const dir = mkdtempSync(join(tmpdir(), 'kolmo-extends-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(file: string, text: string): string {
  const path = join(dir, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}

write(
  'base.yaml',
  [
    'seed: 7',
    'sweep: { documents: [10, 100] }',
    'pipeline:',
    '  generator: { type: syntax-knowledge, documents: ${documents}, prior: { type: pitman-yor, discount: 0.5 } }',
    '  tokenizer: { type: slot-word }',
    '  predictors: [{ type: oracle }, { type: bayes-optimal }]',
    '  evaluation: { documents: 20 }',
    '',
  ].join('\n'),
);

describe('extends: spec composition', () => {
  it('merges objects, replaces lists and scalars, and deletes keys set to null', () => {
    const file = write(
      'derived.yaml',
      [
        'extends: ./base.yaml',
        'seed: 8',
        'pipeline:',
        '  generator: { prior: { discount: 0.25 } }',
        '  predictors: [{ type: ngram, order: 3 }]',
        '  evaluation: null',
        '',
      ].join('\n'),
    );
    expect(readSpecFile(file).value).toEqual({
      seed: 8,
      sweep: { documents: [10, 100] },
      pipeline: {
        generator: { type: 'syntax-knowledge', documents: '${documents}', prior: { type: 'pitman-yor', discount: 0.25 } },
        tokenizer: { type: 'slot-word' },
        predictors: [{ type: 'ngram', order: 3 }],
      },
    });
  });

  it('applies a list of bases in order, the extending file last', () => {
    write('other.yaml', 'seed: 9\nconcurrency: 2\n');
    const file = write('two-bases.yaml', 'extends: [./base.yaml, ./other.yaml]\nconcurrency: 3\n');
    const value = readSpecFile(file).value as Record<string, unknown>;
    expect([value.seed, value.concurrency]).toEqual([9, 3]);
  });

  it('resolves a base exported by an installed package from the spec folder', () => {
    write('project/node_modules/@team/kolmo-presets/package.json', JSON.stringify({ name: '@team/kolmo-presets', version: '1.0.0' }));
    write('project/node_modules/@team/kolmo-presets/sk-base.yaml', 'seed: 42\nname: preset\n');
    const file = write('project/specs/mine.yaml', 'extends: "@team/kolmo-presets/sk-base.yaml"\nname: mine\n');
    expect(readSpecFile(file).value).toEqual({ seed: 42, name: 'mine' });
  });

  it('points errors at the file, line and column the bad value came from', () => {
    write('bad-base.yaml', 'pipeline:\n  generator: { type: text-file }\n  tokenizer: { type: bytes }\nseed: -1\n');
    const file = write('uses-bad-base.yaml', 'extends: ./bad-base.yaml\nname: fine\n');
    const source = readSpecFile(file);
    expect(() => validateEnvelope(source)).toThrow(/^seed \(.*bad-base\.yaml:4:1\): /);
    expect(source.locate(['name'])).toBe(`${file}:2:1`);
    expect(source.locate(['pipeline', 'tokenizer', 'type'])).toMatch(/bad-base\.yaml:3:16$/);
  });

  it('keeps the origin of base keys inside an object the extending file also sets', () => {
    const file = write('derived-origin.yaml', 'extends: ./base.yaml\npipeline:\n  generator: { documents: 5 }\n');
    const source = readSpecFile(file);
    expect(source.locate(['pipeline', 'generator', 'documents'])).toBe(`${file}:3:16`);
    expect(source.locate(['pipeline', 'generator', 'prior', 'discount'])).toMatch(/base\.yaml:4:\d+$/);
  });

  it('reports a missing base and a cycle as spec errors', () => {
    const missing = write('missing.yaml', 'seed: 1\nextends: ./nowhere.yaml\n');
    expect(specError(() => readSpecFile(missing))).toMatch(/^extends \(.*missing\.yaml:2:1\): base spec \.\/nowhere\.yaml not found/);
    const missingPackage = write('missing-package.yaml', 'extends: "@team/none/base.yaml"\n');
    expect(specError(() => readSpecFile(missingPackage))).toMatch(/base spec @team\/none\/base\.yaml not found from .*MODULE_NOT_FOUND/);
    write('cycle-a.yaml', 'extends: ./cycle-b.yaml\n');
    const b = write('cycle-b.yaml', 'extends: ./cycle-a.yaml\n');
    expect(specError(() => readSpecFile(b))).toMatch(/^spec extends itself: .*cycle-b\.yaml → .*cycle-a\.yaml → .*cycle-b\.yaml$/);
  });
});

function specError(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(KolmoError);
    expect((error as KolmoError).kind).toBe('invalidSpec');
    return (error as Error).message;
  }
  throw new Error('expected a spec error');
}
