import { KolmoError, type LogProbBackend, type StageDescriptor } from '@kolmo/core';
import { buildBackend, expectedLogProbs, mixedScriptText, quickRetries, recoverableFaults } from './backend-harness.ts';
import { startFakeLlmServer, type FakeFault, type FakeLlmServer, type FakeProtocol } from './fake-llm-server.ts';

/**
 * The test runner's functions, passed in by the test that runs the suite (vitest's `describe`, `it`, `expect`,
 * `afterEach`): this module does not import the runner itself, so it builds and ships with the testing entry.
 */
export interface ConformanceRunner {
  describe(name: string, body: () => void): void;
  it: ((name: string, body: () => Promise<void> | void, timeout?: number) => void) & {
    each(cases: readonly unknown[]): (name: string, body: (...args: any[]) => Promise<void> | void, timeout?: number) => void;
  };
  expect: (actual: unknown, message?: string) => any;
  afterEach(body: () => Promise<void> | void): void;
}

export interface ConformanceOptions {
  readonly protocol: FakeProtocol;
  readonly descriptor: StageDescriptor;
  /** The path scoring requests go to (faults are aimed at it). */
  readonly scorePath: string;
  /** Whether scoring can begin with BOS (token-id prompts); text-only servers start at a real token. */
  readonly bosContext: boolean;
  readonly config?: Record<string, unknown>;
}

/**
 * The behaviour every HTTP adapter owes, run against the fake server speaking its protocol: exact tokens, spans
 * and log-probs for a mixed-script text; recovery with identical numbers from every transient fault; a clear
 * `input` error when a fault persists; no retry on 400/401/404; abort; API keys kept out of messages.
 */
export function describeBackendConformance({ describe, it, expect, afterEach }: ConformanceRunner, options: ConformanceOptions): void {
  const servers: FakeLlmServer[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
  });

  const serve = async (faults: FakeFault[] = [], apiKey?: string) => {
    const server = await startFakeLlmServer({ protocol: options.protocol, faults, apiKey });
    servers.push(server);
    return server;
  };
  const backendFor = (server: FakeLlmServer, extra: Record<string, unknown> = {}, logs: string[] = []): Promise<LogProbBackend> =>
    buildBackend(options.descriptor, { baseUrl: server.url, model: 'fake-model', ...quickRetries, ...options.config, ...extra }, logs);
  const rejection = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KolmoError);
    return error as KolmoError;
  };
  /** Ids to score: BOS then the text's tokens where the server takes ids, else the text's tokens. */
  const requestIds = async (backend: LogProbBackend, text: string) => {
    const [tokenized] = await backend.tokenize([text]);
    return Int32Array.from(options.bosContext ? [0, ...tokenized.ids] : tokenized.ids);
  };

  describe(`${options.descriptor.type} backend against the fake ${options.protocol} server`, () => {
    it('tokenizes a mixed-script text with exact ids and UTF-16 spans', async () => {
      const server = await serve();
      const [tokenized] = await (await backendFor(server)).tokenize([mixedScriptText, '']);
      const expected = server.model.tokenize(mixedScriptText);
      expect(Array.from(tokenized.ids)).toEqual(expected.ids);
      const shares = Array.from(tokenized.ids, (_, i) => mixedScriptText.slice(tokenized.start[i], tokenized.end[i]));
      expect(shares).toEqual(expected.texts);
      expect(shares).toContain('🎉');
    });

    it('returns the exact log-probs of the known model, for whole texts and windows', async () => {
      const server = await serve();
      const backend = await backendFor(server);
      const ids = await requestIds(backend, mixedScriptText);
      const [whole, window] = await backend.scoreTokens([
        { ids, scoreFrom: 1 },
        { ids: ids.subarray(0, 9), scoreFrom: 5 }, // ends before the first byte-fallback character
      ]);
      expect(Array.from(whole.logProbs)).toEqual(Array.from(expectedLogProbs(server.model, ids, 1)));
      expect(Array.from(window.logProbs)).toEqual(Array.from(expectedLogProbs(server.model, ids.subarray(0, 9), 5)));
    });

    it.each(recoverableFaults.map((fault) => [fault.kind === 'status' ? `HTTP ${fault.status}` : fault.kind, fault] as const))(
      'recovers from %s with identical numbers',
      async (_name, fault) => {
        const server = await serve();
        const backend = await backendFor(server);
        const ids = await requestIds(backend, 'the cat — 日本 🎉');
        server.inject({ ...fault, path: options.scorePath });
        const before = server.requests.length;
        const [scored] = await backend.scoreTokens([{ ids, scoreFrom: 1 }]);
        expect(Array.from(scored.logProbs)).toEqual(Array.from(expectedLogProbs(server.model, ids, 1)));
        expect(server.requests.slice(before).map((r) => r.fault)).toEqual([fault.kind, undefined]);
      },
    );

    it.each(['wrong-ids', 'wrong-count', 'nan', 'positive', 'malformed'] as const)(
      'stops with a clear input error naming the server and the request when %s persists',
      async (kind) => {
        const server = await serve();
        const backend = await backendFor(server);
        const ids = await requestIds(backend, 'the cat sat');
        server.inject({ kind, times: 100 });
        const error = await rejection(backend.scoreTokens([{ ids, scoreFrom: 1 }]));
        expect(error.kind).toBe('input');
        expect(error.message).toContain(server.url);
        expect(error.message).toContain('request 0 of 1');
        expect(error.message).toContain(`after ${quickRetries.maxRetries + 1} attempts`);
      },
    );

    it.each([400, 401, 404])('does not retry HTTP %i', async (status) => {
      const server = await serve([{ kind: 'status', status }]);
      const error = await rejection((await backendFor(server)).tokenize(['the cat']));
      expect(error.kind).toBe('input');
      expect(error.message).toContain(`HTTP ${status}`);
      expect(server.requests).toHaveLength(1);
    });

    it('cancels the request in flight when the signal aborts', async () => {
      const server = await serve([{ kind: 'delay', ms: 30_000 }]);
      const backend = await backendFor(server, { timeoutMs: 60_000 });
      const controller = new AbortController();
      const pending = backend.tokenize(['the cat'], controller.signal);
      while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      controller.abort();
      expect((await rejection(pending)).kind).toBe('interrupted');
    });

    it('sends the key from the environment and keeps it out of errors and logs', async () => {
      const key = 'sk-conformance-secret-42';
      process.env.KOLMO_CONFORMANCE_KEY = key;
      try {
        const good = await serve([], key);
        const logs: string[] = [];
        const [tokenized] = await (await backendFor(good, { apiKeyEnv: 'KOLMO_CONFORMANCE_KEY' }, logs)).tokenize(['the cat']);
        expect(tokenized.ids.length).toBeGreaterThan(0);
        expect(good.requests[0].headers.authorization).toBe(`Bearer ${key}`);
        const bad = await serve([{ kind: 'status', status: 500 }], 'other');
        const error = await rejection((await backendFor(bad, { apiKeyEnv: 'KOLMO_CONFORMANCE_KEY' }, logs)).tokenize(['the cat']));
        expect(error.message).toContain('HTTP 401');
        for (const text of [error.message, ...logs]) expect(text).not.toContain(key);
      } finally {
        delete process.env.KOLMO_CONFORMANCE_KEY;
      }
    });
  });
}
