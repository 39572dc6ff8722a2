import { afterEach, describe, expect, it } from 'vitest';
import { KolmoError, type LogProbBackend } from '@kolmo/core';
import {
  WordPieceModel,
  buildBackend,
  expectedLogProbs,
  mixedScriptText,
  quickRetries,
  recoverableFaults,
  startFakeLlmServer,
  type FakeFault,
  type FakeLlmServer,
} from '@kolmo/llm-http/testing';
import { openAiCompatibleBackend } from './openai-compatible-backend.ts';
import { llamaCppServerBackend, ollamaBackend } from './prompt-unscoring-servers.ts';

const servers: FakeLlmServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function serve(faults: FakeFault[] = [], apiKey?: string): Promise<FakeLlmServer> {
  const server = await startFakeLlmServer({ protocol: 'openai', faults, apiKey });
  servers.push(server);
  return server;
}

function backendFor(server: FakeLlmServer, extra: Record<string, unknown> = {}, logs: string[] = []): Promise<LogProbBackend> {
  return buildBackend(openAiCompatibleBackend, { baseUrl: server.url, model: 'fake-model', ...quickRetries, ...extra }, logs);
}

async function rejection(promise: Promise<unknown>): Promise<KolmoError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KolmoError);
  return error as KolmoError;
}

const bos = WordPieceModel.bosId;

