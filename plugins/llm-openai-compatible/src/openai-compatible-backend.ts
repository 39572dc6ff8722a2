import { defineStage, z, type ScoreRequest, type ScoredTokens, type TokenizedText } from '@kolmo/core';
import {
  HttpLogProbBackend,
  ResponseFault,
  checkLogProb,
  checkSortedDescending,
  checkTokenId,
  expectArray,
  expectObject,
  httpBackendFields,
  httpBackendIdentity,
  httpCapabilities,
  httpClientFor,
  withOneBaseUrl,
  spansFromOffsets,
  type HttpBackendConfig,
  type HttpProtocol,
  type LlmHttpClient,
} from '@kolmo/llm-http';

const openAiCompatibleConfig = withOneBaseUrl(z.object({
  ...httpBackendFields,
  flavour: z
    .enum(['vllm', 'openai'])
    .default('vllm')
    .describe("vllm: scores from vLLM's prompt_logprobs (with top-k ids); openai: from logprobs.token_logprobs (scored token only)"),
  maxTokens: z
    .number()
    .int()
    .min(0)
    .max(1)
    .default(1)
    .describe('max_tokens of the echo request (some servers refuse 0; the generated token is ignored)'),
  tokenizePath: z.string().default('/tokenize').describe("the server's tokenize endpoint (exact token ids)"),
}));

type OpenAiCompatibleConfig = z.output<typeof openAiCompatibleConfig>;

/**
 * An OpenAI-compatible completions server (vLLM, or any server that echoes prompt log-probs). Tokenizing a text
 * takes two requests: `/tokenize` for the exact ids, and an echo completion of the text for `text_offset`
 * (code points) and token texts. Scoring sends token-id prompts. See this package's README for the shapes.
 */
export const openAiCompatibleBackend = defineStage({
  kind: 'llm-backend',
  type: 'openai-compatible',
  description: 'an OpenAI-compatible completions server (vLLM): prompt log-probs by echo, exact ids by /tokenize',
  config: openAiCompatibleConfig,
  create: (config, context) => {
    const where = 'backend';
    const client = httpClientFor('openai-compatible', config as HttpBackendConfig, where, context.log);
    const identity = httpBackendIdentity('openai-compatible', config);
    // The echo request generates max_tokens more: a window may use the rest of the context.
    const capabilities = {
      ...httpCapabilities(config as HttpBackendConfig, config.flavour === 'vllm' ? 'top-k' : 'token'),
      maxContextTokens: config.maxContextTokens - config.maxTokens,
    };
    return new HttpLogProbBackend(identity, capabilities, new OpenAiCompatibleProtocol(client, config));
  },
});

class OpenAiCompatibleProtocol implements HttpProtocol {
  private readonly client: LlmHttpClient;
  private readonly config: OpenAiCompatibleConfig;
  /** Token texts seen while tokenizing, by id: the `openai` flavour returns texts, not ids, so ids are checked through them. */
  private readonly textOfId = new Map<number, string>();

  constructor(client: LlmHttpClient, config: OpenAiCompatibleConfig) {
    this.client = client;
    this.config = config;
  }

  async tokenizeOne(text: string, what: string, signal: AbortSignal): Promise<TokenizedText> {
    const { model, tokenizePath, maxTokens } = this.config;
    if (text.length === 0) return { ids: new Int32Array(0), start: new Int32Array(0), end: new Int32Array(0), pieces: [] };
    const ids = await this.client.postJson(
      tokenizePath,
      { model, prompt: text, add_special_tokens: false },
      {
        signal,
        what,
        parse: (body) => expectArray(expectObject(body, 'tokenize response').tokens, 'tokenize response .tokens').map((id, i) => checkTokenId(id, `tokenize response token ${i}`)),
      },
    );
    return this.client.postJson(
      '/v1/completions',
      { model, prompt: text, echo: true, max_tokens: maxTokens, logprobs: 0, temperature: 0, add_special_tokens: false },
      {
        signal,
        what,
        parse: (body) => {
          const logprobs = this.echoed(body);
          let tokens = expectArray(logprobs.tokens, 'logprobs.tokens').slice(0, logprobs.tokens.length - maxTokens);
          let offsets = expectArray(logprobs.text_offset, 'logprobs.text_offset').slice(0, tokens.length);
          // A server that added BOS to the text prompt echoes it first, as an empty token at offset 0.
          if (tokens.length === ids.length + 1 && tokens[0] !== undefined && offsets[0] === 0 && offsets[1] === 0) {
            tokens = tokens.slice(1);
            offsets = offsets.slice(1);
          }
          if (tokens.length !== ids.length) {
            throw new ResponseFault(`echo of the text has ${tokens.length} tokens, /tokenize gave ${ids.length}`);
          }
          const pieces = tokens.map((token, i) => {
            if (typeof token !== 'string') throw new ResponseFault(`logprobs.tokens[${i}] is not a string`);
            return token;
          });
          const tokenized = spansFromOffsets(text, ids, offsets as number[], 'code-points', 'echo of the text', pieces);
          ids.forEach((id, i) => this.textOfId.set(id, pieces[i]));
          return tokenized;
        },
      },
    );
  }

