import { describe, expect, it } from 'vitest';
import { kolmo } from './cli-harness.ts';

describe('kolmo schema / plugins', () => {
  it('prints a JSON Schema covering every built-in stage type of every kind', async () => {
    const { code, stdout } = await kolmo('schema');
    expect(code).toBe(0);
    const schema = JSON.parse(stdout);
    const types = (kind: string) => schema.$defs[kind].oneOf.map((s: { properties: { type: { const: string } } }) => s.properties.type.const);
    expect(types('generator')).toEqual(expect.arrayContaining(['syntax-knowledge', 'text-file']));
    expect(types('predictor')).toEqual(expect.arrayContaining(['adaptive-bytes', 'bayes-optimal', 'byte-cm', 'ngram', 'oracle']));
    expect(types('sink')).toEqual(expect.arrayContaining(['arrow-ipc', 'parquet', 'token-binary']));
    expect(schema.properties.pipeline.properties.generator).toEqual({ $ref: '#/$defs/generator' });
    expect(JSON.stringify(schema.properties.report)).toContain('structure-function');
    // a nested component field points at its kind's definitions
    const sk = schema.$defs.generator.oneOf.find((s: { properties: { type: { const: string } } }) => s.properties.type.const === 'syntax-knowledge');
    expect(JSON.stringify(sk.properties.prior)).toContain('#/$defs/prior');
  });

  it('lists stage types with their fields and defaults', async () => {
    const { code, stdout } = await kolmo('plugins');
    expect(code).toBe(0);
    expect(stdout).toMatch(/adaptive-bytes .*\[@kolmo\/predictor@0\.1\.0\]/);
    expect(stdout).toMatch(/^plugins\n {2}@kolmo\/generator@0\.1\.0 {2}\S+/);
    expect(stdout).toMatch(/prior: number = 0\.5 {2}— Dirichlet pseudo-count/);
  });
});
