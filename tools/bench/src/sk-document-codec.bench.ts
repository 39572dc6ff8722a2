/**
 * Real coding of syntax-knowledge corpora with the Bayes-optimal model (SkDocumentCodec through the range coder):
 * coded bytes against the predictor's ideal bits from `score`, and encode/decode throughput (median and best over
 * repeats, documents/s, wall and CPU). Each repeat encodes with a fresh codec and decodes from a source made with
 * another seed (the decoder shares only the settings), checking every text.
 *
 *   npx tsx --conditions=@kolmo/source tools/bench/src/sk-document-codec.bench.ts [--documents 2e5] [--repeats 3] [--batch 4096]
 */
import { cpus, loadavg } from 'node:os';
import type { DocumentBatch } from '@kolmo/core';
import { createSyntaxKnowledgeSource, PitmanYorPrior, type DocumentMode, type SyntaxKnowledgeSource, BayesOptimalPredictor, decodeSkDocuments, encodeSkDocuments, SlotWordTokenizer } from '@kolmo/syntax-knowledge';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const documents = Number(args.get('documents') ?? 2e5);
const repeats = Number(args.get('repeats') ?? 3);
const batchDocuments = Number(args.get('batch') ?? 4096);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cpuSecondsSince = (start: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
};

const settings: { label: string; mode: DocumentMode; prior: () => PitmanYorPrior }[] = [
  { label: 'PY(0.5, 1)', mode: 'single-attribute', prior: () => new PitmanYorPrior(0.5, 1) },
  { label: 'PY(0.5, 1)', mode: 'all-attributes', prior: () => new PitmanYorPrior(0.5, 1) },
  { label: 'PY(0.8, 10)', mode: 'single-attribute', prior: () => new PitmanYorPrior(0.8, 10) },
];

console.log(`SK document codec (Bayes-optimal, range coded, fixed tables at P = 24), ${repeats} repeats, batches of ${batchDocuments} documents`);
console.log(`(load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} CPUs: wall figures suffer when the machine is busy)`);
console.log('mode              prior        documents  elements  bytes       ideal bytes   excess bits  bytes/ideal  k docs/s encode (wall med, best; cpu)  k docs/s decode (wall med, best; cpu)');
for (const { label, mode, prior } of settings) {
  const source = createSyntaxKnowledgeSource({ seed: 1, documents, mode, prior: prior() });
  const tokenizer = new SlotWordTokenizer(source, { verify: false });
  const predictor = new BayesOptimalPredictor(source);
  const batches: DocumentBatch[] = [];
  let ideal = 0;
  while (source.documents < documents) {
    const batch = source.nextBatch(batchDocuments);
    batches.push(batch);
    for (const bits of predictor.score(tokenizer.tokenize(batch))) ideal += bits;
  }
  const structure: SyntaxKnowledgeSource = createSyntaxKnowledgeSource({ seed: 2, documents, mode, prior: prior() });
  const encodeWall: number[] = [];
  const encodeCpu: number[] = [];
  const decodeWall: number[] = [];
  const decodeCpu: number[] = [];
  let size = 0;
  for (let r = 0; r < repeats; r++) {
    let cpu = process.cpuUsage();
    let start = performance.now();
    const { bytes } = encodeSkDocuments(batches, source);
    encodeWall.push(documents / ((performance.now() - start) / 1000));
    encodeCpu.push(documents / cpuSecondsSince(cpu));
    size = bytes.length;
    cpu = process.cpuUsage();
    start = performance.now();
    const decoded = decodeSkDocuments(bytes, structure, { batchDocuments });
    decodeWall.push(documents / ((performance.now() - start) / 1000));
    decodeCpu.push(documents / cpuSecondsSince(cpu));
    const texts = decoded.flatMap((batch) => batch.text);
    const originals = batches.flatMap((batch) => batch.text);
    if (texts.length !== originals.length || texts.some((text, i) => text !== originals[i])) throw new Error(`${mode} ${label}: the decoded texts differ`);
  }
  const rate = (xs: number[]) => `${(median(xs) / 1e3).toFixed(0)}, ${(Math.max(...xs) / 1e3).toFixed(0)}`;
  console.log(
    `${mode.padEnd(18)}${label.padEnd(13)}${String(documents).padEnd(11)}${String(predictor.elements.size).padEnd(10)}${String(size).padEnd(12)}` +
      `${(ideal / 8).toFixed(1).padEnd(14)}${(size * 8 - ideal).toFixed(1).padEnd(13)}${(size / (ideal / 8)).toFixed(6).padEnd(13)}` +
      `${`${rate(encodeWall)}; ${(median(encodeCpu) / 1e3).toFixed(0)}`.padEnd(39)}${rate(decodeWall)}; ${(median(decodeCpu) / 1e3).toFixed(0)}`,
  );
}
