/**
 * Sink throughput and memory: each sink writes the same synthetic records (256 documents of ~100 tokens per
 * record, two predictors, true bits, four ground-truth columns) until its table holds ~10^7 rows, in a fresh
 * process per run so peak RSS is its own. Only the sink's calls are timed. Documents come from a small pool;
 * token ids and code lengths are drawn fresh for every record (repeated values would flatter Parquet's dictionaries).
 * "none" is the baseline: the same records, no sink. Prints rows/s, tokens/s, MB/s on disk and peak RSS.
 *
 *   npx tsx --conditions=@kolmo/source tools/bench/src/sinks.bench.ts [--tokens 5e6] [--repeats 3] [--only parquet-tokens,jsonl]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sink, SinkRecord, StageContext, StageDescriptor } from '@kolmo/core';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);

const predictors = ['ngram', 'oracle'];
const documentsPerRecord = 256;

/** What each case writes and how its rows are counted (token table: tokens × predictors). */
const cases: Record<string, { plugin: string; type: string; config: Record<string, unknown>; rowsPer: 'tokenRows' | 'tokens' | 'documents' }> = {
  none: { plugin: '', type: '', config: {}, rowsPer: 'tokenRows' },
  'arrow-stream-tokens': { plugin: '@kolmo/plugin-sink-arrow', type: 'arrow-ipc', config: { format: 'stream' }, rowsPer: 'tokenRows' },
  'arrow-file-tokens': { plugin: '@kolmo/plugin-sink-arrow', type: 'arrow-ipc', config: { format: 'file' }, rowsPer: 'tokenRows' },
  'arrow-file-documents': { plugin: '@kolmo/plugin-sink-arrow', type: 'arrow-ipc', config: { format: 'file', records: 'documents' }, rowsPer: 'documents' },
  'parquet-tokens-zstd': { plugin: '@kolmo/plugin-sink-parquet', type: 'parquet', config: {}, rowsPer: 'tokenRows' },
  'parquet-tokens-snappy': { plugin: '@kolmo/plugin-sink-parquet', type: 'parquet', config: { compression: 'snappy' }, rowsPer: 'tokenRows' },
  'parquet-documents': { plugin: '@kolmo/plugin-sink-parquet', type: 'parquet', config: { records: 'documents' }, rowsPer: 'documents' },
  jsonl: { plugin: '@kolmo/plugin-sink-corpus', type: 'jsonl', config: {}, rowsPer: 'documents' },
  'token-binary': { plugin: '@kolmo/plugin-sink-corpus', type: 'token-binary', config: { groundTruth: 'none' }, rowsPer: 'tokens' },
  'token-binary+arrow': { plugin: '@kolmo/plugin-sink-corpus', type: 'token-binary', config: {}, rowsPer: 'tokens' },
};

interface ChildResult {
  readonly seconds: number;
  readonly rssMB: number;
  readonly tokens: number;
  readonly documents: number;
  readonly bytesOnDisk: number;
}

if (args.has('child')) await child(args.get('child')!, Number(args.get('tokens')), args.get('out')!);
else parent();

function parent(): void {
  const tokens = Number(args.get('tokens') ?? 5e6);
  const repeats = Number(args.get('repeats') ?? 3);
  const only = args.get('only')?.split(',');
  console.log(`sink benchmark: ${tokens.toExponential(1)} tokens × ${predictors.length} predictors = ${(tokens * predictors.length).toExponential(1)} token rows; median of ${repeats}`);
  console.log('case                   rows        median s  rows/s     tokens/s   MB/s disk  MB on disk  peak RSS MB');
  for (const [name, spec] of Object.entries(cases)) {
    if (only && !only.includes(name) && name !== 'none') continue;
    const results: ChildResult[] = [];
    for (let r = 0; r < repeats; r++) {
      const out = mkdtempSync(join(tmpdir(), 'kolmo-sink-bench-'));
      try {
        const text = execFileSync(process.execPath, ['--conditions=@kolmo/source', '--import', 'tsx', import.meta.filename, '--child', name, '--tokens', String(tokens), '--out', out], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'inherit'],
          maxBuffer: 1 << 20,
        });
        results.push(JSON.parse(text.trim().split('\n').pop()!) as ChildResult);
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    }
    const seconds = median(results.map((r) => r.seconds));
    const { documents, tokens: written, bytesOnDisk } = results[0];
    const rows = spec.rowsPer === 'tokenRows' ? written * predictors.length : spec.rowsPer === 'tokens' ? written : documents;
    const perSecond = (x: number) => (name === 'none' ? '-' : (x / seconds).toExponential(2));
    console.log(
      `${name.padEnd(23)}${rows.toExponential(2).padEnd(12)}${seconds.toFixed(2).padEnd(10)}${perSecond(rows).padEnd(11)}${perSecond(written).padEnd(11)}` +
        `${(name === 'none' ? '-' : (bytesOnDisk / seconds / 1e6).toFixed(1)).padEnd(11)}${(bytesOnDisk / 1e6).toFixed(0).padEnd(12)}${Math.max(...results.map((r) => r.rssMB)).toFixed(0)}`,
    );
  }
}

