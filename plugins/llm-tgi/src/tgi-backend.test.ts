import { afterEach, describe, expect, it } from 'vitest';
import { KolmoError } from '@kolmo/core';
import { buildBackend, describeBackendConformance, expectedLogProbs, startFakeLlmServer, type FakeLlmServer } from '@kolmo/llm-http/testing';
import { tgiBackend } from './tgi-backend.ts';

describeBackendConformance({ describe, it, expect, afterEach }, { protocol: 'tgi', descriptor: tgiBackend, scorePath: '/generate', bosContext: false });

describe('tgi backend specifics', () => {
  let server: FakeLlmServer | undefined;
  afterEach(async () => server?.close());

  it('turns byte offsets into UTF-16 spans and sends windows as text, checked against the prefill ids', async () => {
    server = await startFakeLlmServer({ protocol: 'tgi' });
    const backend = await buildBackend(tgiBackend, { baseUrl: server.url, model: 'fake-model' });
    expect(backend.capabilities).toMatchObject({ distribution: 'token', bosTokenId: undefined });
    const text = 'ß日本😀 the cat';
    const [tokenized] = await backend.tokenize([text]);
    expect(Array.from(tokenized.start)).toEqual([0, 1, 3, 5, 9]);
    const [scored] = await backend.scoreTokens([{ ids: tokenized.ids.subarray(1), scoreFrom: 1 }]);
    expect(Array.from(scored.logProbs)).toEqual(Array.from(expectedLogProbs(server.model, tokenized.ids.subarray(1), 1)));
    expect(server.requests[1].body).toMatchObject({ inputs: '日本😀 the cat', parameters: { details: true, decoder_input_details: true } });
  });

  it('refuses ids it cannot turn into text before asking the server', async () => {
    server = await startFakeLlmServer({ protocol: 'tgi' });
    const backend = await buildBackend(tgiBackend, { baseUrl: server.url, model: 'fake-model' });
    const error = await backend.scoreTokens([{ ids: Int32Array.from([0, 5]), scoreFrom: 1 }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KolmoError);
    expect((error as KolmoError).message).toContain('did not come from this backend');
    expect(server.requests).toHaveLength(0);
  });
});
