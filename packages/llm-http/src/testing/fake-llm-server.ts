import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WordPieceModel } from './word-piece-model.ts';

/**
 * A loopback LLM server for tests and benchmarks (node:http on 127.0.0.1, port 0), speaking the request and
 * response shapes of the real servers with their quirks, over a known model (`WordPieceModel`), and injecting
 * scripted faults on request.
 *
 * - `openai` (vLLM's OpenAI-compatible server): `POST /v1/completions` (`echo`, `logprobs`, `max_tokens` 0 or 1,
 *   text or token-id prompts; `token_logprobs` with a null first entry, `top_logprobs` keyed by token text,
 *   `text_offset` in code points; vLLM's `prompt_logprobs`) and `POST /tokenize`.
 * - `sglang`: `POST /generate` (`text` or `input_ids`, `return_logprob`, `logprob_start_len`, `top_logprobs_num`;
 *   `meta_info.input_token_logprobs` as `[logprob, id, text]`, first logprob null).
 * - `tgi`: `POST /generate` (`details`, `decoder_input_details`: `details.prefill`, first logprob null) and
 *   `POST /tokenize` (`start`/`stop` in UTF-8 bytes).
 */
export type FakeProtocol = 'openai' | 'sglang' | 'tgi';

export type FakeFaultKind =
  | 'delay' // answer correctly, but only after `ms` (past the client's timeout)
  | 'status' // answer `status` (429, 500, 503, 400, 401, 404…), with `retryAfter` as the Retry-After header
  | 'drop' // close the connection without answering
  | 'truncate' // a JSON body cut in half (with a matching Content-Length)
  | 'cut' // the connection closes halfway through the body (Content-Length promised more)
  | 'malformed' // not JSON at all
  | 'wrong-count' // one token fewer than sent
  | 'wrong-ids' // a token id other than the one sent
  | 'nan' // a NaN log-prob (written as Python writes it: NaN)
  | 'positive' // a log-prob > 0
  | 'unsorted-top-k'; // top-k alternatives in the wrong order

export interface FakeFault {
  readonly kind: FakeFaultKind;
  /** Only requests to this path consume the fault (default: any). */
  readonly path?: string;
  /** How many matching requests it hits (default 1). */
  readonly times?: number;
  readonly ms?: number;
  readonly status?: number;
  readonly retryAfter?: string;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: unknown;
  /** The fault this request got, if any. */
  readonly fault?: FakeFaultKind;
}

export interface FakeLlmServerOptions {
  readonly protocol: FakeProtocol;
  readonly faults?: readonly FakeFault[];
  /** When set, requests must carry `Authorization: Bearer <apiKey>` (else 401). */
  readonly apiKey?: string;
  /** Fixed latency added to every response (benchmarks). */
  readonly latencyMs?: number;
  /** The model name it answers to (anything else: 404, as vLLM does). */
  readonly model?: string;
  readonly maxModelLength?: number;
}

export interface FakeLlmServer {
  readonly url: string;
  readonly model: WordPieceModel;
  /** Every request seen, in arrival order. */
  readonly requests: RecordedRequest[];
  /** Adds faults for the next matching requests. */
  inject(...faults: FakeFault[]): void;
  close(): Promise<void>;
}

interface Scored {
  ids: number[];
  texts: string[];
  /** ln q of each token given the ones before; null for the first (nothing before it). */
  logProbs: (number | null)[];
  /** Top-k alternatives per position (null for the first). */
  top: ({ id: number; logProb: number }[] | null)[];
}

const nanMarker = '__fake_nan__';

