import { defineStage, z, type ScoreRequest, type ScoredTokens, type TokenizedText } from '@kolmo/core';
import {
  HttpLogProbBackend,
  ResponseFault,
  checkLogProb,
  checkSameIds,
  checkSortedDescending,
  checkTokenId,
  expectArray,
  httpBackendFields,
  httpBackendIdentity,
  httpCapabilities,
  httpClientFor,
  withOneBaseUrl,
  spansFromPieces,
  type HttpProtocol,
  type LlmHttpClient,
} from '@kolmo/llm-http';

const sglangConfig = withOneBaseUrl(z.object({ ...httpBackendFields }));
type SglangConfig = z.output<typeof sglangConfig>;

/**
 * SGLang's native `/generate`: `return_logprob: true, logprob_start_len: 0` returns every prompt token as
 * `[logprob, id, text]` in `meta_info.input_token_logprobs` (first logprob null). Tokenizing sends the text with
 * `max_new_tokens: 0` and reads ids and token texts (spans: the texts must concatenate to the text); scoring
 * sends `input_ids`. See this package's README for the shapes.
 */
export const sglangBackend = defineStage({
  kind: 'llm-backend',
  type: 'sglang',
  description: "an SGLang server's native /generate: prompt log-probs of input_ids, with top-k ids",
  config: sglangConfig,
  create: (config, context) => {
    const client = httpClientFor('sglang', config, 'backend', context.log);
    return new HttpLogProbBackend(httpBackendIdentity('sglang', config), httpCapabilities(config, 'top-k'), new SglangProtocol(client, config));
  },
});

type Row = [number | null, number, string | null];

class SglangProtocol implements HttpProtocol {
  private readonly client: LlmHttpClient;
  private readonly config: SglangConfig;

  constructor(client: LlmHttpClient, config: SglangConfig) {
    this.client = client;
    this.config = config;
  }

  tokenizeOne(text: string, what: string, signal: AbortSignal): Promise<TokenizedText> {
    if (text.length === 0) return Promise.resolve({ ids: new Int32Array(0), start: new Int32Array(0), end: new Int32Array(0), pieces: [] });
    return this.client.postJson('/generate', this.body({ text }, 0, true), {
      signal,
      what,
      parse: (response) => {
        let rows = this.rows(response);
        // A server whose tokenizer adds BOS echoes it first, with a text that is not part of ours.
        if (rows.length > 1 && rows[0][1] === this.config.bosTokenId && !text.startsWith(rows[0][2] ?? '\u0000')) rows = rows.slice(1);
        const pieces = rows.map((row, i) => {
          if (typeof row[2] !== 'string') throw new ResponseFault(`input_token_logprobs[${i}] has no token text`);
          return row[2];
        });
        return spansFromPieces(text, rows.map((row) => row[1]), pieces, 'input_token_logprobs');
      },
    });
  }

  scoreOne(request: ScoreRequest, what: string, signal: AbortSignal): Promise<ScoredTokens> {
    const k = this.config.topK;
    return this.client.postJson('/generate', this.body({ input_ids: Array.from(request.ids) }, k, false), {
      signal,
      what,
      parse: (response) => {
        const { ids, scoreFrom } = request;
        const rows = this.rows(response);
        checkSameIds(ids, rows.map((row) => row[1]), 'input_token_logprobs');
        const n = ids.length - scoreFrom;
        const logProbs = new Float64Array(n);
        for (let i = scoreFrom; i < ids.length; i++) logProbs[i - scoreFrom] = checkLogProb(rows[i][0], `input_token_logprobs[${i}]`);
        if (k === 0) return { logProbs };
        const tops = expectArray(this.meta(response).input_top_logprobs, 'meta_info.input_top_logprobs');
        if (tops.length !== ids.length) throw new ResponseFault(`${tops.length} top-k rows for ${ids.length} tokens`);
        const topIds = new Int32Array(n * k);
        const topLogProbs = new Float64Array(n * k);
        for (let i = scoreFrom; i < ids.length; i++) {
          const where = `input_top_logprobs[${i}]`;
          const top = expectArray(tops[i], where);
          if (top.length !== k) throw new ResponseFault(`${where}: ${top.length} entries, asked for ${k}`);
          const values = top.map((entry, r) => {
            const [lp, id] = expectArray(entry, `${where}[${r}]`);
            topIds[(i - scoreFrom) * k + r] = checkTokenId(id, `${where}[${r}]`);
            return (topLogProbs[(i - scoreFrom) * k + r] = checkLogProb(lp, `${where}[${r}]`));
          });
          checkSortedDescending(values, where);
        }
        return { logProbs, topIds, topLogProbs };
      },
    });
  }

  private body(prompt: Record<string, unknown>, k: number, withText: boolean) {
    return {
      ...prompt,
      sampling_params: { max_new_tokens: 0, temperature: 0 },
      return_logprob: true,
      logprob_start_len: 0,
      top_logprobs_num: k,
      return_text_in_logprobs: withText,
    };
  }

  private meta(response: unknown): Record<string, unknown> {
    const meta = (response as { meta_info?: unknown } | null)?.meta_info;
    if (typeof meta !== 'object' || meta === null) throw new ResponseFault('the response has no meta_info');
    return meta as Record<string, unknown>;
  }

  private rows(response: unknown): Row[] {
    return expectArray(this.meta(response).input_token_logprobs, 'meta_info.input_token_logprobs').map((row, i) => {
      const [lp, id, text] = expectArray(row, `input_token_logprobs[${i}]`);
      return [lp as number | null, checkTokenId(id, `input_token_logprobs[${i}]`), (text ?? null) as string | null];
    });
  }
}
