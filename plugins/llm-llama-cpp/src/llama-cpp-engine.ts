import { KolmoError } from '@kolmo/core';
import type { LogitsEngine } from '@kolmo/llm-inproc';
import { getLlama, LlamaLogLevel, type Llama, type LlamaContext, type LlamaContextSequence, type LlamaModel, type Token } from 'node-llama-cpp';

let llamaInstance: Promise<Llama> | undefined;

/** One llama.cpp runtime per process, CPU build, never built or downloaded at run time. */
export function cpuLlama(): Promise<Llama> {
  llamaInstance ??= getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error, progressLogs: false });
  return llamaInstance;
}

export interface LlamaCppEngineOptions {
  readonly contextTokens: number;
  readonly threads: number;
}

/**
 * A GGUF model in llama.cpp (node-llama-cpp), one context of `contextTokens` with one sequence. Each sequence
 * to score is evaluated from an empty history with `controlledEvaluate`, asking for the whole next-token
 * distribution after every position; the rows returned are ln p (a valid logit row: its log-softmax is itself).
 * Settings for exact, repeatable numbers (measured against torch to 1e-4): an F32 KV cache, no flash attention,
 * a fixed thread count (1 by default), and a context as long as the longest sequence (llama.cpp would shift a
 * longer one silently; the backend refuses it instead).
 */
export class LlamaCppEngine implements LogitsEngine {
  readonly vocabularySize: number;
  readonly model: LlamaModel;
  private readonly context: LlamaContext;
  private readonly sequence: LlamaContextSequence;

  private constructor(model: LlamaModel, context: LlamaContext) {
    this.model = model;
    this.context = context;
    this.sequence = context.getSequence();
    this.vocabularySize = vocabularySizeOf(model);
  }

  static async load(path: string, options: LlamaCppEngineOptions): Promise<LlamaCppEngine> {
    const llama = await cpuLlama();
    let model: LlamaModel;
    try {
      model = await llama.loadModel({ modelPath: path, gpuLayers: 0 });
    } catch (error) {
      throw new KolmoError('input', `${path}: llama.cpp cannot load this GGUF model (${(error as Error).message.split('\n')[0]})`, { cause: error });
    }
    try {
      const context = await model.createContext({
        contextSize: options.contextTokens,
        batchSize: options.contextTokens,
        sequences: 1,
        flashAttention: false,
        threads: { ideal: options.threads, min: options.threads },
        experimentalKvCacheKeyType: 'F32',
        experimentalKvCacheValueType: 'F32',
      });
      return new LlamaCppEngine(model, context);
    } catch (error) {
      await model.dispose();
      throw new KolmoError('input', `${path}: llama.cpp cannot make a context of ${options.contextTokens} tokens (${(error as Error).message.split('\n')[0]})`, { cause: error });
    }
  }

  async logits(sequences: readonly Int32Array[], signal?: AbortSignal, firstRows?: readonly number[]): Promise<readonly Float32Array[]> {
    const results: Float32Array[] = [];
    const V = this.vocabularySize;
    for (const [s, ids] of sequences.entries()) {
      const first = firstRows?.[s] ?? 0;
      signal?.throwIfAborted();
      await this.sequence.clearHistory();
      // Distributions only where they are read (each costs a softmax and a map of the whole vocabulary).
      const outputs = await this.sequence.controlledEvaluate(Array.from(ids, (id, i) => (i < first ? (id as Token) : [id as Token, { generateNext: { probabilities: true } }])));
      const rows = new Float32Array(ids.length * V).fill(-Infinity);
      outputs.forEach((output, i) => {
        if (i < first) return;
        const probabilities = output?.next.probabilities;
        if (!probabilities) throw new KolmoError('failed', `llama.cpp gave no distribution after position ${i}`);
        for (const [token, probability] of probabilities) rows[i * V + token] = Math.log(probability);
      });
      results.push(rows);
    }
    return results;
  }

  async close(): Promise<void> {
    await this.context.dispose();
    await this.model.dispose();
  }
}

/** The vocabulary's size from the GGUF metadata (the token list, or llama.cpp's vocab_size key). */
function vocabularySizeOf(model: LlamaModel): number {
  const metadata = model.fileInfo.metadata as { tokenizer?: { ggml?: { tokens?: readonly string[] } } } & Record<string, { vocab_size?: number } | undefined>;
  const size = metadata.tokenizer?.ggml?.tokens?.length ?? metadata[model.fileInfo.metadata.general.architecture]?.vocab_size;
  if (!size) throw new KolmoError('input', `${model.filename ?? 'the model'}: the GGUF file states no vocabulary (tokenizer.ggml.tokens)`);
  return size;
}