async function child(name: string, tokens: number, out: string): Promise<void> {
  const { Rng } = await import('@kolmo/core');
  const spec = cases[name];
  const pool = makeRecordPool(new Rng(1, 'sink-bench'), 8);
  const context: StageContext = {
    runDir: out,
    specDir: out,
    point: {},
    seed: 1,
    rng: (stream) => new Rng(1, stream),
    signal: new AbortController().signal,
    log: { info: () => undefined, warn: () => undefined },
    create: () => Promise.reject(new Error('no nested components')),
    upstream: { tokenizer: { vocabularySize: 50257, tokenize: () => { throw new Error('unused'); }, tokenText: (id) => `t${id}` } },
  };
  let sink: Sink | undefined;
  if (spec.plugin) {
    const plugin = (await import(spec.plugin)) as Record<string, unknown>;
    const descriptor = Object.values(plugin).find((x) => (x as StageDescriptor)?.type === spec.type) as StageDescriptor<'sink'>;
    sink = (await descriptor.create(descriptor.config.parse(spec.config), context)) as Sink;
  }
  let seconds = 0;
  let written = 0;
  let documents = 0;
  let t = performance.now();
  await sink?.open?.({ predictors });
  seconds += performance.now() - t;
  const draw = new Rng(2, 'values');
  for (let k = 0; written < tokens; k++) {
    const record = withFreshValues(rebased(pool[k % pool.length], documents), draw);
    t = performance.now();
    await sink?.write(record);
    seconds += performance.now() - t;
    written += record.tokens.length;
    documents += record.documents.text.length;
  }
  t = performance.now();
  await sink?.close();
  seconds += performance.now() - t;
  const result: ChildResult = { seconds: seconds / 1000, rssMB: process.resourceUsage().maxRSS / 1024, tokens: written, documents, bytesOnDisk: sizeOf(out) };
  console.log(JSON.stringify(result));
}

/** A few records shaped like a synthetic-source run; cycled, with document indices moved on each time. */
function makeRecordPool(rng: import('@kolmo/core').Rng, size: number): SinkRecord[] {
  return Array.from({ length: size }, () => {
    const lengths = Array.from({ length: documentsPerRecord }, () => 50 + rng.nextInt(101));
    const n = lengths.reduce((a, b) => a + b, 0);
    const text = lengths.map((length) => {
      let s = '';
      for (let i = 0; i < length; i++) s += String.fromCharCode(97 + rng.nextInt(26), 97 + rng.nextInt(26), 97 + rng.nextInt(26), 32);
      return s;
    });
    const columns = {
      element: Int32Array.from(lengths, () => rng.nextInt(10_000)),
      isNew: Uint8Array.from(lengths, () => rng.nextInt(2)),
      syntaxBits: Float64Array.from(lengths, () => rng.nextFloat() * 100),
      knowledgeBits: Float64Array.from(lengths, () => rng.nextFloat() * 100),
    };
    const documents = { first: 0, text, columns };
    const doc = new Int32Array(n);
    const start = new Int32Array(n);
    let i = 0;
    lengths.forEach((length, d) => {
      for (let p = 0; p < length; p++, i++) {
        doc[i] = d;
        start[i] = 4 * p;
      }
    });
    const tokens = {
      length: n,
      ids: Int32Array.from({ length: n }, () => rng.nextInt(50257)),
      doc,
      slot: Uint8Array.from({ length: n }, () => rng.nextInt(4)),
      start,
      end: start.map((s) => s + 4),
      offsetUnit: 'utf16' as const,
      trueBits: Float64Array.from({ length: n }, () => rng.nextFloat() * 20),
      documents,
    };
    const scored = predictors.map((predictor) => ({ predictor, tokens, bits: Float64Array.from({ length: n }, () => rng.nextFloat() * 20) }));
    return { documents, tokens, scored };
  });
}

function rebased(record: SinkRecord, first: number): SinkRecord {
  const documents = { ...record.documents, first };
  const doc = record.tokens.doc.map((d) => d + first);
  const tokens = { ...record.tokens, doc, documents };
  return { documents, tokens, scored: record.scored.map((s) => ({ ...s, tokens })) };
}

/** New token ids, true bits and predictor bits (code lengths of a typical spread: −log2 of a uniform). */
function withFreshValues(record: SinkRecord, rng: import('@kolmo/core').Rng): SinkRecord {
  const n = record.tokens.length;
  const bits = () => Float64Array.from({ length: n }, () => -Math.log2(rng.nextOpenFloat()));
  const tokens = { ...record.tokens, ids: Int32Array.from({ length: n }, () => rng.nextInt(50257)), trueBits: bits() };
  return { ...record, tokens, scored: record.scored.map((s) => ({ ...s, tokens, bits: bits() })) };
}

function sizeOf(folder: string): number {
  let bytes = 0;
  for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) bytes += statSync(join(entry.parentPath, entry.name)).size;
  }
  return bytes;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
