import { afterEach, describe, expect, it } from 'vitest';
import { buildBackend, describeBackendConformance, expectedLogProbs, startFakeLlmServer, type FakeLlmServer } from '@kolmo/llm-http/testing';
import { sglangBackend } from './sglang-backend.ts';

describeBackendConformance({ describe, it, expect, afterEach }, { protocol: 'sglang', descriptor: sglangBackend, scorePath: '/generate', bosContext: true });

describe('sglang backend specifics', () => {
  let server: FakeLlmServer | undefined;
  afterEach(async () => server?.close());

  it('sends input_ids with logprob_start_len 0 and returns the top k ids in order', async () => {
    server = await startFakeLlmServer({ protocol: 'sglang' });
    const backend = await buildBackend(sglangBackend, { baseUrl: server.url, model: 'fake-model', topK: 3 });
    expect(backend.identity.id).toBe('sglang:fake-model@unknown');
    const ids = Int32Array.from([0, ...server.model.tokenize('the cat sat on the mat').ids]);
    const [scored] = await backend.scoreTokens([{ ids, scoreFrom: 2 }]);
    expect(Array.from(scored.logProbs)).toEqual(Array.from(expectedLogProbs(server.model, ids, 2)));
    for (let i = 2; i < ids.length; i++) {
      const top = server.model.topK(ids[i - 1], 3);
      expect(Array.from(scored.topIds!.subarray((i - 2) * 3, (i - 1) * 3))).toEqual(top.map((t) => t.id));
      expect(Array.from(scored.topLogProbs!.subarray((i - 2) * 3, (i - 1) * 3))).toEqual(top.map((t) => t.logProb));
    }
    expect(server.requests[0].body).toMatchObject({ input_ids: Array.from(ids), return_logprob: true, logprob_start_len: 0, top_logprobs_num: 3 });
  });
});

describe('sglang backend config', () => {
  it('requires exactly one of baseUrl and baseUrls when the spec is validated', () => {
    const result = sglangBackend.config.safeParse({ model: 'm' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ['baseUrl'], message: expect.stringContaining('exactly one') });
    expect(sglangBackend.config.safeParse({ model: 'm', baseUrl: 'http://a', baseUrls: ['http://b'] }).success).toBe(false);
    expect(sglangBackend.config.parse({ model: 'm', baseUrls: ['http://a', 'http://b'] })).toMatchObject({ timeoutMs: 60_000, concurrency: 8, maxRetries: 5 });
  });
});
