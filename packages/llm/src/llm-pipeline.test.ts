import { readFileSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { KolmoError, loadSpec, runLoadedSpec, slotNames, type PluginSource } from '@kolmo/core';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { UnigramBackend, unigramBits, unigramTokenBits } from './testing/index.ts';

const folders: string[] = [];
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));
function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kolmo-llm-run-'));
  folders.push(dir);
  return dir;
}

const baseDir = dirname(import.meta.dirname);
const builtins: PluginSource[] = ['@kolmo/generator', '@kolmo/tokenizer', '@kolmo/coder', '@kolmo/analysis', '@kolmo/syntax-knowledge', '@kolmo/plugin-sink-arrow', '@kolmo/llm', '@kolmo/llm/testing'].map((name) => ({ name, baseDir }));

const spec = (backend: string, extra = '') => `
seed: 3
${extra}
pipeline:
  generator: { type: syntax-knowledge, documents: 240, batchDocuments: 40, mode: all-attributes }
  tokenizer: { type: slot-word }
  predictors:
    - { type: llm, backend: ${backend}, stride: 8, contextTokens: 24 }
  coder: { type: ideal }
  evaluation: { documents: 40 }
  sinks:
    - { type: arrow-ipc, records: tokens, format: file, path: tokens.arrow }
    - { type: arrow-ipc, records: documents, format: file, path: documents.arrow }
    - { type: arrow-ipc, records: backend-tokens, format: file, path: backend-tokens.arrow }
    - { type: qa-probes, perBin: 2, binsPerDecade: 1, attributes: [major] }
    - { type: acquisition, binsPerDecade: 1 }
    - { type: learning-curve, start: 40 }
`;

async function load(text: string) {
  const specFile = join(folder(), 'llm.yaml');
  writeFileSync(specFile, text);
  return loadSpec({ specFile, builtins });
}

const outputs = ['tokens.arrow', 'documents.arrow', 'backend-tokens.arrow', 'metrics.json', 'qa-probes.json', 'acquisition.json', 'learning-curve.json'];

