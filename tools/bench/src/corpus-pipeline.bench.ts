/**
 * The Syntax-Knowledge corpus through the whole runner: generation + slot-word tokenization, with no sink and
 * with the Arrow IPC sink (one row per token), as `kolmo run` executes it. Prints tokens/s (wall and CPU time)
 * (stream wall time; the source's setup — drawing the head of G — is reported apart) and peak RSS per
 * configuration, each in a fresh process, median over repeats.
 *
 *   npx tsx --conditions=@kolmo/source tools/bench/src/corpus-pipeline.bench.ts [--documents 1e6] [--repeats 3]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);

const sinks: Record<string, string> = {
  'no sink': '[]',
  'arrow-ipc tokens': '[{ type: arrow-ipc, records: tokens, format: stream }]',
  'arrow-ipc documents': '[{ type: arrow-ipc, records: documents, format: file }]',
};

if (args.has('child')) await child(args.get('child')!, Number(args.get('documents')));
else parent();

function parent(): void {
  const documents = Number(args.get('documents') ?? 1e6);
  const repeats = Number(args.get('repeats') ?? 3);
  console.log(`SK corpus through the runner: ${documents.toExponential(0)} documents, ${repeats} repeats, load average ${loadavg()[0].toFixed(1)}`);
  console.log('sink                  tokens      M tok/s (median, min-max)       setup s   peak RSS MB');
  for (const name of Object.keys(sinks)) {
    const results = Array.from({ length: repeats }, () =>
      JSON.parse(
        execFileSync(process.execPath, ['--conditions=@kolmo/source', '--import', 'tsx', import.meta.filename, '--child', name, '--documents', String(documents)], { encoding: 'utf8' })
          .trim()
          .split('\n')
          .pop()!,
      ) as { tokens: number; wall: number; setup: number; rss: number },
    );
    const rates = results.map((r) => r.tokens / r.wall / 1e6).sort((a, b) => a - b);
    const setup = results.map((r) => r.setup).sort((a, b) => a - b);
    console.log(
      `${name.padEnd(22)}${String(results[0].tokens).padEnd(12)}${rates[rates.length >> 1].toFixed(2)} (${rates[0].toFixed(2)}-${rates[rates.length - 1].toFixed(2)})`.padEnd(67) +
        `${setup[setup.length >> 1].toFixed(2)}`.padEnd(10) +
        Math.max(...results.map((r) => r.rss)).toFixed(0),
    );
  }
}

async function child(sink: string, documents: number): Promise<void> {
  const { loadSpec, runLoadedSpec } = await import('@kolmo/core');
  const { builtinPlugins } = await import('@kolmo/cli');
  const dir = mkdtempSync(join(tmpdir(), 'kolmo-bench-'));
  try {
    const specFile = join(dir, 'corpus.yaml');
    writeFileSync(
      specFile,
      `pipeline:
  generator: { type: syntax-knowledge, documents: ${documents}, batchDocuments: 4096 }
  tokenizer: { type: slot-word, verify: false }
  sinks: ${sinks[sink]}
`,
    );
    const loaded = await loadSpec({ specFile, builtins: builtinPlugins });
    const result = await runLoadedSpec(loaded, { outDir: join(dir, 'out') });
    const run = result.runs[0].result;
    console.log(JSON.stringify({ tokens: run.tokens, wall: run.seconds.stream, setup: run.seconds.build, rss: process.resourceUsage().maxRSS / 1024 }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
