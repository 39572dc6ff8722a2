/**
 * HTTP log-prob backend throughput: the sglang backend (client: cockatiel policies, least-busy routing, response
 * checks) against the loopback fake server (its own process) with a fixed latency. With concurrency c and latency L the ideal is
 * c / L requests per second; the ratio achieved/ideal is printed (goal ≥ 0.9). Then, with no latency and one
 * request at a time, the wall time per request (client + server + loopback) and the client process's CPU time
 * per request, next to a bare fetch loop sending the same request: the difference is the client's own overhead.
 *
 *   npx tsx tools/bench/src/llm-http.bench.ts [--requests 2000] [--latency 50] [--concurrency 16] [--tokens 64]
 */
import { fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { buildBackend } from '@kolmo/llm-http/testing';
import { sglangBackend } from '@kolmo/plugin-llm-sglang';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const requests = Number(args.get('requests') ?? 2000);
const latencyMs = Number(args.get('latency') ?? 50);
const concurrency = Number(args.get('concurrency') ?? 16);
const tokens = Number(args.get('tokens') ?? 64);

async function withServer<T>(latency: number, use: (url: string) => Promise<T>): Promise<T> {
  const child = fork(join(import.meta.dirname, 'llm-fake-server.child.ts'), ['sglang', String(latency)], { execArgv: ['--import', 'tsx'] });
  const server = await new Promise<{ url: string }>((resolve) => child.once('message', (m) => resolve(m as { url: string })));
  try {
    return await use(server.url);
  } finally {
    child.send('close');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

/** The same request as the backend sends, as a bare fetch loop: what the HTTP stack alone costs. */
function bareFetch(count: number) {
  return withServer(0, async (url) => {
    const body = JSON.stringify({
      input_ids: [0, ...Array.from({ length: tokens - 1 }, (_, i) => (i % 50) + 1)],
      sampling_params: { max_new_tokens: 0, temperature: 0 },
      return_logprob: true,
      logprob_start_len: 0,
      top_logprobs_num: 0,
      return_text_in_logprobs: false,
    });
    const post = async () => JSON.parse(await (await fetch(`${url}/generate`, { method: 'POST', body, headers: { 'content-type': 'application/json' } })).text()) as unknown;
    for (let i = 0; i < 16; i++) await post();
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < count; i++) await post();
    const used = process.cpuUsage(cpu);
    return { seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
  });
}

function measure(latency: number, parallel: number, count: number) {
  return withServer(latency, async (url) => {
    const server = { url };
    const backend = await buildBackend(sglangBackend, { baseUrl: server.url, model: 'fake-model', concurrency: parallel, maxContextTokens: 4096 });
    const text = 'the cat sat on the mat and the cat sat on the mat — 日本語 😀 '.repeat(8);
    const [tokenized] = await backend.tokenize([text]);
    const ids = Int32Array.from([0, ...tokenized.ids.subarray(0, tokens - 1)]);
    const batch = Array.from({ length: count }, () => ({ ids, scoreFrom: 1 }));
    await backend.scoreTokens(batch.slice(0, parallel)); // warm up connections and JIT
    const cpu = process.cpuUsage();
    const started = performance.now();
    const scored = await backend.scoreTokens(batch);
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    if (scored.length !== count || scored.some((s) => s.logProbs.length !== ids.length - 1)) throw new Error('wrong result count');
    return { seconds, cpuSeconds: (used.user + used.system) / 1e6 };
  });
}

console.log(`llm-http benchmark: sglang backend → loopback fake server, ${tokens} tokens per request; load average ${loadavg()[0].toFixed(1)}`);
const loaded = await measure(latencyMs, concurrency, requests);
const achieved = requests / loaded.seconds;
const ideal = concurrency / (latencyMs / 1000);
console.log(`latency ${latencyMs} ms, concurrency ${concurrency}, ${requests} requests: ${loaded.seconds.toFixed(2)} s`);
console.log(`  throughput ${achieved.toFixed(1)} req/s (${(achieved * tokens).toFixed(0)} tokens/s); ideal ${ideal.toFixed(1)} req/s; ratio ${(achieved / ideal).toFixed(3)} (goal ≥ 0.9)`);
console.log(`  CPU ${((loaded.cpuSeconds / requests) * 1000).toFixed(3)} ms per request (client process)`);
const serial = Math.min(requests, 500);
const bare = await measure(0, 1, serial);
const baseline = await bareFetch(serial);
const perRequest = (x: { seconds: number; cpuSeconds: number }) => `wall ${((x.seconds / serial) * 1000).toFixed(3)} ms, client CPU ${((x.cpuSeconds / serial) * 1000).toFixed(3)} ms`;
console.log(`no latency, one at a time, ${serial} requests, per request:`);
console.log(`  backend    ${perRequest(bare)}`);
console.log(`  bare fetch ${perRequest(baseline)}`);
console.log(`  client overhead beyond fetch: ${(((bare.cpuSeconds - baseline.cpuSeconds) / serial) * 1000).toFixed(3)} ms CPU per request`);
