/**
 * The `llm` predictor stage against a backend with a fixed latency per call (in process: a timer, no network),
 * through the whole runner (syntax-knowledge → slot-word → llm → ideal coder). With `concurrency` calls in
 * flight and `latency` seconds per call, no scheduler can make more than concurrency / latency calls per second:
 * the printed ratio is the stage's throughput against that ideal (goal ≥ 0.9). A second pass with zero latency
 * gives the runner's and the stage's own cost per scored token (tokenizing, windows, alignment, records).
 *
 *   npx tsx tools/bench/src/llm-stage.bench.ts [--documents 4000] [--latency 50] [--concurrency 16] [--batch 8] [--repeats 3]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSpec, runLoadedSpec } from '@kolmo/core';
import { builtinPlugins } from '@kolmo/cli';
import { UnigramBackend } from '@kolmo/llm/testing';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const documents = Number(args.get('documents') ?? 4000);
const latency = Number(args.get('latency') ?? 50);
const concurrency = Number(args.get('concurrency') ?? 16);
const batch = Number(args.get('batch') ?? 8);
const repeats = Number(args.get('repeats') ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function run(latencyMs: number): Promise<{ seconds: number; cpuSeconds: number; calls: number; tokens: number; backendTokens: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'kolmo-llm-bench-'));
  try {
    const specFile = join(dir, 'bench.yaml');
    writeFileSync(
      specFile,
      `
plugins: ['@kolmo/llm/testing']
seed: 1
pipeline:
  generator: { type: syntax-knowledge, documents: ${documents}, batchDocuments: 256 }
  tokenizer: { type: slot-word }
  predictors:
    - { type: llm, backend: { type: unigram-test, latencyMs: ${latencyMs}, maxBatchSize: ${batch}, maxContextTokens: 1024 }, concurrency: ${concurrency}, batchesInFlight: 8 }
  coder: { type: ideal }
`,
    );
    const loaded = await loadSpec({ specFile, builtins: builtinPlugins });
    const cpu = process.cpuUsage();
    const result = await runLoadedSpec(loaded, { outDir: join(dir, 'out'), cacheDir: false });
    const used = process.cpuUsage(cpu);
    // The streaming phase only: building the source and the tokenizer is not the stage's work.
    const seconds = result.runs[0].result.seconds.stream;
    const backend = UnigramBackend.last!;
    const backendTokens = backend.requests.reduce((n, r) => n + r.ids.length - r.scoreFrom, 0);
    return { seconds, cpuSeconds: (used.user + used.system) / 1e6, calls: backend.calls, tokens: result.runs[0].result.tokens, backendTokens };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`llm stage: ${documents} documents, ${batch} texts per call, ${concurrency} calls in flight, ${latency} ms per call; ${repeats} repeats`);
console.log(`(load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}: on a busy machine timers fire late and the ratio suffers)`);
const ratios: number[] = [];
const overheads: number[] = [];
for (let r = 0; r < repeats; r++) {
  const slow = await run(latency);
  const callsPerSecond = slow.calls / slow.seconds;
  const ideal = concurrency / (latency / 1000);
  ratios.push(callsPerSecond / ideal);
  const fast = await run(0);
  // CPU time of the whole process (generator, tokenizer, runner, stage, backend stand-in) per scored token: robust to load.
  overheads.push((fast.cpuSeconds / fast.backendTokens) * 1e6);
  console.log(
    `  repeat ${r + 1}: ${slow.calls} calls in ${slow.seconds.toFixed(2)} s = ${callsPerSecond.toFixed(1)} calls/s (ideal ${ideal.toFixed(0)}), ratio ${(callsPerSecond / ideal).toFixed(3)}; ` +
      `${(slow.backendTokens / slow.seconds).toFixed(0)} backend tokens/s; zero latency: ${fast.seconds.toFixed(2)} s wall, ${((fast.cpuSeconds / fast.backendTokens) * 1e6).toFixed(2)} µs CPU per scored token`,
  );
}
console.log(`throughput / ideal: median ${median(ratios).toFixed(3)} (min ${Math.min(...ratios).toFixed(3)}, max ${Math.max(...ratios).toFixed(3)}); goal ≥ 0.9`);
console.log(`overhead per scored token (zero latency, CPU of the whole pipeline incl. generator and tokenizer): median ${median(overheads).toFixed(2)} µs`);