export async function startFakeLlmServer(options: FakeLlmServerOptions): Promise<FakeLlmServer> {
  const model = new WordPieceModel();
  const modelName = options.model ?? 'fake-model';
  const pending: { fault: FakeFault; left: number }[] = (options.faults ?? []).map((fault) => ({ fault, left: fault.times ?? 1 }));
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const takeFault = (path: string): FakeFault | undefined => {
    const index = pending.findIndex((entry) => entry.fault.path === undefined || entry.fault.path === path);
    if (index < 0) return undefined;
    const entry = pending[index];
    if (--entry.left <= 0) pending.splice(index, 1);
    return entry.fault;
  };

  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = (request.url ?? '/').split('?')[0];
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = raw;
      }
      const fault = takeFault(path);
      requests.push({ method: request.method ?? 'GET', path, headers: { ...request.headers }, body, fault: fault?.kind });
      const respond = () => handle(request, response, path, body, fault);
      const delay = (options.latencyMs ?? 0) + (fault?.kind === 'delay' ? (fault.ms ?? 1000) : 0);
      if (delay > 0) later(delay, respond);
      else respond();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const send = (response: ServerResponse, status: number, payload: unknown, fault?: FakeFault, headers: Record<string, string> = {}) => {
    if (response.destroyed) return;
    let text = JSON.stringify(payload, (_key, value: unknown) => (typeof value === 'number' && Number.isNaN(value) ? nanMarker : value));
    text = text.split(`"${nanMarker}"`).join('NaN');
    if (fault?.kind === 'truncate') text = text.slice(0, Math.floor(text.length / 2));
    if (fault?.kind === 'malformed') text = `<html><body>upstream error</body></html>`;
    response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
    if (fault?.kind === 'cut') {
      response.write(text.slice(0, Math.floor(text.length / 2)), () => response.socket?.destroy());
      return;
    }
    response.end(text);
  };

  const handle = (request: IncomingMessage, response: ServerResponse, path: string, body: unknown, fault?: FakeFault) => {
    if (fault?.kind === 'drop') {
      request.socket.destroy();
      return;
    }
    if (fault?.kind === 'status') {
      const headers: Record<string, string> = fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter };
      send(response, fault.status ?? 503, { error: `injected ${fault.status ?? 503}` }, undefined, headers);
      return;
    }
    if (options.apiKey !== undefined && request.headers.authorization !== `Bearer ${options.apiKey}`) {
      // Some servers echo the header they rejected: the client must keep that out of its messages.
      send(response, 401, { error: `invalid API key: ${String(request.headers.authorization)}` });
      return;
    }
    try {
      const route = routes[options.protocol][path];
      if (!route || request.method !== 'POST') {
        send(response, 404, { error: `no route ${request.method} ${path}` });
        return;
      }
      send(response, 200, route(asObject(body), fault), fault);
    } catch (error) {
      if (error instanceof BadRequest) send(response, error.status, { error: error.message, object: 'error' });
      else send(response, 500, { error: String(error) });
    }
  };

  /** The model's answer for a token sequence, with the response faults applied. */
  const score = (ids: number[], k: number, fault?: FakeFault): Scored => {
    const scored: Scored = {
      ids: [...ids],
      texts: model.tokenTexts(ids),
      logProbs: ids.map((id, i) => (i === 0 ? null : model.logProb(ids[i - 1], id))),
      top: ids.map((_, i) => (i === 0 || k === 0 ? null : model.topK(ids[i - 1], k))),
    };
    const last = ids.length - 1;
    switch (fault?.kind) {
      case 'wrong-count':
        for (const list of [scored.ids, scored.texts, scored.logProbs, scored.top] as unknown[][]) list.pop();
        break;
      case 'wrong-ids':
        scored.ids[last] = scored.ids[last] === 1 ? 2 : 1;
        scored.texts[last] = model.pieces[scored.ids[last]];
        break;
      case 'nan':
        scored.logProbs[last] = NaN;
        break;
      case 'positive':
        scored.logProbs[last] = 0.25;
        break;
      case 'unsorted-top-k': {
        // The same ids and ranks, but their log-probs in the wrong order.
        const values = scored.top[last]?.map((t) => t.logProb).reverse() ?? [];
        scored.top[last]?.forEach((t, r) => (t.logProb = values[r]));
        break;
      }
    }
    return scored;
  };

  const idsOf = (prompt: unknown, field: string): number[] => {
    if (typeof prompt === 'string') return model.tokenize(prompt).ids;
    if (Array.isArray(prompt) && prompt.length > 0 && prompt.every((id) => model.isValidId(id))) return prompt as number[];
    throw new BadRequest(`${field} must be a string or a non-empty list of token ids below ${model.vocabularySize}`);
  };

  const checkModel = (name: unknown) => {
    if (name !== modelName) throw new BadRequest(`The model \`${String(name)}\` does not exist.`, 404);
  };

  const routes: Record<FakeProtocol, Record<string, (body: Record<string, unknown>, fault?: FakeFault) => unknown>> = {
    openai: {
      '/v1/completions': (body, fault) => {
        checkModel(body.model);
        if (body.echo !== true) throw new BadRequest('this server scores prompts: echo must be true');
        const maxTokens = body.max_tokens ?? 16;
        if (maxTokens !== 0 && maxTokens !== 1) throw new BadRequest('max_tokens must be 0 or 1 here');
        const promptIds = idsOf(body.prompt, 'prompt');
        const k = typeof body.logprobs === 'number' ? body.logprobs : 0;
        // Faults hit the prompt's last token; the generated token (max_tokens 1) comes after, untouched.
        const scored = score(promptIds, k, fault);
        if (maxTokens === 1) {
          const previous = promptIds[promptIds.length - 1];
          const next = model.topK(previous, 1)[0];
          scored.ids.push(next.id);
          scored.texts.push(model.pieces[next.id]);
          scored.logProbs.push(next.logProb);
          scored.top.push(k === 0 ? null : model.topK(previous, k));
        }
        const offsets: number[] = [];
        let codePoints = 0;
        for (const text of scored.texts) {
          offsets.push(codePoints);
          codePoints += [...text].length;
        }
        const promptK = typeof body.prompt_logprobs === 'number' ? body.prompt_logprobs : undefined;
        const choice: Record<string, unknown> = {
          index: 0,
          text: model.decode(scored.ids),
          logprobs:
            body.logprobs === null || body.logprobs === undefined
              ? null
              : {
                  tokens: scored.texts,
                  token_logprobs: scored.logProbs,
                  top_logprobs: scored.top.map((top) => (top === null ? null : Object.fromEntries(top.map((t) => [model.pieces[t.id], t.logProb])))),
                  text_offset: offsets,
                },
          finish_reason: 'length',
        };
        if (promptK !== undefined) {
          const prompt = score(promptIds, promptK, fault);
          choice.prompt_logprobs = prompt.ids.map((id, i) => {
            if (i === 0) return null;
            const entries: [string, unknown][] = [[String(id), { logprob: prompt.logProbs[i], rank: rankOf(model, prompt.ids[i - 1], id), decoded_token: prompt.texts[i] }]];
            (prompt.top[i] ?? []).forEach((t, r) => {
              if (t.id !== id) entries.push([String(t.id), { logprob: t.logProb, rank: r + 1, decoded_token: model.pieces[t.id] }]);
            });
            return Object.fromEntries(entries);
          });
        }
        return {
          id: 'cmpl-fake',
          object: 'text_completion',
          model: modelName,
          choices: [choice],
          usage: { prompt_tokens: promptIds.length, completion_tokens: maxTokens, total_tokens: promptIds.length + maxTokens },
        };
      },
      '/tokenize': (body, fault) => {
        checkModel(body.model);
        if (typeof body.prompt !== 'string') throw new BadRequest('prompt must be a string');
        const ids = model.tokenize(body.prompt).ids;
        if (body.add_special_tokens !== false) ids.unshift(WordPieceModel.bosId); // vLLM's default adds BOS
        const scored = score(ids, 0, fault);
        return { count: scored.ids.length, max_model_len: options.maxModelLength ?? 2048, tokens: scored.ids, token_strs: scored.ids.map((id) => model.pieces[id]) };
      },
    },
    sglang: {
      '/generate': (body, fault) => {
        if (body.return_logprob !== true) throw new BadRequest('return_logprob must be true');
        if ((body.logprob_start_len ?? -1) !== 0) throw new BadRequest('logprob_start_len must be 0 to get every prompt log-prob');
        const ids = body.input_ids !== undefined ? idsOf(body.input_ids, 'input_ids') : idsOf(body.text, 'text');
        const k = typeof body.top_logprobs_num === 'number' ? body.top_logprobs_num : 0;
        const scored = score(ids, k, fault);
        const withText = body.return_text_in_logprobs === true;
        return {
          text: '',
          meta_info: {
            id: 'fake',
            prompt_tokens: ids.length,
            completion_tokens: 0,
            input_token_logprobs: scored.ids.map((id, i) => [scored.logProbs[i], id, withText ? scored.texts[i] : null]),
            input_top_logprobs: scored.top.map((top) => (top === null ? null : top.map((t) => [t.logProb, t.id, withText ? model.pieces[t.id] : null]))),
            output_token_logprobs: [],
          },
        };
      },
    },
    tgi: {
      '/tokenize': (body, fault) => {
        if (typeof body.inputs !== 'string') throw new BadRequest('inputs must be a string');
        const scored = score(model.tokenize(body.inputs).ids, 0, fault);
        let bytes = 0;
        const encoder = new TextEncoder();
        // Byte tokens: each covers one byte of the character; the token texts carry the character on its last byte.
        const tokenBytes = scored.ids.map((id, i) => (model.pieces[id].startsWith('<0x') && model.pieces[id].length === 6 ? 1 : encoder.encode(scored.texts[i]).length));
        return scored.ids.map((id, i) => {
          const start = bytes;
          bytes += tokenBytes[i];
          return { id, text: scored.texts[i], start, stop: bytes };
        });
      },
      '/generate': (body, fault) => {
        if (typeof body.inputs !== 'string') throw new BadRequest('inputs must be a string');
        const parameters = asObject(body.parameters ?? {});
        if (parameters.details !== true || parameters.decoder_input_details !== true) throw new BadRequest('details and decoder_input_details must be true');
        const ids = model.tokenize(body.inputs).ids;
        const next = model.topK(ids[ids.length - 1], 1)[0];
        const scored = score(ids, 0, fault);
        return {
          generated_text: model.pieces[next.id],
          details: {
            finish_reason: 'length',
            generated_tokens: 1,
            seed: null,
            prefill: scored.ids.map((id, i) => ({ id, text: scored.texts[i], logprob: scored.logProbs[i] })),
            tokens: [{ id: next.id, text: model.pieces[next.id], logprob: next.logProb, special: false }],
          },
        };
      },
    },
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    model,
    requests,
    inject: (...faults) => pending.push(...faults.map((fault) => ({ fault, left: fault.times ?? 1 }))),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

class BadRequest extends Error {
  readonly status: number;
  constructor(message: string, status = 400) {
    super(message);
    this.status = status;
  }
}

function asObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadRequest('the body must be a JSON object');
  return body as Record<string, unknown>;
}

function rankOf(model: WordPieceModel, previous: number, id: number): number {
  return model.topK(previous, model.vocabularySize).findIndex((t) => t.id === id) + 1;
}
