/**
 * In-process transformers: tokens/s of scoring (per-token log-probs from the full next-token distribution) with
 * the `onnx` and `llama-cpp` backends, for each committed fixture size, beside a plain PyTorch forward pass
 * (+ log-softmax) of the same GGUF weights on the same windows, measured in the same run, all on one thread.
 * Also the coding speed of compressText (one forward pass per token) on the byte model.
 *
 *   npx tsx tools/bench/src/llm-inproc.bench.ts [--repeats 3] [--windows 32] [--code-bytes 400]
 *
 * PyTorch runs under Debian's /usr/bin/python3 (tools/train-lm/install-deps.sh); without it that column says so.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { compressText, decompressText, type InProcessBackend } from '@kolmo/llm-inproc';
import { lmFixture, skCorpusHeader, skValidationDocuments } from '@kolmo/llm-inproc/testing';
import { createLlamaCppBackend } from '@kolmo/plugin-llm-llama-cpp';
import { createOnnxBackend } from '@kolmo/plugin-llm-onnx';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const repeats = Number(args.get('repeats') ?? 3);
const windowCount = Number(args.get('windows') ?? 32);
const codeBytes = Number(args.get('code-bytes') ?? 400);
const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

const fixtures = [
  { name: 'sk-50k', step: 600, words: true },
  { name: 'sk-200k', step: 400, words: true },
  { name: 'sk-800k', step: 150, words: true },
  { name: 'alice-bytes', step: 400, words: false },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Windows of the context length (64): the SK held-out corpus as one id stream, or alice29's bytes; begin id first. */
async function windowsFor(words: boolean, context: number, begin: number): Promise<Int32Array[]> {
  let stream: Int32Array;
  if (words) {
    const { ids } = await skValidationDocuments(2000);
    stream = Int32Array.from(ids.flatMap((document) => [...document, begin]));
  } else {
    stream = Int32Array.from(readFileSync(`${repositoryRoot}examples/corpora/alice29.txt`));
  }
  return Array.from({ length: windowCount }, (_, w) => Int32Array.of(begin, ...stream.subarray(w * (context - 1), (w + 1) * (context - 1))));
}

async function backendTokensPerSecond(backend: InProcessBackend, windows: Int32Array[]): Promise<number> {
  const requests = windows.map((ids) => ({ ids, scoreFrom: 1 }));
  await backend.scoreTokens(requests.slice(0, 2)); // warm up
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    await backend.scoreTokens(requests);
    times.push((performance.now() - start) / 1000);
  }
  return windows.reduce((n, w) => n + w.length - 1, 0) / median(times);
}

const torchScript = `
import json, sys, time
sys.path.insert(0, sys.argv[1])
import torch
from torch.nn import functional as F
from kolmo_lm.load import model_from_gguf
torch.set_num_threads(1)
request = json.load(sys.stdin)
model = model_from_gguf(request['gguf']).eval()
ids = torch.tensor(request['windows'], dtype=torch.int64)
times = []
with torch.no_grad():
    F.log_softmax(model(ids[:2]).double(), dim=-1)
    for _ in range(request['repeats']):
        start = time.perf_counter()
        F.log_softmax(model(ids).double(), dim=-1).gather(-1, ids[:, 1:, None])
        times.append(time.perf_counter() - start)
times.sort()
print(json.dumps({'seconds': times[len(times) // 2], 'torch': torch.__version__}))
`;

function torchTokensPerSecond(gguf: string, windows: Int32Array[]): { tokensPerSecond: number; version: string } | string {
  const result = spawnSync('/usr/bin/python3', ['-c', torchScript, `${repositoryRoot}tools/train-lm`], {
    input: JSON.stringify({ gguf, repeats, windows: windows.map((w) => Array.from(w)) }),
    encoding: 'utf8',
  });
  if (result.status !== 0) return `unavailable (${(result.stderr || String(result.error)).trim().split('\n').pop()})`;
  const { seconds, torch } = JSON.parse(result.stdout) as { seconds: number; torch: string };
  return { tokensPerSecond: windows.reduce((n, w) => n + w.length - 1, 0) / seconds, version: torch };
}

console.log(`llm-inproc bench: ${windowCount} windows of 64 tokens, median of ${repeats}, one thread each; load ${loadavg()[0].toFixed(1)}`);
console.log('fixture       parameters  onnx tok/s  llama-cpp tok/s  torch tok/s  onnx/torch  llama-cpp/torch');
for (const fixture of fixtures) {
  const files = lmFixture(fixture.name, fixture.step);
  const card = JSON.parse(readFileSync(files.card, 'utf8')) as { parameters: number; io: { beginId: number }; model: { context_length: number } };
  const windows = await windowsFor(fixture.words, card.model.context_length, card.io.beginId);
  const onnx = await createOnnxBackend({ model: files.onnx, ...(fixture.words ? { vocabulary: skCorpusHeader } : {}), maxBatchSize: windowCount }, '/');
  const onnxRate = await backendTokensPerSecond(onnx, windows);
  await onnx.close();
  const llama = await createLlamaCppBackend({ model: files.gguf, maxBatchSize: windowCount }, '/');
  const llamaRate = await backendTokensPerSecond(llama, windows);
  await llama.close();
  const torch = torchTokensPerSecond(files.gguf, windows);
  const torchRate = typeof torch === 'string' ? undefined : torch.tokensPerSecond;
  const cell = (x: number | undefined, digits = 0) => (x === undefined ? '—' : x.toFixed(digits));
  console.log(
    `${fixture.name.padEnd(12)}  ${String(card.parameters).padStart(10)}  ${cell(onnxRate).padStart(10)}  ${cell(llamaRate).padStart(15)}  ${(typeof torch === 'string' ? torch : cell(torchRate)).padStart(11)}  ${cell(torchRate && onnxRate / torchRate, 2).padStart(10)}  ${cell(torchRate && llamaRate / torchRate, 2).padStart(15)}`,
  );
}

const text = readFileSync(`${repositoryRoot}examples/corpora/alice29.txt`, 'utf8').slice(0, codeBytes);
const bytes = lmFixture('alice-bytes', 400);
for (const [name, make] of [
  ['onnx', () => createOnnxBackend({ model: bytes.onnx }, '/')],
  ['llama-cpp', () => createLlamaCppBackend({ model: bytes.gguf }, '/')],
] as const) {
  const backend = await make();
  const start = performance.now();
  const coded = await compressText(text, backend);
  const encode = (performance.now() - start) / 1000;
  const middle = performance.now();
  if ((await decompressText(coded.container, backend)) !== text) throw new Error(`${name}: the round trip failed`);
  const decode = (performance.now() - middle) / 1000;
  await backend.close();
  console.log(
    `coding alice29[0, ${codeBytes}) with ${name}: ${coded.payloadBytes} bytes (ideal ${(coded.idealBits / 8).toFixed(1)}, ${((8 * coded.payloadBytes) / codeBytes).toFixed(3)} bits/byte), encode ${(codeBytes / encode).toFixed(0)} bytes/s, decode ${(codeBytes / decode).toFixed(0)} bytes/s`,
  );
}
