/**
 * Syntax-knowledge generation + slot-word tokenization throughput on one core (goal ≥ 5 M tokens/s).
 * Each repeat builds a fresh source (default settings: Pitman–Yor(0.5, 1), 5 attributes, T = 4, 2^20 atoms of G
 * up front — timed apart as setup) and streams its documents through the slot-word tokenizer in batches of
 * 1024, as the runner does, with and without the tokenizer's check of every piece against the text (which
 * also flattens V8's concatenated strings, a cost any text sink pays anyway). Prints medians over repeats of
 * wall-clock and of this process's CPU time (the CPU figure is the one to trust on a shared, busy machine).
 *
 *   npx tsx --conditions=@kolmo/source tools/bench/src/generator.bench.ts [--documents 1e6] [--repeats 5] [--mode single-attribute|all-attributes|both]
 */
import { createSyntaxKnowledgeSource, type DocumentMode, SlotWordTokenizer } from '@kolmo/syntax-knowledge';
import { availableParallelism, loadavg } from 'node:os';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const documents = Number(args.get('documents') ?? 1e6);
const repeats = Number(args.get('repeats') ?? 5);
const modeArg = args.get('mode') ?? 'both';
const modes: DocumentMode[] = modeArg === 'both' ? ['single-attribute', 'all-attributes'] : [modeArg as DocumentMode];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};

console.log(`syntax-knowledge generator + slot-word tokenizer, one core, ${repeats} repeats, node ${process.version}`);
console.log(`machine: ${availableParallelism()} cores, load average ${loadavg()[0].toFixed(1)} at start`);
console.log('mode               verify  documents  tokens     setup s  gen s   tok s   M tok/s wall  M tok/s cpu  ns/token cpu');
for (const mode of modes) {
  for (const verify of [true, false]) {
    const wallRates: number[] = [];
    const cpuRates: number[] = [];
    const split = { setup: [] as number[], gen: [] as number[], tok: [] as number[] };
    let tokens = 0;
    // All-attributes documents are five sentences: a fifth as many documents keeps the token count alike.
    const docs = mode === 'all-attributes' ? Math.round(documents / 5) : documents;
    for (let r = 0; r < repeats; r++) {
      const started = performance.now();
      const source = createSyntaxKnowledgeSource({ seed: r + 1, documents: docs, mode });
      const tokenizer = new SlotWordTokenizer(source, { verify });
      split.setup.push((performance.now() - started) / 1000);
      let gen = 0;
      let tok = 0;
      tokens = 0;
      const cpu = process.cpuUsage();
      while (source.documents < docs) {
        const a = performance.now();
        const batch = source.nextBatch(1024);
        const b = performance.now();
        tokens += tokenizer.tokenize(batch).length;
        tok += performance.now() - b;
        gen += b - a;
      }
      const cpuUsed = cpuSeconds(cpu);
      split.gen.push(gen / 1000);
      split.tok.push(tok / 1000);
      wallRates.push(tokens / ((gen + tok) / 1000));
      cpuRates.push(tokens / cpuUsed);
    }
    console.log(
      `${mode.padEnd(19)}${String(verify).padEnd(8)}${String(docs).padEnd(11)}${String(tokens).padEnd(11)}` +
        `${median(split.setup).toFixed(2).padEnd(9)}${median(split.gen).toFixed(2).padEnd(8)}${median(split.tok).toFixed(2).padEnd(8)}` +
        `${(median(wallRates) / 1e6).toFixed(2).padEnd(14)}${(median(cpuRates) / 1e6).toFixed(2).padEnd(13)}${(1e9 / median(cpuRates)).toFixed(1)}`,
    );
  }
}
