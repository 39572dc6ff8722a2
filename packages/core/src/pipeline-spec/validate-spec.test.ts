import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { componentField } from '../plugins/component-field.ts';
import { defineStage } from '../plugins/stage-descriptor.ts';
import { StageRegistry } from '../plugins/stage-registry.ts';
import { specJsonSchema } from './json-schema.ts';
import { parseSpecText } from './spec-source.ts';
import { validateEnvelope, validateRuns } from './validate-spec.ts';

const never = () => {
  throw new Error('not built in validation');
};

function registry(): StageRegistry {
  const r = new StageRegistry();
  r.add(defineStage({ kind: 'generator', type: 'gen', description: 'g', config: z.object({ documents: z.number().int().positive(), prior: componentField('prior').optional() }), create: never }), 'test');
  r.add(defineStage({ kind: 'prior', type: 'py', description: 'p', config: z.object({ discount: z.number().min(0).max(0.999) }), create: never }), 'test');
  r.add(defineStage({ kind: 'tokenizer', type: 'tok', description: 't', config: z.object({}), create: never }), 'test');
  r.add(defineStage({ kind: 'predictor', type: 'pred', description: 'p', config: z.object({ order: z.number().int().default(3) }), create: never }), 'test');
  r.add(defineStage({ kind: 'coder', type: 'ideal', description: 'c', config: z.object({}), create: never }), 'test');
  r.add(defineStage({ kind: 'sink', type: 'file', description: 's', config: z.object({ path: z.string() }), create: never }), 'test');
  return r;
}

function validate(yaml: string) {
  const source = parseSpecText(yaml, 'spec.yaml');
  return validateRuns(source, validateEnvelope(source), registry());
}

const base = `pipeline:
  generator: { type: gen, documents: \${n} }
  tokenizer: { type: tok }
  predictors:
    - { type: pred }
    - { type: pred, order: 5 }
  sinks:
    - { type: file, path: out.arrow }
`;

describe('spec validation', () => {
  it('expands sweeps, applies defaults and numbers repeated predictor names', () => {
    const runs = validate(`sweep: { n: [10, 20] }\n${base}`);
    expect(runs.map((r) => r.generator.config.documents)).toEqual([10, 20]);
    expect(runs[0].predictors.map((p) => [p.name, p.config.order])).toEqual([['pred', 3], ['pred#2', 5]]);
    expect(runs[0].coder.type).toBe('ideal');
    expect(runs[1].label).toBe('n=20');
  });

  it('names an unknown stage type with its path, position and the known types', () => {
    expect(() => validate(`sweep: { n: [1] }\n${base.replace('type: tok', 'type: words')}`)).toThrow(
      'pipeline.tokenizer.type (spec.yaml:4:3): unknown tokenizer type "words"; known tokenizer types: tok',
    );
  });

  it('names a wrong field with its full path and what was expected', () => {
    expect(() => validate(`sweep: { n: [1] }\n${base.replace('path: out.arrow', 'path: 42')}`)).toThrow(
      /^pipeline\.sinks\[0\]\.path \(spec\.yaml:9:21\): Invalid input: expected string, received number$/,
    );
  });

  it('rejects an unknown field, with the near miss and the valid fields', () => {
    expect(() => validate(`sweep: { n: [1] }\n${base.replace('{ type: pred }', '{ type: pred, ordr: 2 }')}`)).toThrow(
      /^pipeline\.predictors\[0\]\.ordr \(spec\.yaml:6:21\): unknown field for predictor "pred"; did you mean "order"\? \(valid fields: type, name, order\)$/,
    );
    expect(() => validate(`sweep: { n: [1] }\nseeed: 3\n${base}`)).toThrow(/^seeed \(spec\.yaml:2:1\): unknown field; did you mean "seed"\? \(valid fields: name, description, extends, plugins, seed, output, sweep, concurrency, pipeline, fit, report\)$/);
    expect(() => validate(`sweep: { n: [1] }\n${base.replace('tokenizer:', 'tokeniser:')}`)).toThrow(/^pipeline\.tokeniser .*unknown field; did you mean "tokenizer"\?/);
  });

  it('validates nested components against their own schema', () => {
    const nested = base.replace('documents: ${n} }', 'documents: 5, prior: { type: py, discount: 1.5 } }');
    expect(() => validate(nested)).toThrow(/^pipeline\.generator\.prior\.discount \(spec\.yaml:2:60\): Too big: expected number to be <=0\.999$/);
    expect(() => validate(nested.replace('type: py', 'type: dp'))).toThrow('unknown prior type "dp"; known prior types: py');
  });

  it('reports an undefined sweep variable', () => {
    expect(() => validate(base)).toThrow('pipeline.generator.documents: ${n} is not a sweep variable (the spec has no sweep)');
  });

  it('generates a JSON Schema that lists every type of every kind', () => {
    const schema = specJsonSchema(registry()) as { $defs: Record<string, { oneOf: { properties: { type: { const: string } } }[] }> };
    expect(schema.$defs.predictor.oneOf.map((s) => s.properties.type.const)).toEqual(['pred']);
    expect(JSON.stringify(schema.$defs.generator)).toContain('"$ref":"#/$defs/prior"');
  });
});