describe('openai-compatible backend (vLLM flavour)', () => {
  it('tokenizes with exact ids and UTF-16 spans, though the server counts offsets in code points', async () => {
    const server = await serve();
    const backend = await backendFor(server);
    const [tokenized] = await backend.tokenize([mixedScriptText]);
    const expected = server.model.tokenize(mixedScriptText);
    expect(Array.from(tokenized.ids)).toEqual(expected.ids);
    // Each span holds the token's share of the text: byte-fallback tokens before a character's last byte are empty.
    const shares = Array.from(tokenized.ids, (_, i) => mixedScriptText.slice(tokenized.start[i], tokenized.end[i]));
    expect(shares).toEqual(expected.texts);
    expect(shares.join('')).toBe(mixedScriptText);
    expect(shares).toContain('🎉'); // four byte tokens, one astral character (two UTF-16 units)
    expect(server.requests.map((r) => r.path)).toEqual(['/tokenize', '/v1/completions']);
    expect((server.requests[0].body as { add_special_tokens: boolean }).add_special_tokens).toBe(false);
  });

  it('scores token-id prompts with the exact log-probs of the known model, and the top k in order', async () => {
    const server = await serve();
    const backend = await backendFor(server, { topK: 3, bosTokenId: bos });
    expect(backend.capabilities).toMatchObject({ distribution: 'top-k', topK: 3, bosTokenId: bos });
    const ids = Int32Array.from([bos, ...server.model.tokenize(mixedScriptText).ids]);
    const [first, window] = await backend.scoreTokens([
      { ids, scoreFrom: 1 },
      { ids: ids.subarray(5, 20), scoreFrom: 4 },
    ]);
    expect(Array.from(first.logProbs)).toEqual(Array.from(expectedLogProbs(server.model, ids, 1)));
    expect(Array.from(window.logProbs)).toEqual(Array.from(expectedLogProbs(server.model, ids.subarray(5, 20), 4)));
    for (let i = 1; i < ids.length; i++) {
      const top = server.model.topK(ids[i - 1], 3);
      expect(Array.from(first.topIds!.subarray((i - 1) * 3, i * 3))).toEqual(top.map((t) => t.id));
      expect(Array.from(first.topLogProbs!.subarray((i - 1) * 3, i * 3))).toEqual(top.map((t) => t.logProb));
    }
    const sent = server.requests[0].body as { prompt: number[]; echo: boolean; prompt_logprobs: number };
    expect(sent).toMatchObject({ echo: true, prompt_logprobs: 3 });
    expect(sent.prompt).toEqual(Array.from(ids));
  });

  it('names the model, revision and adapter in its identity, and never the URL', async () => {
    const server = await serve();
    const backend = await backendFor(server, { revision: 'step-1000' });
    expect(backend.identity).toEqual({
      id: 'openai-compatible:fake-model@step-1000',
      model: 'fake-model',
      revision: 'step-1000',
      tokenizer: 'fake-model@step-1000',
    });
    expect((await backendFor(server)).identity.id).toBe('openai-compatible:fake-model@unknown');
  });

  it.each(recoverableFaults.map((fault) => [fault.kind === 'status' ? `HTTP ${fault.status}` : fault.kind, fault] as const))(
    'recovers from %s with identical numbers',
    async (_name, fault) => {
      const server = await serve([{ ...fault, path: '/v1/completions' }]);
      const logs: string[] = [];
      const backend = await backendFor(server, {}, logs);
      const ids = Int32Array.from([bos, ...server.model.tokenize('the cat — 日本 🎉').ids]);
      const [scored] = await backend.scoreTokens([{ ids, scoreFrom: 1 }]);
      expect(Array.from(scored.logProbs)).toEqual(Array.from(expectedLogProbs(server.model, ids, 1)));
      expect(server.requests.map((r) => r.fault)).toEqual([fault.kind, undefined]);
      expect(logs.some((line) => line.includes('retry 1/3'))).toBe(true);
    },
  );

  it.each([
    ['wrong-ids', 'is not among the ids'],
    ['wrong-count', 'prompt log-probs came back for'],
    ['nan', 'not JSON'],
    ['positive', 'not a finite number ≤ 0'],
    ['truncate', 'not JSON'],
  ] as const)('stops with a clear input error when %s persists', async (kind, said) => {
    const server = await serve([{ kind, times: 100 }]);
    const backend = await backendFor(server);
    const ids = Int32Array.from([bos, ...server.model.tokenize('the cat').ids]);
    const error = await rejection(backend.scoreTokens([{ ids, scoreFrom: 1 }, { ids, scoreFrom: 2 }]));
    expect(error.kind).toBe('input');
    expect(error.message).toContain(server.url);
    expect(error.message).toMatch(/request [01] of 2/);
    expect(error.message).toContain(said);
    expect(error.message).toContain('after 4 attempts');
  });

  it('catches unsorted top-k', async () => {
    const server = await serve([{ kind: 'unsorted-top-k', times: 100 }]);
    const backend = await backendFor(server, { topK: 4, maxRetries: 1 });
    const ids = Int32Array.from([bos, ...server.model.tokenize('the cat').ids]);
    const error = await rejection(backend.scoreTokens([{ ids, scoreFrom: 1 }]));
    expect(error.message).toContain('top-k log-probs are not sorted');
  });

  it.each([400, 401, 404])('does not retry HTTP %i and says what the server said', async (status) => {
    const server = await serve([{ kind: 'status', status }]);
    const backend = await backendFor(server);
    const error = await rejection(backend.scoreTokens([{ ids: Int32Array.from([bos, 5, 6]), scoreFrom: 1 }]));
    expect(error.kind).toBe('input');
    expect(error.message).toContain(`HTTP ${status}: {"error":"injected ${status}"}`);
    expect(error.message).toContain(server.url);
    expect(server.requests).toHaveLength(1);
  });

  it('reports an unknown model as the 404 the server sent, without retrying', async () => {
    const server = await serve();
    const backend = await backendFor(server, { model: 'no-such-model' });
    const error = await rejection(backend.tokenize(['the cat']));
    expect(error.message).toContain('does not exist');
    expect(server.requests).toHaveLength(1);
  });

  it('honours Retry-After', async () => {
    const server = await serve([{ kind: 'status', status: 429, retryAfter: '1' }]);
    const backend = await backendFor(server, { maxRetryDelayMs: 5_000 });
    const started = performance.now();
    await backend.scoreTokens([{ ids: Int32Array.from([bos, 5, 6]), scoreFrom: 1 }]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950); // the backoff alone would wait ≤ 5 ms
    expect(server.requests).toHaveLength(2);
  });

  it('opens the circuit when the server keeps failing, and then fails at once without asking it', async () => {
    const server = await serve([{ kind: 'status', status: 503, times: 1000 }]);
    const backend = await backendFor(server, { maxRetries: 10, breakAfterFailures: 4 });
    const request = { ids: Int32Array.from([bos, 5, 6]), scoreFrom: 1 };
    const error = await rejection(backend.scoreTokens([request]));
    expect(error.kind).toBe('input');
    expect(error.message).toContain('stopped after 4 consecutive failed requests (circuit open)');
    expect(error.message).toContain('HTTP 503');
    expect(server.requests).toHaveLength(4);
    await rejection(backend.scoreTokens([request]));
    expect(server.requests).toHaveLength(4);
  });

  it('cancels the request in flight when the signal aborts', async () => {
    const server = await serve([{ kind: 'delay', ms: 30_000 }]);
    const backend = await backendFor(server, { timeoutMs: 60_000 });
    const controller = new AbortController();
    const pending = backend.scoreTokens([{ ids: Int32Array.from([bos, 5, 6]), scoreFrom: 1 }], controller.signal);
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    const error = await rejection(pending);
    expect(error.kind).toBe('interrupted');
    expect(server.requests).toHaveLength(1);
  });

  it('makes no request when the signal is already aborted', async () => {
    const server = await serve();
    const backend = await backendFor(server);
    const controller = new AbortController();
    controller.abort();
    expect((await rejection(backend.tokenize(['the'], controller.signal))).kind).toBe('interrupted');
    expect(server.requests).toHaveLength(0);
  });

  it('sends the API key from the environment and keeps it out of every error and log line', async () => {
    const key = 'sk-test-0123456789abcdef';
    process.env.KOLMO_TEST_LLM_KEY = key;
    try {
      const server = await serve([], key);
      const logs: string[] = [];
      const backend = await backendFor(server, { apiKeyEnv: 'KOLMO_TEST_LLM_KEY' }, logs);
      const [scored] = await backend.scoreTokens([{ ids: Int32Array.from([bos, 5, 6]), scoreFrom: 1 }]);
      expect(scored.logProbs).toHaveLength(2);
      expect(server.requests[0].headers.authorization).toBe(`Bearer ${key}`);
      expect(JSON.stringify(backend.identity)).not.toContain(key);

      const wrong = await startFakeLlmServer({ protocol: 'openai', apiKey: 'another-key', faults: [{ kind: 'status', status: 503 }] });
      servers.push(wrong);
      const refused = await backendFor(wrong, { apiKeyEnv: 'KOLMO_TEST_LLM_KEY' }, logs);
      const error = await rejection(refused.tokenize(['the cat']));
      expect(error.message).toContain('HTTP 401');
      expect(error.message).toContain('[redacted]');
      for (const text of [error.message, error.stack ?? '', ...logs]) expect(text).not.toContain(key);
    } finally {
      delete process.env.KOLMO_TEST_LLM_KEY;
    }
  });

  it('refuses a missing API key variable at startup', async () => {
    const server = await serve();
    const error = await rejection(backendFor(server, { apiKeyEnv: 'KOLMO_TEST_NO_SUCH_VARIABLE' }));
    expect(error.kind).toBe('invalidSpec');
    expect(error.message).toContain('KOLMO_TEST_NO_SUCH_VARIABLE is not set');
  });

  it('keeps a run going when one of several servers is down: retries go to the others', async () => {
    const down = await startFakeLlmServer({ protocol: 'openai' });
    const downUrl = down.url;
    await down.close();
    const up = await serve();
    const backend = await buildBackend(openAiCompatibleBackend, { baseUrls: [downUrl, up.url], model: 'fake-model', ...quickRetries, maxContextTokens: 64 });
    expect(backend.capabilities.maxContextTokens).toBe(63); // one token of the context goes to max_tokens 1
    const ids = Int32Array.from([bos, 5, 6, 7]);
    const results = await backend.scoreTokens(Array.from({ length: 6 }, () => ({ ids, scoreFrom: 1 })));
    for (const scored of results) expect(Array.from(scored.logProbs)).toEqual(Array.from(expectedLogProbs(up.model, ids, 1)));
    expect(up.requests).toHaveLength(6);
  });

  it('routes to the least busy of several servers', async () => {
    const a = await serve([{ kind: 'delay', ms: 100, times: 100 }]);
    const b = await serve([{ kind: 'delay', ms: 100, times: 100 }]);
    const backend = await buildBackend(openAiCompatibleBackend, { baseUrls: [a.url, b.url], model: 'fake-model', concurrency: 2 });
    const ids = Int32Array.from([bos, 5, 6, 7]);
    const results = await backend.scoreTokens(Array.from({ length: 8 }, () => ({ ids, scoreFrom: 1 })));
    expect(results).toHaveLength(8);
    expect([a.requests.length, b.requests.length]).toEqual([4, 4]);
  });
});

