import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { kolmo } from './cli-harness.ts';

const root = join(import.meta.dirname, '../../..');

/** Every spec the project shows a user: the examples and the YAML blocks of the README that are specs. */
function documentedSpecs(): { name: string; text: string }[] {
  const examples = readdirSync(join(root, 'examples'))
    .filter((file) => file.endsWith('.yaml'))
    .map((file) => ({ name: `examples/${file}`, text: readFileSync(join(root, 'examples', file), 'utf8') }));
  const readme = [...readFileSync(join(root, 'README.md'), 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map((match, i) => ({ name: `README.md yaml block ${i + 1}`, text: match[1] }))
    .filter(({ text }) => /^pipeline:/m.test(text));
  return [...examples, ...readme];
}

describe('kolmo schema under a standard validator (Ajv, JSON Schema 2020-12)', () => {
  it('is a valid schema, and every documented spec is portable YAML that it accepts', async () => {
    const { code, stdout } = await kolmo('schema');
    expect(code).toBe(0);
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const schema = JSON.parse(stdout);
    expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true);
    const validate = ajv.compile(schema);
    const specs = documentedSpecs();
    expect(specs.length).toBeGreaterThanOrEqual(10);
    for (const { name, text } of specs) {
      const document = parseDocument(text); // a plain YAML reader, without kolmo's own leniency
      expect(document.errors.map((e) => `${name}: ${e.message}`)).toEqual([]);
      const valid = validate(document.toJSON());
      expect(valid ? [] : validate.errors!.map((e) => `${name}: ${e.instancePath} ${e.message}`).slice(0, 5), name).toEqual([]);
    }
  });
});
