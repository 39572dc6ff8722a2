import { createHash } from 'node:crypto';
import { cumulativeFrequencies, encodeContainer, openContainer, quantizeFrequencies, RangeDecoder, RangeEncoder } from '@kolmo/entropy-coding';
import { KolmoError, type LogProbBackend, type ScoreRequest } from '@kolmo/core';

/** What coding needs of a backend: full distributions and the text of ids (an `InProcessBackend` has both). */
export interface CodingBackend extends LogProbBackend {
  distributions(request: ScoreRequest, signal?: AbortSignal): Promise<Float32Array>;
  detokenize(ids: ArrayLike<number>): string;
}

/** Whether a backend can code: `distributions` and `detokenize`, with full distributions. */
export function isCodingBackend(backend: LogProbBackend): backend is CodingBackend {
  const candidate = backend as Partial<CodingBackend>;
  return backend.capabilities.distribution === 'full' && typeof candidate.distributions === 'function' && typeof candidate.detokenize === 'function';
}

/**
 * Real compression of a text with an in-process language model (theory §8): the model's full next-token
 * distribution at every position, quantized to integer frequencies (totals 2^P), drives the range coder.
 *
 * Backends are asynchronous while `SymbolCodec` is synchronous, so this codec owns its loop: each step awaits
 * the distribution, then codes one token. Encoder and decoder ask for exactly the same thing in the same order —
 * the distribution after the prefix so far, one prefix per engine call — so a deterministic backend (one
 * thread, fixed shapes) gives both the same floats and so the same integers; nothing relies on a batched or
 * cached evaluation matching a one-by-one one. The text is cut into windows of `maxContextTokens − 1` tokens,
 * each after the begin id, so no window exceeds the context. Cost: one forward pass per token, over at most a
 * context of tokens.
 *
 * The container (kolmo's, see @kolmo/entropy-coding) records the backend, the model file's SHA-256, the tokenizer and the
 * token count; decoding with a backend whose model file has another digest is refused before any work, and the
 * decoded text must match the container's SHA-256 of the original.
 */
export interface LlmCompression {
  readonly container: Uint8Array;
  /** Tokens coded. */
  readonly tokens: number;
  /** The model's ideal code length of the text, Σ −log2 q(token | window so far), in bits. */
  readonly idealBits: number;
  /** Bytes of range-coded payload (the container adds a header and a 44-byte trailer). */
  readonly payloadBytes: number;
}

export interface LlmCodingOptions {
  /** Frequencies total 2^precision; the quantization costs < −log2(1 − V/2^P) bits a token. Default 28. */
  readonly precision?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (tokens: number, total: number) => void;
  /** Extra JSON the container records (the CLI stores the backend's type and config, to rebuild it for decoding). */
  readonly record?: Record<string, unknown>;
}

const modelName = 'llm';

export async function compressText(text: string, backend: CodingBackend, options: LlmCodingOptions = {}): Promise<LlmCompression> {
  const precision = options.precision ?? 28;
  const { bos, window, size } = codingShape(backend);
  const [tokens] = await backend.tokenize([text], options.signal);
  const ids = tokens!.ids;
  if (backend.detokenize(ids) !== text) {
    throw new KolmoError('input', `${backend.identity.id}: the model's tokens of this text do not give it back, so it cannot be coded losslessly`);
  }
  const encoder = new RangeEncoder();
  const frequencies = new Float64Array(size);
  let idealBits = 0;
  await forEachPosition(backend, ids.length, bos, window, options, (t, row) => {
    const id = ids[t]!;
    idealBits -= row[id]! / Math.LN2;
    const cumulative = quantize(row, precision, frequencies);
    encoder.encode(cumulative[id]!, frequencies[id]!, precision);
    return id;
  });
  const payload = encoder.finish();
  const header = {
    model: modelName,
    parameters: { ...parametersOf(backend, ids.length), ...options.record },
    precision,
    length: Buffer.byteLength(text, 'utf8'),
  };
  const checksum = createHash('sha256').update(text, 'utf8').digest();
  return { container: encodeContainer(header, payload, checksum), tokens: ids.length, idealBits, payloadBytes: payload.length };
}

