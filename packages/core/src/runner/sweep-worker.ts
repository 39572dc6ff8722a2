// The entry of a sweep worker thread (see sweep-threads.ts): loads the spec once, then runs the points it is sent.
import { parentPort, workerData } from 'node:worker_threads';
import type { PluginSource } from '../plugins/plugin-loader.ts';
import { runSweepPoint } from './run-point.ts';
import { loadSpec } from './run-spec.ts';
import { ServiceScope } from './service-scope.ts';
import { serializeError, type FromWorker, type ToWorker } from './sweep-threads.ts';

const { specFile, builtins } = workerData as { specFile: string; builtins: PluginSource[] };
const port = parentPort!;
const send = (message: FromWorker) => port.postMessage(message);
const loading = loadSpec({ specFile, builtins });
let controller: AbortController | undefined;
// LLM backends shared by the points this thread runs; they end with the thread.
const services = new ServiceScope();

port.on('message', (message: ToWorker) => {
  if (message.type === 'abort') {
    controller?.abort();
    return;
  }
  controller = new AbortController();
  const { signal } = controller;
  void (async () => {
    try {
      const loaded = await loading;
      const result = await runSweepPoint(loaded, message.request, {
        signal,
        log: { info: (m) => send({ type: 'log', level: 'info', message: m }), warn: (m) => send({ type: 'log', level: 'warn', message: m }) },
        onProgress: (progress) => send({ type: 'progress', progress }),
        services,
      });
      send({ type: 'done', result });
    } catch (error) {
      send({ type: 'failed', error: serializeError(error) });
    }
  })();
});
