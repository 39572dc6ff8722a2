import { KolmoError } from '@kolmo/core';
import type { LogitsEngine } from '@kolmo/llm-inproc';
import * as ort from 'onnxruntime-node';

/**
 * An ONNX causal LM (input int64 ids [batch, length] → float32 logits [batch, length, vocabulary], as
 * tools/train-lm exports it) in ONNX Runtime on the CPU, with one intra-op and one inter-op thread and
 * sequential execution: the same ids give the same logits bit for bit, which range coding needs.
 * Sequences of one call are batched, right-padded to the longest with id 0: a causal model's logits at a
 * position never see later positions, so padding changes nothing before it.
 */
export class OnnxEngine implements LogitsEngine {
  readonly vocabularySize: number;
  private readonly session: ort.InferenceSession;
  private readonly input: string;
  private readonly output: string;

  private constructor(session: ort.InferenceSession, vocabularySize: number) {
    this.session = session;
    this.vocabularySize = vocabularySize;
    this.input = session.inputNames[0]!;
    this.output = session.outputNames[0]!;
  }

  static async load(path: string, vocabularySize: number, probeId: number): Promise<OnnxEngine> {
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(path, {
        executionProviders: ['cpu'],
        intraOpNumThreads: 1,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
      });
    } catch (error) {
      throw new KolmoError('input', `${path}: ONNX Runtime cannot load this model (${(error as Error).message.split('\n')[0]})`, { cause: error });
    }
    if (session.inputNames.length !== 1 || session.outputNames.length < 1) {
      await session.release();
      throw new KolmoError('input', `${path}: expected one input (token ids) and a logits output, found inputs [${session.inputNames}] and outputs [${session.outputNames}]`);
    }
    const engine = new OnnxEngine(session, vocabularySize);
    // One token through the model: its logits must have the vocabulary's width, or model and vocabulary disagree.
    const { dims } = await engine.run([Int32Array.of(probeId)]);
    if (dims.length !== 3 || dims[2] !== vocabularySize) {
      await session.release();
      throw new KolmoError('input', `${path}: the model gives logits of shape [${dims}], but its vocabulary has ${vocabularySize} ids (the wrong vocabulary or card for this model?)`);
    }
    return engine;
  }

  async logits(sequences: readonly Int32Array[]): Promise<readonly Float32Array[]> {
    const { data, dims } = await this.run(sequences);
    const length = dims[1]!;
    const V = this.vocabularySize;
    return sequences.map((ids, b) => data.slice(b * length * V, (b * length + ids.length) * V));
  }

  close(): Promise<void> {
    return this.session.release();
  }

  private async run(sequences: readonly Int32Array[]): Promise<{ data: Float32Array; dims: readonly number[] }> {
    const length = Math.max(...sequences.map((ids) => ids.length));
    const ids = new BigInt64Array(sequences.length * length);
    sequences.forEach((sequence, b) => sequence.forEach((id, i) => (ids[b * length + i] = BigInt(id))));
    const results = await this.session.run({ [this.input]: new ort.Tensor('int64', ids, [sequences.length, length]) });
    const logits = results[this.output]!;
    if (logits.type !== 'float32') throw new KolmoError('input', `the ONNX model's output ${this.output} is ${logits.type}, expected float32 logits`);
    return { data: logits.data as Float32Array, dims: logits.dims };
  }
}
