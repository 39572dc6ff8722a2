import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
      // a spec that loads plugins is checked against the schema `kolmo schema --spec` gives with those plugins
      const check = document.toJSON().plugins ? ajv.compile(await schemaWithPluginsOf(text)) : validate;
      const valid = check(document.toJSON());
      expect(valid ? [] : check.errors!.map((e) => `${name}: ${e.instancePath} ${e.message}`).slice(0, 5), name).toEqual([]);
    }
  });
});

/** The JSON Schema with a spec's plugins loaded; the spec is written beside the workspace's node_modules so they resolve. */
async function schemaWithPluginsOf(text: string): Promise<object> {
  const dir = mkdtempSync(join(root, '.schema-check-'));
  try {
    writeFileSync(join(dir, 'spec.yaml'), text);
    const { code, stdout, stderr } = await kolmo('schema', '--spec', join(dir, 'spec.yaml'));
    expect(code, stderr).toBe(0);
    return JSON.parse(stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
