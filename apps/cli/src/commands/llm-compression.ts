import { readFile } from 'node:fs/promises';
import { openContainer } from '@kolmo/coder';
import { KolmoError, Rng, writeFileAtomic, type StageContext, type StageDescriptor, type StageRegistry } from '@kolmo/core';
import { compressText, decompressText, isCodingBackend, type CodingBackend } from '@kolmo/llm-inproc';

/**
 * `kolmo compress -m onnx|llama-cpp --parameters '{"model": …}'`: a text coded with an in-process language model
 * (an `llm-backend` type with full distributions) through `compressText`. The container also records the
 * backend's type and config, so `kolmo decompress` rebuilds it (or takes `--parameters` to point at the model
 * file elsewhere); decoding refuses a model file with another SHA-256.
 */
export function isLlmBackendType(registry: StageRegistry, type: string): boolean {
  return registry.get('llm-backend', type) !== undefined;
}

async function codingBackend(registry: StageRegistry, type: string, parameters: unknown): Promise<CodingBackend> {
  const contribution = registry.get('llm-backend', type);
  if (!contribution) throw new KolmoError('usage', `unknown llm-backend "${type}"; known: ${registry.types('llm-backend').join(', ') || 'none (load a plugin with --plugin)'}`);
  const descriptor = contribution.descriptor as StageDescriptor<'llm-backend'>;
  const parsed = descriptor.config.safeParse(parameters ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(parameters)'}: ${issue.message}`);
    throw new KolmoError('invalidSpec', `model ${type}: invalid parameters: ${problems.join('; ')}`, { details: problems });
  }
  const backend = await descriptor.create(parsed.data, cliContext(type));
  if (!isCodingBackend(backend)) {
    await backend.close?.();
    throw new KolmoError('usage', `model ${type}: this backend gives no full next-token distributions, so it cannot drive the range coder`);
  }
  return backend;
}

export async function compressFileWithLlm(
  registry: StageRegistry,
  type: string,
  parameters: unknown,
  input: string,
  output: string,
  options: { precision: number; onProgress?: (done: number, total: number) => void },
) {
  const bytes = await readFile(input).catch((error: Error) => {
    throw new KolmoError('input', `cannot read ${input}: ${error.message}`, { cause: error });
  });
  const text = bytes.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(bytes)) throw new KolmoError('input', `${input}: not valid UTF-8 text; a language model codes text`);
  const backend = await codingBackend(registry, type, parameters);
  try {
    const coded = await compressText(text, backend, { precision: options.precision, onProgress: options.onProgress, record: { backendType: type, backendConfig: parameters ?? {} } });
    await writeFileAtomic(output, coded.container);
    return { model: type, inputBytes: bytes.length, outputBytes: coded.container.length, idealBits: coded.idealBits, tokens: coded.tokens };
  } finally {
    await backend.close?.();
  }
}

/** Whether a container was coded by a language model (`compressFileWithLlm`). */
export async function llmContainer(input: string): Promise<{ container: Uint8Array; type: string; config: unknown } | undefined> {
  const container = await readFile(input).catch((error: Error) => {
    throw new KolmoError('input', `cannot read ${input}: ${error.message}`, { cause: error });
  });
  const { header } = openContainer(container, input);
  if (header.model !== 'llm') return undefined;
  return { container, type: String(header.parameters.backendType), config: header.parameters.backendConfig };
}

export async function decompressFileWithLlm(
  registry: StageRegistry,
  coded: { container: Uint8Array; type: string; config: unknown },
  parameters: unknown,
  input: string,
  output: string,
  onProgress?: (done: number, total: number) => void,
) {
  const backend = await codingBackend(registry, coded.type, parameters ?? coded.config);
  try {
    const text = await decompressText(coded.container, backend, { label: input, onProgress });
    const bytes = Buffer.from(text, 'utf8');
    await writeFileAtomic(output, bytes);
    return { model: coded.type, inputBytes: coded.container.length, outputBytes: bytes.length };
  } finally {
    await backend.close?.();
  }
}

function cliContext(type: string): StageContext {
  const here = process.cwd();
  return {
    runDir: here,
    specDir: here,
    point: {},
    seed: 0,
    rng: (stream) => new Rng(0, `llm-compression/${type}/${stream}`),
    signal: new AbortController().signal,
    log: { info: () => undefined, warn: () => undefined },
    create: () => Promise.reject(new KolmoError('invalidSpec', `model ${type}: nested components are not supported when compressing`)),
    upstream: {},
  };
}
