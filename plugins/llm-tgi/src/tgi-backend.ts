import { KolmoError, defineStage, z, type ScoreRequest, type ScoredTokens, type TokenizedText } from '@kolmo/core';
import {
  HttpLogProbBackend,
  checkLogProb,
  checkSameIds,
  checkTokenId,
  expectArray,
  expectObject,
  httpBackendFields,
  httpBackendIdentity,
  httpCapabilities,
  httpClientFor,
  withOneBaseUrl,
  spansFromOffsets,
  type HttpProtocol,
  type LlmHttpClient,
} from '@kolmo/llm-http';

const { topK: _topK, bosTokenId: _bos, ...tgiFields } = httpBackendFields;
const tgiConfig = withOneBaseUrl(z.object({ ...tgiFields }));
type TgiConfig = z.output<typeof tgiConfig>;

/**
 * Hugging Face text-generation-inference. `/tokenize` gives ids and byte offsets; `/generate` with `details` and
 * `decoder_input_details` gives each prompt token's log-prob in `details.prefill` (first null). TGI takes text
 * prompts only, so a request's ids are turned back into text from the bytes each id covered when it was
 * tokenized, and the server's prefill ids must equal them (a window that re-tokenizes differently is an error,
 * never a silent shift). No top-k for prompt tokens, and no BOS as context: the stage uses a text prefix.
 */
export const tgiBackend = defineStage({
  kind: 'llm-backend',
  type: 'tgi',
  description: 'a Hugging Face text-generation-inference server: /generate with decoder_input_details, /tokenize',
  config: tgiConfig,
  create: (config, context) => {
    const shared = { ...config, topK: 0, bosTokenId: undefined };
    const client = httpClientFor('tgi', shared, 'backend', context.log);
    return new HttpLogProbBackend(httpBackendIdentity('tgi', config), httpCapabilities(shared, 'token'), new TgiProtocol(client, config));
  },
});

class TgiProtocol implements HttpProtocol {
  private readonly client: LlmHttpClient;
  /** The UTF-8 bytes each id stood for when tokenized: how ids become the text TGI needs. */
  private readonly bytesOfId = new Map<number, Uint8Array>();

  constructor(client: LlmHttpClient, _config: TgiConfig) {
    this.client = client;
  }

  tokenizeOne(text: string, what: string, signal: AbortSignal): Promise<TokenizedText> {
    if (text.length === 0) return Promise.resolve({ ids: new Int32Array(0), start: new Int32Array(0), end: new Int32Array(0), pieces: [] });
    const utf8 = new TextEncoder().encode(text);
    return this.client.postJson('/tokenize', { inputs: text }, {
      signal,
      what,
      parse: (response) => {
        const tokens = expectArray(response, 'tokenize response').map((token, i) => expectObject(token, `tokenize response [${i}]`));
        const ids = tokens.map((token, i) => checkTokenId(token.id, `tokenize response [${i}].id`));
        const starts = tokens.map((token) => token.start as number);
        const tokenized = spansFromOffsets(text, ids, starts, 'utf8-bytes', 'tokenize response', tokens.map((t) => String(t.text ?? '')));
        tokens.forEach((token, i) => {
          const stop = token.stop;
          if (typeof stop === 'number' && stop >= starts[i] && stop <= utf8.length && !this.bytesOfId.has(ids[i])) {
            this.bytesOfId.set(ids[i], utf8.slice(starts[i], stop));
          }
        });
        return tokenized;
      },
    });
  }

  scoreOne(request: ScoreRequest, what: string, signal: AbortSignal): Promise<ScoredTokens> {
    const inputs = this.textOf(request.ids, what);
    return this.client.postJson(
      '/generate',
      { inputs, parameters: { max_new_tokens: 1, details: true, decoder_input_details: true, do_sample: false } },
      {
        signal,
        what,
        parse: (response) => {
          const details = expectObject(expectObject(response, 'generate response').details, 'details');
          const prefill = expectArray(details.prefill, 'details.prefill').map((token, i) => expectObject(token, `details.prefill[${i}]`));
          checkSameIds(request.ids, prefill.map((token) => token.id as number), 'details.prefill');
          const logProbs = new Float64Array(request.ids.length - request.scoreFrom);
          for (let i = request.scoreFrom; i < request.ids.length; i++) {
            logProbs[i - request.scoreFrom] = checkLogProb(prefill[i].logprob, `details.prefill[${i}].logprob`);
          }
          return { logProbs };
        },
      },
    );
  }

  private textOf(ids: Int32Array, what: string): string {
    const parts: Uint8Array[] = [];
    for (let i = 0; i < ids.length; i++) {
      const bytes = this.bytesOfId.get(ids[i]);
      if (!bytes) {
        throw new KolmoError('failed', `tgi: ${what}: token ${i} (id ${ids[i]}) did not come from this backend's tokenize; TGI takes text, so every id must`);
      }
      parts.push(bytes);
    }
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(parts));
    } catch {
      throw new KolmoError('failed', `tgi: ${what}: the tokens begin or end inside a character, so they have no text to send TGI`);
    }
  }
}
