import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kolmo } from '../cli-harness.ts';
import { examples } from './scaled-spec.ts';

const experimentSpecs = ['data-scaling.yaml', 'model-scaling.yaml', 'joint-scaling.yaml', 'acquisition.yaml', 'fine-tuning.yaml', 'hallucination.yaml'];

describe('example specs', () => {
  it.each(experimentSpecs)('%s is valid, report section included', async (name) => {
    const { code, stdout, stderr } = await kolmo('validate', join(examples, name), '--json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary.valid).toBe(true);
    expect(summary.reportPlots).toBeGreaterThan(0);
  });

  it('every example in the folder validates', async () => {
    for (const name of readdirSync(examples).filter((file) => /\.(ya?ml|json)$/.test(file))) {
      const { code, stderr } = await kolmo('validate', join(examples, name));
      expect({ name, code, stderr }).toEqual({ name, code: 0, stderr: '' });
    }
  });
});