/** Decodes a container made by `compressText`; refuses one coded with another model file or tokenizer. */
export async function decompressText(container: Uint8Array, backend: CodingBackend, options: LlmCodingOptions & { readonly label?: string } = {}): Promise<string> {
  const label = options.label ?? 'input';
  const { header, payload, checksum } = openContainer(container, label);
  if (header.model !== modelName) throw new KolmoError('input', `${label}: coded with model "${header.model}", not a language model`);
  const recorded = header.parameters as ReturnType<typeof parametersOf>;
  const mine = parametersOf(backend, recorded.tokens);
  if (recorded.modelSha256 !== mine.modelSha256) {
    throw new KolmoError(
      'input',
      `${label}: coded with the model file of SHA-256 ${recorded.modelSha256} (${recorded.backend}); this backend's model is ${mine.modelSha256} (${mine.backend}). Decoding needs the very same model file`,
    );
  }
  if (recorded.tokenizer !== mine.tokenizer || recorded.window !== mine.window) {
    throw new KolmoError('input', `${label}: coded with tokenizer ${recorded.tokenizer} and windows of ${recorded.window}; this backend has ${mine.tokenizer} and ${mine.window}`);
  }
  const { bos, window, size } = codingShape(backend);
  const decoder = new RangeDecoder(payload);
  const frequencies = new Float64Array(size);
  const ids = new Int32Array(recorded.tokens);
  await forEachPosition(backend, ids.length, bos, window, options, (t, row) => {
    const cumulative = quantize(row, header.precision, frequencies);
    const target = decoder.target(header.precision);
    // The symbol whose interval [cumulative[id], cumulative[id + 1]) holds the target: binary search.
    let low = 0;
    let high = size - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (cumulative[middle]! <= target) low = middle;
      else high = middle - 1;
    }
    decoder.consume(cumulative[low]!, frequencies[low]!, header.precision);
    ids[t] = low;
    return low;
  });
  decoder.finish();
  const text = backend.detokenize(ids);
  if (!createHash('sha256').update(text, 'utf8').digest().equals(checksum)) {
    throw new KolmoError('input', `${label}: the decoded text does not match the container's SHA-256 (corrupted payload, or a model that computes differently here)`);
  }
  return text;
}

function codingShape(backend: CodingBackend) {
  const { bosTokenId, vocabularySize, maxContextTokens, distribution } = backend.capabilities;
  if (distribution !== 'full' || bosTokenId === undefined || vocabularySize === undefined) {
    throw new KolmoError('invalidSpec', `${backend.identity.id}: coding needs full distributions, a begin-of-sequence id and the vocabulary size`);
  }
  if (maxContextTokens < 2) throw new KolmoError('invalidSpec', `${backend.identity.id}: a context of ${maxContextTokens} tokens leaves no room to code`);
  return { bos: bosTokenId, window: maxContextTokens - 1, size: vocabularySize };
}

function parametersOf(backend: CodingBackend, tokens: number) {
  return {
    backend: backend.identity.id,
    modelSha256: backend.identity.revision?.replace(/^sha256:/, '') ?? 'unknown',
    tokenizer: backend.identity.tokenizer,
    window: backend.capabilities.maxContextTokens - 1,
    tokens,
  };
}

/**
 * Calls `code(t, ln q(· | window so far))` for t = 0…count−1 in order; `code` returns token t (known to the
 * encoder, decoded by the decoder), which extends the prefix of the next call.
 */
async function forEachPosition(
  backend: CodingBackend,
  count: number,
  bos: number,
  window: number,
  options: LlmCodingOptions,
  code: (t: number, row: Float32Array) => number,
): Promise<void> {
  const prefix = new Int32Array(window + 1);
  prefix[0] = bos;
  for (let t = 0; t < count; t++) {
    const inWindow = t % window; // tokens of this window before t
    const ids = prefix.subarray(0, inWindow + 1);
    const row = await backend.distributions({ ids, scoreFrom: ids.length }, options.signal);
    prefix[inWindow + 1] = code(t, row);
    if ((t + 1) % 256 === 0) options.onProgress?.(t + 1, count);
  }
  options.onProgress?.(count, count);
}

/** Integer frequencies (totals 2^precision) of exp(row), and their cumulative sums. */
function quantize(row: Float32Array, precision: number, frequencies: Float64Array): Float64Array {
  const weights = new Float64Array(row.length);
  for (let v = 0; v < row.length; v++) weights[v] = Math.exp(row[v]!);
  return cumulativeFrequencies(quantizeFrequencies(weights, precision, frequencies));
}
