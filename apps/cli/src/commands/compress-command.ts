import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ByteModelRegistry, compressFile, decompressFile, type ProgressCallback } from '@kolmo/coder';
import { KolmoError, loadPlugins, type StageRegistry } from '@kolmo/core';
import { compressFileWithLlm, decompressFileWithLlm, isLlmBackendType, llmContainer } from './llm-compression.ts';
import { builtinPlugins } from '../builtins.ts';
import { formatCount } from '../progress-display.ts';

async function byteModels(plugins: readonly string[]): Promise<ByteModelRegistry & { readonly stages: StageRegistry }> {
  const stages = await loadPlugins([...builtinPlugins, ...plugins.map((name) => ({ name, baseDir: process.cwd() }))]);
  return Object.assign(ByteModelRegistry.fromStages(stages), { stages });
}

function progressFor(enabled: boolean, label: string): { onProgress: ProgressCallback; display: { stop(): void } } {
  if (!enabled) return { onProgress: () => undefined, display: { stop: () => undefined } };
  const bar = new SingleBar({ format: `${label} {bar} {percentage}% | {done} of {all} bytes | {eta_formatted} left`, stream: process.stderr, hideCursor: true, clearOnComplete: true, barsize: 24, etaBuffer: 20 });
  let started = false;
  return {
    display: { stop: () => bar.stop() },
    onProgress: (done, total) => {
      const payload = { done: formatCount(done), all: formatCount(total) };
      if (!started) bar.start(Math.max(total, 1), done, payload);
      started = true;
      bar.update(done, payload);
    },
  };
}

/**
 * The files of a compress/decompress, checked before any work: the input is a regular file, the output is not
 * the input, not a folder, and is overwritten only with -f (never silently, never the input itself).
 */
function checkFiles(input: string, output: string, force: boolean | undefined): void {
  let stats;
  try {
    stats = statSync(input);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new KolmoError('input', `cannot read ${input}: ${code === 'ENOENT' ? 'ENOENT (no such file)' : (code ?? (error as Error).message)}`);
  }
  if (stats.isDirectory()) throw new KolmoError('input', `${input} is a folder; give a file`);
  if (!stats.isFile()) throw new KolmoError('input', `${input} is not a regular file (a pipe or device); save it to a file first`);
  if (resolve(output) === resolve(input)) throw new KolmoError('usage', `the output ${output} is the input itself; give another -o`);
  if (!existsSync(output)) return;
  const target = statSync(output);
  if (target.isDirectory()) throw new KolmoError('output', `the output ${output} is a folder; give a file name with -o`);
  if (target.ino === stats.ino && target.dev === stats.dev) throw new KolmoError('usage', `the output ${output} is the input itself; give another -o`);
  if (!force) throw new KolmoError('output', `${output} exists; use -f to overwrite it`);
}

