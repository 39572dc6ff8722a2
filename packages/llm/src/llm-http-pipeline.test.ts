import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { KolmoError, loadSpec, runLoadedSpec, type PluginSource } from '@kolmo/core';
import { recoverableFaults, startFakeLlmServer, WordPieceModel, type FakeFault, type FakeLlmServer } from '@kolmo/llm-http/testing';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * End to end: a pipeline whose `llm` predictor talks HTTP to a loopback server (vLLM's shapes, a known bigram
 * model), through the openai-compatible adapter plugin named in the spec. Per-document bits equal the model's
 * closed form; faults the client recovers from leave every output byte-identical; a persistent fault stops the
 * run with the input error and leaves no metrics.
 */
const folders: string[] = [];
const servers: FakeLlmServer[] = [];
afterAll(async () => {
  folders.forEach((folder) => rmSync(folder, { recursive: true, force: true }));
  await Promise.all(servers.map((server) => server.close()));
});
function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kolmo-llm-http-run-'));
  folders.push(dir);
  return dir;
}

const baseDir = dirname(import.meta.dirname);
const builtins: PluginSource[] = ['@kolmo/tokenizer', '@kolmo/coder', '@kolmo/syntax-knowledge', '@kolmo/plugin-sink-arrow', '@kolmo/llm'].map((name) => ({ name, baseDir }));

async function server(faults: readonly FakeFault[] = []): Promise<FakeLlmServer> {
  const started = await startFakeLlmServer({ protocol: 'openai', faults, maxModelLength: 64 });
  servers.push(started);
  return started;
}

async function run(url: string, cacheDir: string | false = false, maxRetries = 3) {
  const dir = folder();
  const specFile = join(dir, 'llm-http.yaml');
  writeFileSync(
    specFile,
    `plugins: ["@kolmo/plugin-llm-openai-compatible"]
seed: 5
pipeline:
  generator: { type: syntax-knowledge, documents: 60, batchDocuments: 20 }
  tokenizer: { type: slot-word }
  predictors:
    - { type: llm, backend: { type: openai-compatible, baseUrl: "${url}", model: fake-model, bosTokenId: 0, timeoutMs: 1000, retryDelayMs: 1, maxRetryDelayMs: 20, maxRetries: ${maxRetries}, breakAfterFailures: ${maxRetries + 2} } }
  sinks:
    - { type: arrow-ipc, records: tokens, format: file, path: tokens.arrow }
    - { type: arrow-ipc, records: documents, format: file, path: documents.arrow }
`,
  );
  const out = join(dir, 'out');
  const loaded = await loadSpec({ specFile, builtins });
  const result = await runLoadedSpec(loaded, { outDir: out, cacheDir });
  return { out, result };
}

/** −log2 q of a document under the server's model: BOS as context, then every token of the text. */
function expectedBits(model: WordPieceModel, text: string): number {
  const ids = [WordPieceModel.bosId, ...model.tokenize(text).ids];
  let nats = 0;
  for (let i = 1; i < ids.length; i++) nats -= model.logProb(ids[i - 1], ids[i]);
  return nats / Math.LN2;
}

function bitsByDocument(out: string): Map<number, number> {
  const byDocument = new Map<number, number>();
  for (const row of tableFromIPC(readFileSync(join(out, 'tokens.arrow')))) {
    const doc = Number(row.doc);
    byDocument.set(doc, (byDocument.get(doc) ?? 0) + Number(row.bits_llm ?? row.bits));
  }
  return byDocument;
}

describe('the llm predictor over HTTP (loopback openai-compatible server)', () => {
  it('gives per-document bits equal to the server model’s closed form', async () => {
    const fake = await server();
    const { out } = await run(fake.url);
    const texts = new Map<number, string>();
    for (const row of tableFromIPC(readFileSync(join(out, 'documents.arrow')))) texts.set(Number(row.doc ?? row.document), String(row.text));
    const bits = bitsByDocument(out);
    expect(bits.size).toBe(60);
    for (const [doc, text] of texts) {
      const expected = expectedBits(fake.model, text);
      expect(Math.abs(bits.get(doc)! - expected)).toBeLessThanOrEqual(1e-9 * expected);
    }
  });

  it('recovers from every transient fault with byte-identical outputs', async () => {
    const clean = await run((await server()).url);
    // the faults come back to back, so one request may meet all of them in turn: retries enough for the whole list
    const faults = recoverableFaults.map((fault) => ({ ...fault, path: '/v1/completions', times: 1 }));
    const faulty = await run((await server(faults)).url, false, recoverableFaults.length + 2);
    for (const file of ['tokens.arrow', 'documents.arrow', 'metrics.json']) {
      expect(readFileSync(join(faulty.out, file)).equals(readFileSync(join(clean.out, file))), file).toBe(true);
    }
  }, 60_000);

  it('stops with the input error when /tokenize answers wrongly (the scored echo then disagrees with it)', async () => {
    const fake = await server([{ kind: 'wrong-count', path: '/tokenize', times: 1 }]);
    await expect(run(fake.url)).rejects.toMatchObject({ kind: 'input', message: expect.stringMatching(/tokenize/) });
  }, 60_000);

  it('stops with the input error on a persistent fault, and writes no metrics', async () => {
    const fake = await server([{ kind: 'nan', times: 1_000 }]);
    const failed = run(fake.url);
    await expect(failed).rejects.toBeInstanceOf(KolmoError);
    await expect(failed).rejects.toMatchObject({ kind: 'input' });
    const dir = folders[folders.length - 1];
    expect(existsSync(join(dir, 'out', 'metrics.json'))).toBe(false);
    expect(existsSync(join(dir, 'out', 'tokens.arrow'))).toBe(false);
  }, 60_000);

  it('a rerun with the cache asks the server nothing and gives the same outputs', async () => {
    const fake = await server();
    const cache = folder();
    const first = await run(fake.url, cache);
    const asked = fake.requests.length;
    expect(asked).toBeGreaterThan(0);
    const second = await run(fake.url, cache);
    expect(fake.requests.length).toBe(asked);
    for (const file of ['tokens.arrow', 'metrics.json']) expect(readFileSync(join(second.out, file)).equals(readFileSync(join(first.out, file))), file).toBe(true);
  }, 60_000);
});
