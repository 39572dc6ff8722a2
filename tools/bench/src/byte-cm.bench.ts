/**
 * byte-cm on real text: bits per byte (ideal Σ −log2 q, and the real range-coded size) and throughput of
 * scoring, encoding and decoding, on alice29.txt and asyoulik.txt, beside the system's gzip -9, bzip2 -9,
 * xz -9e and zstd -19 measured in the same run (a tool that is missing is skipped and said so).
 *
 *   npx tsx --conditions=@kolmo/source tools/bench/src/byte-cm.bench.ts [--repeats 3] [--memory 24] [--orders 1,2,3,4,5,6] [--words true] [--match 8] [--corpora DIR]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RangeDecoder, RangeEncoder } from '@kolmo/entropy-coding';
import type { TokenBatch } from '@kolmo/core';
import { ByteCmPredictor, byteCmPredictorConfig } from '@kolmo/predictor';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const repeats = Number(args.get('repeats') ?? 3);
const options = byteCmPredictorConfig.parse({
  ...(args.has('memory') ? { memory: Number(args.get('memory')) } : {}),
  ...(args.has('orders') ? { orders: args.get('orders')!.split(',').map(Number) } : {}),
  ...(args.has('words') ? { words: args.get('words') === 'true' } : {}),
  ...(args.has('match') ? { matchMinLength: Number(args.get('match')) } : {}),
});

/** The corpora: --corpora if given, else the repository's examples. */
const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
const corpusFolders = args.has('corpora') ? [args.get('corpora')!] : [`${repositoryRoot}examples/corpora`];
function corpus(name: string): string | undefined {
  return corpusFolders.map((folder) => `${folder}/${name}`).find((path) => existsSync(path));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Seconds of CPU time (this process, all threads) of each timed run, beside the wall clock: on shared CPUs it varies far less. */
const cpuSeconds: Record<'score' | 'encode' | 'decode', number[]> = { score: [], encode: [], decode: [] };

function seconds(run: () => void, phase?: keyof typeof cpuSeconds): number {
  const start = performance.now();
  const cpu = process.cpuUsage();
  run();
  const used = process.cpuUsage(cpu);
  if (phase) cpuSeconds[phase].push((used.user + used.system) / 1e6);
  return (performance.now() - start) / 1000;
}

interface Figures {
  idealBits: number;
  codedBytes: number;
  score: number;
  encode: number;
  decode: number;
}

function measureByteCm(data: Uint8Array): Figures {
  const batch = { length: data.length, ids: Int32Array.from(data) } as TokenBatch;
  const score: number[] = [];
  const encode: number[] = [];
  const decode: number[] = [];
  for (const phase of Object.values(cpuSeconds)) phase.length = 0;
  let idealBits = 0;
  let codedBytes = 0;
  for (let r = 0; r < repeats; r++) {
    const predictor = new ByteCmPredictor(options);
    let bits: Float64Array | undefined;
    score.push(seconds(() => (bits = predictor.score(batch)), 'score'));
    idealBits = bits!.reduce((a, b) => a + b, 0);

    let stream: Uint8Array = new Uint8Array(0);
    encode.push(
      seconds(() => {
        const codec = new ByteCmPredictor(options).codec();
        const encoder = new RangeEncoder(data.length);
        for (let i = 0; i < data.length; i++) codec.encode(data[i], encoder);
        stream = encoder.finish();
      }, 'encode'),
    );
    codedBytes = stream.length;
    decode.push(
      seconds(() => {
        const codec = new ByteCmPredictor(options).codec();
        const decoder = new RangeDecoder(stream);
        for (let i = 0; i < data.length; i++) {
          if (codec.decode(decoder) !== data[i]) throw new Error(`byte-cm round trip failed at byte ${i}`);
        }
        decoder.finish();
      }, 'decode'),
    );
  }
  return { idealBits, codedBytes, score: median(score), encode: median(encode), decode: median(decode) };
}

const tools: { name: string; command: string; args: string[] }[] = [
  { name: 'gzip -9', command: 'gzip', args: ['-9', '-c'] },
  { name: 'bzip2 -9', command: 'bzip2', args: ['-9', '-c'] },
  { name: 'xz -9e', command: 'xz', args: ['-9e', '-c', '--format=xz'] },
  { name: 'zstd -19', command: 'zstd', args: ['-19', '-c', '-q'] },
];

/** Compressed size in bytes from the system tool, or a reason it could not be measured. */
function toolSize(tool: (typeof tools)[number], data: Uint8Array): number | string {
  const result = spawnSync(tool.command, tool.args, { input: data, maxBuffer: 64 * data.length + (1 << 20) });
  if (result.error) return (result.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing (skipped)' : `failed: ${result.error.message}`;
  if (result.status !== 0) return `failed: exit ${result.status}`;
  return result.stdout.length;
}

const bpb = (bytes: number, length: number) => ((8 * bytes) / length).toFixed(3);

console.log(`byte-cm benchmark (Node ${process.version}), medians of ${repeats} repeats; config ${JSON.stringify(options)}`);
console.log(`  machine: ${availableParallelism()} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (throughput drops when the CPUs are shared)`);
console.log('  ideal = Σ −log2 q (score); coded = range-coded bytes; MB/s = original bytes per second (fresh model each run, allocation included)');
for (const name of ['alice29.txt', 'asyoulik.txt']) {
  const path = corpus(name);
  if (!path) {
    console.log(`${name}: not found (looked in ${corpusFolders.join(', ')}), skipped`);
    continue;
  }
  const data = readFileSync(path);
  const figures = measureByteCm(data);
  const mb = data.length / 1e6;
  console.log(`\n${basename(path)} (${data.length} bytes)`);
  console.log(
    `  byte-cm   ideal ${(figures.idealBits / data.length).toFixed(4)} bpb, coded ${figures.codedBytes} bytes = ${bpb(figures.codedBytes, data.length)} bpb` +
      ` (${(figures.codedBytes - figures.idealBits / 8).toFixed(2)} bytes over ideal)`,
  );
  console.log(
    `  byte-cm   score ${(mb / figures.score).toFixed(3)} MB/s, encode ${(mb / figures.encode).toFixed(3)} MB/s, decode ${(mb / figures.decode).toFixed(3)} MB/s`,
  );
  // per CPU second: the median, and the range over the repeats (the fastest run is the least disturbed)
  const perCpu = (phase: keyof typeof cpuSeconds) => {
    const rates = cpuSeconds[phase].map((s) => mb / s);
    return `${(mb / median(cpuSeconds[phase])).toFixed(3)} (${Math.min(...rates).toFixed(3)}–${Math.max(...rates).toFixed(3)})`;
  };
  console.log(`  byte-cm   per CPU second: score ${perCpu('score')}, encode ${perCpu('encode')}, decode ${perCpu('decode')} MB/s`);
  for (const tool of tools) {
    const size = toolSize(tool, data);
    console.log(`  ${tool.name.padEnd(9)} ${typeof size === 'number' ? `${size} bytes = ${bpb(size, data.length)} bpb` : size}`);
  }
}
