/**
 * Runner overhead and memory: streams N tokens from a synthetic source through bytes tokenizer →
 * adaptive-bytes predictor → ideal coder → Arrow IPC sink, once through the kolmo runner (RxJS, pull-driven,
 * plugins, manifest) and once as a plain loop calling the same stage objects, each in a fresh process so
 * peak RSS is its own. Prints throughput, peak RSS and the runner/plain time ratio (goal ≤ 1.15).
 *
 *   npx tsx --conditions=@kolmo/source tools/bench/src/runner.bench.ts [--tokens 1e8] [--sizes 1e7,1e8] [--repeats 3]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);

if (args.has('child')) await child(args.get('child') as 'runner' | 'plain', Number(args.get('tokens')), args.get('out')!);
else parent();

function parent(): void {
  const sizes = (args.get('sizes') ?? '1e7,1e8').split(',').map(Number);
  const repeats = Number(args.get('repeats') ?? 3);
  console.log(`runner benchmark: bytes → adaptive-bytes → ideal → arrow-ipc sink; ${repeats} repeats, alternating modes`);
  console.log('tokens      mode    median s   min s     M tokens/s  peak RSS MB');
  for (const tokens of sizes) {
    const times: Record<string, number[]> = { runner: [], plain: [] };
    const rss: Record<string, number[]> = { runner: [], plain: [] };
    for (let r = 0; r < repeats; r++) {
      for (const mode of ['plain', 'runner']) {
        const out = mkdtempSync(join(tmpdir(), 'kolmo-bench-'));
        try {
          const text = execFileSync(process.execPath, ['--conditions=@kolmo/source', '--import', 'tsx', import.meta.filename, '--child', mode, '--tokens', String(tokens), '--out', out], {
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'inherit'],
          });
          const result = JSON.parse(text.trim().split('\n').pop()!) as { seconds: number; rssMB: number };
          times[mode].push(result.seconds);
          rss[mode].push(result.rssMB);
        } finally {
          rmSync(out, { recursive: true, force: true });
        }
      }
    }
    for (const mode of ['plain', 'runner']) {
      const m = median(times[mode]);
      console.log(
        `${tokens.toExponential(0).padEnd(12)}${mode.padEnd(8)}${m.toFixed(2).padEnd(11)}${Math.min(...times[mode]).toFixed(2).padEnd(10)}` +
          `${(tokens / m / 1e6).toFixed(2).padEnd(12)}${Math.max(...rss[mode]).toFixed(0)}`,
      );
    }
    const ratios = times.runner.map((t, i) => t / times.plain[i]);
    console.log(`  runner/plain time ratio: median ${median(ratios).toFixed(3)} (per repeat: ${ratios.map((x) => x.toFixed(3)).join(', ')})`);
  }
}

async function child(mode: 'runner' | 'plain', tokens: number, out: string): Promise<void> {
  const { loadSpec, runLoadedSpec, RunContext, validateRuns, parseSpecText, validateEnvelope } = await import('@kolmo/core');
  const { builtinPlugins } = await import('@kolmo/cli');
  const docBytes = 4096;
  const documents = Math.ceil(tokens / docBytes);
  const spec = `
plugins: [${join(import.meta.dirname, 'synthetic-source.ts')}, '@kolmo/plugin-sink-arrow']
pipeline:
  generator: { type: synthetic-text, documents: ${documents}, documentBytes: ${docBytes} }
  tokenizer: { type: bytes }
  predictors: [{ type: adaptive-bytes }]
  coder: { type: ideal }
  sinks: [{ type: arrow-ipc, path: tokens.arrow }]
`;
  const specFile = join(out, 'bench.yaml');
  writeFileSync(specFile, spec);
  const started = performance.now();
  if (mode === 'runner') {
    const loaded = await loadSpec({ specFile, builtins: builtinPlugins });
    await runLoadedSpec(loaded, { outDir: join(out, 'run') });
  } else {
    // The same stage objects, called in a plain loop: no RxJS, no pull source, no manifest.
    const loaded = await loadSpec({ specFile, builtins: builtinPlugins });
    const source = parseSpecText(spec, specFile);
    const [run] = validateRuns(source, validateEnvelope(source), loaded.registry);
    const context = new RunContext({ registry: loaded.registry, runDir: out, specDir: out, point: {}, seed: 0, signal: new AbortController().signal, log: { info() {}, warn() {} } });
    const generator = await context.build({ ...run.generator, kind: 'generator' });
    context.upstream.generator = generator;
    const tokenizer = await context.build({ ...run.tokenizer, kind: 'tokenizer' });
    context.upstream.tokenizer = tokenizer;
    const predictor = await context.build({ ...run.predictors[0], kind: 'predictor' });
    const coder = await context.build({ ...run.coder, kind: 'coder' });
    const sink = await context.build({ ...run.sinks[0], kind: 'sink' });
    const session = coder.open('adaptive-bytes', predictor);
    await sink.open?.({ predictors: ['adaptive-bytes'] });
    const iterator = generator.batches() as Iterator<import('@kolmo/core').DocumentBatch>;
    let total = 0;
    for (let next = iterator.next(); !next.done; next = iterator.next()) {
      const tokensBatch = tokenizer.tokenize(next.value);
      const scored = await session.code(tokensBatch);
      for (let i = 0; i < scored.bits.length; i++) total += scored.bits[i];
      await sink.write({ documents: next.value, tokens: tokensBatch, scored: [scored] });
    }
    await sink.close();
    if (!(total > 0)) throw new Error('no bits');
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(JSON.stringify({ seconds, rssMB: process.resourceUsage().maxRSS / 1024 }));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
