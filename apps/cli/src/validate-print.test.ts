import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { kolmo, temporaryFolder } from './cli-harness.ts';

const dir = temporaryFolder();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('kolmo validate --print', () => {
  it('prints the spec with its extends: bases merged in', async () => {
    writeFileSync(
      join(dir, 'base.yaml'),
      'seed: 3\npipeline:\n  generator: { type: syntax-knowledge, documents: 20 }\n  tokenizer: { type: slot-word }\n  predictors: [{ type: oracle }]\n',
    );
    writeFileSync(join(dir, 'mine.yaml'), 'extends: ./base.yaml\npipeline:\n  generator: { documents: 30 }\n  predictors: [{ type: ngram, order: 2 }]\n');
    const { code, stdout } = await kolmo('validate', join(dir, 'mine.yaml'), '--print');
    expect(code).toBe(0);
    expect(parse(stdout)).toEqual({
      seed: 3,
      pipeline: {
        generator: { type: 'syntax-knowledge', documents: 30 },
        tokenizer: { type: 'slot-word' },
        predictors: [{ type: 'ngram', order: 2 }],
      },
    });
  });

  it('names the base file and line of a bad value that came from the base', async () => {
    writeFileSync(join(dir, 'bad-base.yaml'), 'pipeline:\n  generator: { type: syntax-knowledge, documents: -5 }\n  tokenizer: { type: slot-word }\n  predictors: [{ type: oracle }]\n');
    writeFileSync(join(dir, 'uses-bad.yaml'), 'extends: ./bad-base.yaml\nseed: 1\n');
    const { code, stderr } = await kolmo('validate', join(dir, 'uses-bad.yaml'));
    expect(code).toBe(3);
    expect(stderr).toMatch(/pipeline\.generator\.documents \(.*bad-base\.yaml:2:\d+\)/);
  });
});