describe('openai-compatible backend (plain OpenAI flavour)', () => {
  it('scores from token_logprobs (null first) and checks ids through the token texts', async () => {
    const server = await serve();
    const backend = await backendFor(server, { flavour: 'openai', topK: 5 });
    expect(backend.capabilities.distribution).toBe('token');
    const [tokenized] = await backend.tokenize([mixedScriptText]);
    const ids = Int32Array.from([bos, ...tokenized.ids]);
    const [scored] = await backend.scoreTokens([{ ids, scoreFrom: 1 }]);
    expect(Array.from(scored.logProbs)).toEqual(Array.from(expectedLogProbs(server.model, ids, 1)));
    expect(scored.topIds).toBeUndefined();

    server.inject({ kind: 'wrong-ids', times: 100 });
    const error = await rejection(backend.scoreTokens([{ ids, scoreFrom: 1 }]));
    expect(error.message).toContain('came back as');
  });
});

describe('servers that cannot score a prompt', () => {
  it.each([
    [llamaCppServerBackend, "llama.cpp's HTTP server returns log-probs of generated tokens only"],
    [ollamaBackend, 'Ollama returns log-probs of generated tokens only'],
  ] as const)('%s refuses at startup, saying why and what to use instead', async (descriptor, why) => {
    const error = await rejection(buildBackend(descriptor, { baseUrl: 'http://127.0.0.1:1', model: 'm' }));
    expect(error.kind).toBe('invalidSpec');
    expect(error.message).toContain(why);
    expect(error.message).toContain('type: llama-cpp');
    expect(error.message).toContain('vLLM');
  });
});
