import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures, kolmo } from './cli-harness.ts';

describe('kolmo plugins with the HTTP log-prob backends', () => {
  it('lists every adapter with its shared and own fields, defaults and descriptions', async () => {
    const { code, stdout } = await kolmo('plugins', '--spec', join(fixtures, 'llm-backend-plugins.yaml'), '--json');
    expect(code).toBe(0);
    const backends = (JSON.parse(stdout) as { kind: string; type: string; plugin: string; fields: { name: string; default?: unknown; description?: string }[] }[]).filter(
      (stage) => stage.kind === 'llm-backend',
    );
    expect(backends.map((b) => `${b.type} [${b.plugin}]`)).toEqual([
      'openai-compatible [@kolmo/plugin-llm-openai-compatible]',
      'llama-cpp-server [@kolmo/plugin-llm-openai-compatible]',
      'ollama [@kolmo/plugin-llm-openai-compatible]',
      'sglang [@kolmo/plugin-llm-sglang]',
      'tgi [@kolmo/plugin-llm-tgi]',
    ]);
    const openai = backends[0].fields;
    expect(openai.map((f) => f.name)).toEqual(expect.arrayContaining(['baseUrl', 'baseUrls', 'model', 'revision', 'apiKeyEnv', 'timeoutMs', 'concurrency', 'maxRetries', 'topK', 'flavour']));
    expect(openai.find((f) => f.name === 'flavour')?.default).toBe('vllm');
    expect(openai.find((f) => f.name === 'apiKeyEnv')?.description).toContain('environment variable');
    expect(backends[4].fields.map((f) => f.name)).not.toContain('topK');
  });
});