  scoreOne(request: ScoreRequest, what: string, signal: AbortSignal): Promise<ScoredTokens> {
    const { model, maxTokens, topK, flavour } = this.config;
    const ids = Array.from(request.ids);
    const body =
      flavour === 'vllm'
        ? { model, prompt: ids, echo: true, max_tokens: maxTokens, prompt_logprobs: topK, temperature: 0 }
        : { model, prompt: ids, echo: true, max_tokens: maxTokens, logprobs: 0, temperature: 0 };
    return this.client.postJson('/v1/completions', body, {
      signal,
      what,
      parse: (response) => (flavour === 'vllm' ? this.fromPromptLogprobs(response, request) : this.fromTokenLogprobs(response, request)),
    });
  }

  /** vLLM: `prompt_logprobs[i]` = `{ "<id>": { logprob, rank, decoded_token } }` holding the prompt token and the top k. */
  private fromPromptLogprobs(response: unknown, request: ScoreRequest): ScoredTokens {
    const { ids, scoreFrom } = request;
    const k = this.config.topK;
    const rows = expectArray(this.firstChoice(response).prompt_logprobs, 'choices[0].prompt_logprobs');
    if (rows.length !== ids.length) throw new ResponseFault(`${rows.length} prompt log-probs came back for ${ids.length} tokens sent`);
    const n = ids.length - scoreFrom;
    const logProbs = new Float64Array(n);
    const topIds = k > 0 ? new Int32Array(n * k) : undefined;
    const topLogProbs = k > 0 ? new Float64Array(n * k) : undefined;
    for (let i = scoreFrom; i < ids.length; i++) {
      const where = `prompt_logprobs[${i}]`;
      const row = expectObject(rows[i], where);
      const own = row[String(ids[i])];
      if (own === undefined) throw new ResponseFault(`${where}: token ${i} (id ${ids[i]}) is not among the ids that came back (${Object.keys(row).slice(0, 5).join(', ')})`);
      logProbs[i - scoreFrom] = checkLogProb(expectObject(own, where).logprob, where);
      if (k === 0) continue;
      const ranked = Object.entries(row)
        .map(([id, entry]) => ({ id: checkTokenId(Number(id), where), entry: expectObject(entry, where) }))
        .filter(({ entry }) => typeof entry.rank === 'number' && entry.rank >= 1 && entry.rank <= k)
        .sort((a, b) => (a.entry.rank as number) - (b.entry.rank as number));
      if (ranked.length !== k) throw new ResponseFault(`${where}: ${ranked.length} of the top ${k} came back`);
      const values = ranked.map(({ entry }) => checkLogProb(entry.logprob, where));
      checkSortedDescending(values, where);
      ranked.forEach(({ id }, r) => {
        topIds![(i - scoreFrom) * k + r] = id;
        topLogProbs![(i - scoreFrom) * k + r] = values[r];
      });
    }
    return { logProbs, topIds, topLogProbs };
  }

  /** Legacy completions: `logprobs.token_logprobs` (first null) with `tokens` as texts, checked against the ids through their texts. */
  private fromTokenLogprobs(response: unknown, request: ScoreRequest): ScoredTokens {
    const { ids, scoreFrom } = request;
    const logprobs = this.echoed(response);
    const values = expectArray(logprobs.token_logprobs, 'logprobs.token_logprobs');
    const tokens = expectArray(logprobs.tokens, 'logprobs.tokens');
    const sent = ids.length;
    if (values.length !== sent + this.config.maxTokens || tokens.length !== values.length) {
      throw new ResponseFault(`${values.length - this.config.maxTokens} prompt log-probs came back for ${sent} tokens sent`);
    }
    const logProbs = new Float64Array(sent - scoreFrom);
    for (let i = scoreFrom; i < sent; i++) {
      const known = this.textOfId.get(ids[i]);
      if (known !== undefined && tokens[i] !== known) {
        throw new ResponseFault(`token ${i} came back as ${JSON.stringify(tokens[i])}, sent id ${ids[i]} (${JSON.stringify(known)})`);
      }
      logProbs[i - scoreFrom] = checkLogProb(values[i], `logprobs.token_logprobs[${i}]`);
    }
    return { logProbs };
  }

  private firstChoice(response: unknown): Record<string, unknown> {
    const choices = expectArray(expectObject(response, 'completion').choices, 'choices');
    return expectObject(choices[0], 'choices[0]');
  }

  private echoed(response: unknown): { tokens: unknown[]; text_offset: unknown[]; token_logprobs: unknown[] } {
    const logprobs = expectObject(this.firstChoice(response).logprobs, 'choices[0].logprobs');
    return {
      tokens: expectArray(logprobs.tokens, 'logprobs.tokens'),
      text_offset: expectArray(logprobs.text_offset, 'logprobs.text_offset'),
      token_logprobs: expectArray(logprobs.token_logprobs, 'logprobs.token_logprobs'),
    };
  }
}