describe('a pipeline with the llm predictor', () => {
  it('gives per-token, per-slot and per-document bits equal to the closed form; the analysis sinks run on it', async () => {
    const out = folder();
    const result = await runLoadedSpec(await load(spec('{ type: unigram-test, maxContextTokens: 32, maxBatchSize: 4, topK: 3 }')), { outDir: out, cacheDir: false });
    const tokens = tableFromIPC(readFileSync(join(out, 'tokens.arrow')));
    const documents = tableFromIPC(readFileSync(join(out, 'documents.arrow')));
    const texts = new Map<number, string>();
    for (const row of documents) texts.set(Number(row.doc ?? row.document), String(row.text));
    expect(texts.size).toBe(280);
    // Group token rows per document and compare with the closed form of the documented rule.
    const rows = tokens.toArray() as { doc: number; start: number; end: number; slot: string; bits: number; phase?: string }[];
    const byDocument = new Map<number, typeof rows>();
    for (const row of rows) byDocument.set(Number(row.doc), [...(byDocument.get(Number(row.doc)) ?? []), row]);
    const slots = new Map<string, number>();
    let worst = 0;
    for (const [doc, own] of byDocument) {
      const text = texts.get(doc)!;
      const expected = unigramTokenBits(text, own.map((r) => ({ start: Number(r.start), end: Number(r.end) })));
      own.forEach((row, k) => (worst = Math.max(worst, Math.abs(row.bits - expected[k]))));
      const total = own.reduce((a, r) => a + r.bits, 0);
      expect(Math.abs(total - unigramBits(text))).toBeLessThanOrEqual(1e-9 * unigramBits(text));
      if (doc < 240) own.forEach((row, k) => slots.set(String(row.slot), (slots.get(String(row.slot)) ?? 0) + expected[k]));
    }
    expect(worst).toBeLessThan(1e-9);
    const metrics = result.runs[0].result.predictors.llm;
    expect([...slots.keys()].sort()).toEqual(['1', '2', '3']);
    for (const [slot, bits] of slots) expect(metrics.slots[slotNames[Number(slot)]].bits).toBeCloseTo(bits, 6);
    const trainTotal = [...texts].filter(([doc]) => doc < 240).reduce((a, [, text]) => a + unigramBits(text), 0);
    expect(metrics.bits).toBeCloseTo(trainTotal, 6);
    expect(metrics.test!.bits).toBeCloseTo([...texts].filter(([doc]) => doc >= 240).reduce((a, [, text]) => a + unigramBits(text), 0), 6);

    // The backend's own token table: its pieces spell each text, its bits are the closed form per piece, top-k sorted.
    const backendTokens = tableFromIPC(readFileSync(join(out, 'backend-tokens.arrow')));
    expect(backendTokens.schema.fields.map((f) => f.name)).toEqual(['predictor', 'doc', 'position', 'token', 'start', 'end', 'bits', 'piece', 'top_tokens', 'top_bits']);
    const spelled = new Map<number, string>();
    const pieceBits = new Map<number, number>();
    for (const row of backendTokens) {
      const doc = Number(row.doc);
      spelled.set(doc, (spelled.get(doc) ?? '') + row.piece);
      pieceBits.set(doc, (pieceBits.get(doc) ?? 0) + row.bits);
      expect(Number(row.end) - Number(row.start)).toBe(String(row.piece).length);
      const topBits = Array.from(row.top_bits as Iterable<number>);
      expect(topBits).toHaveLength(3);
      expect(topBits).toEqual([...topBits].sort((a, b) => a - b));
    }
    for (const [doc, text] of texts) {
      if (text.length === 0) continue;
      expect(spelled.get(doc)).toBe(text);
      expect(pieceBits.get(doc)).toBeCloseTo(unigramBits(text), 8);
    }

    const qa = JSON.parse(readFileSync(join(out, 'qa-probes.json'), 'utf8'));
    expect(qa.rows.some((row: { predictor: string; mode: string }) => row.predictor === 'llm' && row.mode === 'bits')).toBe(true);
    const acquisition = JSON.parse(readFileSync(join(out, 'acquisition.json'), 'utf8'));
    expect(acquisition.rows.some((row: { predictor: string }) => row.predictor === 'llm')).toBe(true);
    const curve = JSON.parse(readFileSync(join(out, 'learning-curve.json'), 'utf8'));
    expect(curve.rows.map((row: { documents: number }) => row.documents)).toContain(240);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.backends).toEqual([{ id: 'unigram-test:unigram:pieces3:top3', model: 'unigram', revision: 'closed-form', tokenizer: 'pieces-of-3' }]);
  });

  it('resumes an interrupted run from the cache with byte-identical outputs, and a rerun asks the backend nothing', async () => {
    const backend = '{ type: unigram-test, maxContextTokens: 32, maxBatchSize: 4, latencyMs: 2 }';
    const reference = folder();
    await runLoadedSpec(await load(spec(backend)), { outDir: reference, cacheDir: false });

    const out = folder();
    const loaded = await load(spec(backend));
    const controller = new AbortController();
    const interrupted = runLoadedSpec(loaded, { outDir: out, signal: controller.signal, onProgress: (p) => p.documents >= 120 && controller.abort() });
    await expect(interrupted).rejects.toThrow(KolmoError);
    expect(UnigramBackend.last!.closed).toBe(true);
    const firstCalls = UnigramBackend.last!.calls;

    await runLoadedSpec(loaded, { outDir: out });
    const resumedCalls = UnigramBackend.last!.calls;
    for (const file of outputs) expect(readFileSync(join(out, file)).equals(readFileSync(join(reference, file))), file).toBe(true);

    await runLoadedSpec(loaded, { outDir: out });
    expect(UnigramBackend.last!.calls).toBe(0);
    for (const file of outputs) expect(readFileSync(join(out, file)).equals(readFileSync(join(reference, file))), file).toBe(true);
    // The resumed run scored only what the interrupted one had not (QA candidates were never reached before).
    expect(firstCalls).toBeGreaterThan(0);
    expect(resumedCalls).toBeGreaterThan(0);
  });

  it('sweeps over models through ${model}: one shared backend per model for every run, each manifest naming its model', async () => {
    const built = UnigramBackend.built;
    const loaded = await load(spec('{ type: unigram-test, model: "${model}", maxContextTokens: 32 }', 'sweep: { model: [small, large], seed: [1, 2] }'));
    const result = await runLoadedSpec(loaded, { outDir: folder(), cacheDir: false, concurrency: 2 });
    expect(UnigramBackend.built - built).toBe(2);
    for (const run of result.runs) {
      const manifest = JSON.parse(readFileSync(join(run.runDir, 'manifest.json'), 'utf8'));
      const model = run.label.includes('model=small') ? 'small' : 'large';
      expect(manifest.backends.map((b: { model: string }) => b.model)).toEqual([model]);
      expect(manifest.resolved.predictors[0].backend.model).toBe(model);
    }
    expect(UnigramBackend.last!.closed).toBe(true);
  });
});