/** `kolmo compress <file>`: real range coding with a predictor's codec, into a checksummed container. */
export function compressCommand(): Command {
  return new Command('compress')
    .description('compress a file with a predictor and the range coder (container with model id, parameters and SHA-256)')
    .argument('<file>', 'the file to compress')
    .option('-o, --output <file>', 'output file (default: <file>.kolmo)')
    .option('-m, --model <predictor>', 'predictor type to code with, or an in-process llm-backend (onnx, llama-cpp; with --plugin)', 'byte-cm')
    .option('--parameters <json>', 'the predictor\'s config as JSON, e.g. \'{"prior": 1}\'; for an llm-backend its config, e.g. \'{"model": "m.gguf"}\'')
    .addOption(new Option('-p, --precision <bits>', 'frequency precision P (totals 2^P)').default(24).argParser(wholeNumber('--precision')))
    .option('--plugin <name...>', 'extra plugins that contribute predictors')
    .option('-f, --force', 'overwrite the output file if it exists')
    .option('--json', 'print the summary as JSON')
    .action(async (file: string, options: { output?: string; model: string; parameters?: string; precision: number; plugin?: string[]; force?: boolean; json?: boolean }) => {
      const output = options.output ?? `${file}.kolmo`;
      checkFiles(file, output, options.force);
      const models = await byteModels(options.plugin ?? []);
      const useLlm = !models.get(options.model) && isLlmBackendType(models.stages, options.model);
      const model = useLlm ? undefined : models.require(options.model);
      const { display, onProgress } = progressFor(Boolean(process.stderr.isTTY) && !options.json, `compress ${basename(file)}`);
      const started = performance.now();
      const summary = await (useLlm
        ? compressFileWithLlm(models.stages, options.model, parseParameters(options.parameters), file, output, { precision: options.precision, onProgress }).then((s) => ({
            ...s,
            header: { model: s.model },
          }))
        : compressFile(file, output, { model: model!, parameters: parseParameters(options.parameters), precision: options.precision, onProgress })
      ).finally(() => display.stop());
      const seconds = (performance.now() - started) / 1000;
      const report = {
        input: file,
        output,
        model: summary.header.model,
        inputBytes: summary.inputBytes,
        outputBytes: summary.outputBytes,
        bitsPerByte: (8 * summary.outputBytes) / Math.max(summary.inputBytes, 1),
        idealBitsPerByte: summary.idealBits / Math.max(summary.inputBytes, 1),
        seconds,
        megabytesPerSecond: summary.inputBytes / 1e6 / Math.max(seconds, 1e-9),
      };
      if (options.json) process.stdout.write(`${JSON.stringify(report)}\n`);
      else
        process.stdout.write(
          `${file} → ${output}: ${report.inputBytes.toLocaleString('en')} → ${report.outputBytes.toLocaleString('en')} bytes, ` +
            `${report.bitsPerByte.toFixed(4)} bits/byte (ideal ${report.idealBitsPerByte.toFixed(4)}), model ${report.model}, ` +
            `${seconds.toFixed(2)} s, ${report.megabytesPerSecond.toFixed(2)} MB/s\n`,
        );
    });
}

/** `kolmo decompress <file>`: refuses a corrupted, truncated or mismatched container; writes atomically. */
export function decompressCommand(): Command {
  return new Command('decompress')
    .description('decompress a kolmo container; refuses corrupted, truncated or mismatched input and never writes wrong data')
    .argument('<file>', 'the container to decompress')
    .option('-o, --output <file>', 'output file (default: <file> without .kolmo)')
    .option('-m, --model <predictor>', 'refuse a container made with another model')
    .option('--parameters <json>', 'llm containers: the backend config to decode with instead of the recorded one (e.g. the model file elsewhere)')
    .option('--plugin <name...>', 'extra plugins that contribute predictors')
    .option('-f, --force', 'overwrite the output file if it exists')
    .option('--json', 'print the summary as JSON')
    .action(async (file: string, options: { output?: string; model?: string; parameters?: string; plugin?: string[]; force?: boolean; json?: boolean }) => {
      const output = options.output ?? (file.endsWith('.kolmo') ? file.slice(0, -'.kolmo'.length) : `${file}.out`);
      checkFiles(file, output, options.force);
      const models = await byteModels(options.plugin ?? []);
      const { display, onProgress } = progressFor(Boolean(process.stderr.isTTY) && !options.json, `decompress ${basename(file)}`);
      const started = performance.now();
      const coded = await llmContainer(file);
      if (coded && options.model !== undefined && options.model !== coded.type) {
        throw new KolmoError('input', `${file}: coded with model ${coded.type}, not ${options.model}`);
      }
      const summary = await (coded
        ? decompressFileWithLlm(models.stages, coded, parseParameters(options.parameters), file, output, onProgress).then((s) => ({ ...s, header: { model: s.model } }))
        : decompressFile(file, output, { models, expectedModel: options.model, onProgress })
      ).finally(() => display.stop());
      const seconds = (performance.now() - started) / 1000;
      const report = { input: file, output, model: summary.header.model, inputBytes: summary.inputBytes, outputBytes: summary.outputBytes, seconds };
      if (options.json) process.stdout.write(`${JSON.stringify(report)}\n`);
      else
        process.stdout.write(
          `${file} → ${output}: ${summary.outputBytes.toLocaleString('en')} bytes restored (checksum verified), model ${summary.header.model}, ` +
            `${seconds.toFixed(2)} s, ${(summary.outputBytes / 1e6 / Math.max(seconds, 1e-9)).toFixed(2)} MB/s\n`,
        );
    });
}

function wholeNumber(option: string): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${option} expects a whole number, got "${value}"`);
    return Number(value);
  };
}

function parseParameters(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new KolmoError('usage', `--parameters is not valid JSON: ${(error as Error).message}`);
  }
}
