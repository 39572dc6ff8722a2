/**
 * Throughput of the Bayes-optimal syntax-knowledge predictor through the ideal coder (goal ≥ 20 M tokens/s):
 * only the coding loop is timed (predictor.score per token batch, as the runner calls it through the coder);
 * the corpus is generated and tokenized once beforehand (default settings: Pitman–Yor(0.5, 1), 5 attributes,
 * T = 4). Each repeat codes the same batches with a fresh predictor; prints median and best over repeats, wall
 * and CPU, in tokens/s and documents/s, with the oracle and the other syntax-knowledge predictors for scale.
 *
 *   npx tsx --conditions=@kolmo/source tools/bench/src/bayes-optimal.bench.ts [--documents 5e5] [--repeats 5] [--batch 1024] [--mode single-attribute|all-attributes|both]
 */
import { cpus, loadavg } from 'node:os';
import { idealCoder } from '@kolmo/coder';
import type { Predictor, ScoredBatch, StageContext, TokenBatch } from '@kolmo/core';
import { createSyntaxKnowledgeSource, type DocumentMode, type SyntaxKnowledgeSource, BayesOptimalPredictor, CapacityLimitedPredictor, MemoryBoundedPredictor, OraclePredictor, SlotWordTokenizer } from '@kolmo/syntax-knowledge';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const documents = Number(args.get('documents') ?? 5e5);
const repeats = Number(args.get('repeats') ?? 5);
const batchDocuments = Number(args.get('batch') ?? 1024);
const modeArg = args.get('mode') ?? 'both';
const modes: DocumentMode[] = modeArg === 'both' ? ['single-attribute', 'all-attributes'] : [modeArg as DocumentMode];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const coder = await idealCoder.create({}, {} as StageContext);

const contenders: { name: string; make: (source: SyntaxKnowledgeSource) => Predictor }[] = [
  { name: 'bayes-optimal', make: (source) => new BayesOptimalPredictor(source) },
  { name: 'oracle', make: (source) => new OraclePredictor(source) },
  { name: 'capacity-limited', make: (source) => new CapacityLimitedPredictor(source, { capacityBits: 1e6, parameterBits: 16 }) },
  { name: 'memory-bounded M=1e4 decay=1e-4', make: (source) => new MemoryBoundedPredictor(source, { memory: 1e4, decay: 1e-4, discount: 0.5, concentration: 1 }) },
];

console.log(`syntax-knowledge predictors through the ideal coder, one core, median of ${repeats}, batches of ${batchDocuments} documents`);
console.log(`(load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} CPUs: wall figures suffer when the machine is busy)`);
console.log('mode              predictor                          documents  tokens     M tokens/s wall (median, best)  M tokens/s cpu  M docs/s  bits/doc');
for (const mode of modes) {
  const docs = mode === 'all-attributes' ? Math.round(documents / 5) : documents;
  const source = createSyntaxKnowledgeSource({ seed: 1, documents: docs, mode });
  const tokenizer = new SlotWordTokenizer(source, { verify: false });
  const batches: TokenBatch[] = [];
  let tokens = 0;
  while (source.documents < docs) {
    const batch = tokenizer.tokenize(source.nextBatch(batchDocuments));
    batches.push(batch);
    tokens += batch.length;
  }
  for (const { name, make } of contenders) {
    const wall: number[] = [];
    const cpu: number[] = [];
    let bits = 0;
    for (let r = 0; r < repeats; r++) {
      const predictor = make(source);
      const session = coder.open(name, predictor);
      let total = 0;
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      for (const batch of batches) {
        const scored = (session.code(batch) as ScoredBatch).bits; // synchronous predictors: a batch, not a Promise
        total += scored[0]; // keep the result alive
      }
      const seconds = (performance.now() - start) / 1000;
      const cpuSeconds = (process.cpuUsage(cpuStart).user + process.cpuUsage(cpuStart).system) / 1e6;
      wall.push(tokens / seconds);
      cpu.push(tokens / cpuSeconds);
      if (r === 0) {
        bits = 0;
        const again = make(source);
        for (const batch of batches) for (const b of again.score(batch) as Float64Array) bits += b;
      }
      if (!Number.isFinite(total)) throw new Error('non-finite bits');
    }
    console.log(
      `${mode.padEnd(18)}${name.padEnd(35)}${String(docs).padEnd(11)}${String(tokens).padEnd(11)}` +
        `${(median(wall) / 1e6).toFixed(1).padStart(6)}, ${(Math.max(...wall) / 1e6).toFixed(1).padEnd(26)}` +
        `${(median(cpu) / 1e6).toFixed(1).padEnd(16)}${((median(wall) * docs) / tokens / 1e6).toFixed(2).padEnd(10)}${(bits / docs).toFixed(3)}`,
    );
  }
}
