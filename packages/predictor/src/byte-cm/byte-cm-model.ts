import { readFileSync } from 'node:fs';
import { apmIdentityKnots } from './apm.ts';
import { nextState, stateConfidence } from './bit-history.ts';
import { squashLookup, stretchLookup } from './logistic.ts';
import { initialMatchBeliefs } from './match-model.ts';
import { StateMap, stateMapRates } from './state-map.ts';

export interface ByteCmOptions {
  /** log2 of the bytes of the hashed bit-history table (24 = 16 MiB). */
  readonly memory: number;
  /** Context orders in 1..8 besides order 0 (always on): order 1 is a direct table, higher ones are hashed. */
  readonly orders: readonly number[];
  /** Whether to add the word contexts (the current word with the previous one, two, …). */
  readonly words: boolean;
  /** How many recent bytes the match model looks up (0 turns the match model off). */
  readonly matchMinLength: number;
}

export const defaultByteCmOptions: ByteCmOptions = { memory: 24, orders: [1, 2, 3, 4, 5, 6], words: true, matchMinLength: 8 };

/** Letters (ASCII, and any byte of a multi-byte UTF-8 character) make words; the rest separates them. */
export const isLetter: Uint8Array = Uint8Array.from({ length: 256 }, (_, c) => ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c >= 128 ? 1 : 0));

/** What assembly/byte-cm-core.ts exports. */
interface ByteCmCore {
  layout(memoryLog2: number, hashedOrderMask: number, order1: number, words: number, matchMinLength: number): void;
  region(which: number): number;
  start(): number;
  update(bit: number): number;
  bytesSeen(): number;
  evictionCount(): number;
  contexts(): number;
  memory: { readonly buffer: ArrayBuffer };
}

/** The part of Node's WebAssembly global used here (the project's type libraries do not declare it). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
}
const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

/** The core's tables, numbered as its `region` numbers them. */
const coreRegion = { stretch: 0, squash: 1, rates: 2, nextState: 3, confidence: 4, letters: 5, stateMaps: 6, matchBeliefs: 7, apm: 8 } as const;

/** Compiled once per process (4 KiB of code); every model is an instance of it with its own memory. */
let compiledCore: object | undefined;
function byteCmCore(): object {
  compiledCore ??= new webAssembly.Module(readFileSync(new URL('./byte-cm-core.wasm', import.meta.url)));
  return compiledCore;
}

/**
 * The byte-level context-mixing model. A byte is predicted as 8 binary decisions, most significant bit first.
 * Each context (orders 0..6, words) keeps a bit history per node of the byte's binary tree; a StateMap per
 * context turns the history into a probability; a two-layer mixer combines them with the match model's
 * prediction; an APM by order 1 refines the result. `p()` is the 12-bit probability that the next bit is 1,
 * in [1, 4095]; `update(bit)` learns from the bit and moves on. Integer arithmetic throughout, so two models
 * fed the same bits give the same probabilities on any platform.
 *
 * The per-bit work runs in WebAssembly (assembly/byte-cm-core.ts, built by `npm run build:wasm`), which does
 * exactly what ByteCmReferenceModel does in TypeScript, several times faster; this class lays out its memory
 * and fills it with the tables that the TypeScript components define.
 */
export class ByteCmModel {
  private readonly core: ByteCmCore;
  private readonly coreUpdate: (bit: number) => number;
  private probability: number;

  constructor(options: ByteCmOptions = defaultByteCmOptions) {
    const orders = [...new Set(options.orders)].sort((a, b) => a - b);
    for (const order of orders) {
      if (!Number.isInteger(order) || order < 1 || order > 8) throw new RangeError(`byte-cm: order ${order} is not in 1..8`);
    }
    if (!Number.isInteger(options.memory) || options.memory < 6 || options.memory > 28) {
      throw new RangeError(`byte-cm: memory ${options.memory} is not in 6..28 (log2 of the table's bytes)`);
    }
    if (!Number.isInteger(options.matchMinLength) || options.matchMinLength < 0 || options.matchMinLength > 65535) {
      throw new RangeError(`byte-cm: matchMinLength ${options.matchMinLength} is not a count of bytes`);
    }
    const core = new webAssembly.Instance(byteCmCore(), {}).exports as unknown as ByteCmCore;
    let hashedOrderMask = 0;
    for (const order of orders) if (order >= 2) hashedOrderMask |= 1 << order;
    core.layout(options.memory, hashedOrderMask, orders.includes(1) ? 1 : 0, options.words ? 1 : 0, options.matchMinLength);

    const buffer = core.memory.buffer;
    const at = (region: number) => core.region(region);
    new Int32Array(buffer, at(coreRegion.stretch), 4096).set(stretchLookup);
    new Int32Array(buffer, at(coreRegion.squash), 4096).set(squashLookup);
    new Int32Array(buffer, at(coreRegion.rates), 1024).set(stateMapRates);
    new Uint8Array(buffer, at(coreRegion.nextState), 512).set(nextState);
    new Uint8Array(buffer, at(coreRegion.confidence), 256).set(stateConfidence);
    new Uint8Array(buffer, at(coreRegion.letters), 256).set(isLetter);
    new Int32Array(buffer, at(coreRegion.stateMaps), core.contexts() * 256).set(StateMap.forBitHistories(core.contexts()).entries);
    new Int32Array(buffer, at(coreRegion.matchBeliefs), 128).set(initialMatchBeliefs().entries);
    const apm = new Uint16Array(buffer, at(coreRegion.apm), 65536 * 33);
    apm.set(apmIdentityKnots());
    for (let filled = 33; filled < apm.length; filled *= 2) apm.copyWithin(filled, 0, Math.min(filled, apm.length - filled));

    this.core = core;
    this.coreUpdate = core.update;
    this.probability = core.start();
  }

  /** The 12-bit probability (in [1, 4095]) that the next bit is 1. */
  p(): number {
    return this.probability;
  }

  /** Learns the bit just coded (the one `p()` was about) and predicts the next. */
  update(bit: number): void {
    this.probability = this.coreUpdate(bit);
  }

  /** Counts for `Predictor.statistics()`. */
  statistics(): Record<string, number> {
    return { bytes: this.core.bytesSeen(), contexts: this.core.contexts(), evictions: this.core.evictionCount() };
  }
}
