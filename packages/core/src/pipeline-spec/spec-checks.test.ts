import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineStage } from '../plugins/stage-descriptor.ts';
import { StageRegistry } from '../plugins/stage-registry.ts';
import { parseSpecText } from './spec-source.ts';
import { validateEnvelope, validateRuns } from './validate-spec.ts';

const never = () => {
  throw new Error('not built in validation');
};

function registry(): StageRegistry {
  const r = new StageRegistry();
  r.add(defineStage({ kind: 'generator', type: 'gen', description: 'g', config: z.object({ documents: z.number().int().positive() }), create: never }), 'test');
  r.add(defineStage({ kind: 'tokenizer', type: 'tok', description: 't', config: z.object({}), create: never }), 'test');
  r.add(defineStage({ kind: 'predictor', type: 'pred', description: 'p', config: z.object({}), create: never }), 'test');
  r.add(defineStage({ kind: 'coder', type: 'ideal', description: 'c', config: z.object({}), create: never }), 'test');
  r.add(defineStage({ kind: 'sink', type: 'file', description: 's', config: z.object({ path: z.string() }), create: never }), 'test');
  return r;
}

function validate(yaml: string) {
  const source = parseSpecText(yaml, 'spec.yaml');
  return validateRuns(source, validateEnvelope(source), registry());
}

const spec = (sinks: string, head = '') => `${head}pipeline:
  generator: { type: gen, documents: 10 }
  tokenizer: { type: tok }
  predictors: [{ type: pred }]
  sinks: ${sinks}
`;

describe('whole-spec checks', () => {
  it('keeps sink outputs inside the run folder', () => {
    expect(() => validate(spec('[{ type: file, path: ../escaped.jsonl }]'))).toThrow(/^pipeline\.sinks\[0\]\.path \(spec\.yaml:5:\d+\): "\.\.\/escaped\.jsonl" is not inside the run folder/);
    expect(() => validate(spec('[{ type: file, path: /tmp/x.jsonl }]'))).toThrow(/not inside the run folder/);
    expect(() => validate(spec('[{ type: file, path: a/../../x }]'))).toThrow(/not inside the run folder/);
    expect(validate(spec('[{ type: file, path: sub/x.jsonl }]'))).toHaveLength(1);
  });

  it('refuses two sinks writing one file and a sink taking the name of a file kolmo writes', () => {
    expect(() => validate(spec('[{ type: file, path: a.jsonl }, { type: file, path: ./a.jsonl }]'))).toThrow(/pipeline\.sinks\[1\]\.path .*also written by pipeline\.sinks\[0\]/);
    expect(() => validate(spec('[{ type: file, path: manifest.json }]'))).toThrow(/"manifest\.json" is a file kolmo writes itself/);
  });

  it('refuses a spec name that is not one plain folder name', () => {
    expect(() => validate(spec('[]', 'name: ../../x\n'))).toThrow(/^name \(spec\.yaml:1:\d+\): "\.\.\/\.\.\/x" is not a plain folder name/);
    expect(validate(spec('[]', 'name: data-scaling_2\n'))).toHaveLength(1);
  });

  it('refuses repeated sweep values and sweep variables used nowhere (but not an unused seed)', () => {
    const swept = (sweep: string) => `sweep: ${sweep}\n${spec('[]').replace('documents: 10', 'documents: ${n}')}`;
    expect(() => validate(swept('{ n: [100, 100] }'))).toThrow(/^sweep\.n\[1\] \(spec\.yaml:1:\d+\): 100 is listed twice/);
    expect(() => validate(swept('{ n: [100], alpha: [0.5, 0.7] }'))).toThrow(/^sweep\.alpha \(spec\.yaml:1:\d+\): the sweep variable "alpha" is used nowhere/);
    expect(validate(swept('{ n: [100], seed: [1, 2, 3] }'))).toHaveLength(3);
  });

  it('refuses a run with nothing to do: no predictors and no sinks', () => {
    expect(() => validate(spec('[]').replace('[{ type: pred }]', '[]'))).toThrow(/^pipeline\.predictors .*measures and writes nothing/);
  });
});
