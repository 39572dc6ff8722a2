/** The fake LLM server in its own process for the llm-http benchmark (so its CPU is not the client's). */
import { startFakeLlmServer, type FakeProtocol } from '@kolmo/llm-http/testing';

const server = await startFakeLlmServer({ protocol: (process.argv[2] ?? 'sglang') as FakeProtocol, latencyMs: Number(process.argv[3] ?? 0) });
process.send!({ url: server.url });
process.on('message', () => void server.close().then(() => process.exit(0)));
