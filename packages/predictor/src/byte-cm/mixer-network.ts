import { squashLookup } from './logistic.ts';

/**
 * A first-layer mixer whose probability is already within 128/4096 of the outcome skips its weight update:
 * it saves time on the many easy bits and, measured on text, even codes slightly better (less noise).
 */
const settledMiss = 128;
/** Stretched-domain outputs of a mixer are clamped to this, like its inputs. */
const stretchLimit = 2047;
/** Weights are 16.16 fixed point: a dot product over 2^16 is back in the stretched domain. */
const weightScale = 1 / 65536;

/**
 * Two layers of gated logistic mixing (a small neural network in the stretched domain). Each first-layer
 * mixer i computes p_i = squash(Σ_k w_ik·x_k) with its weight vector chosen by its own small context (the
 * bits of the byte so far, how many context orders have been seen, …); the second layer mixes the stretched
 * p_i the same way with one more selected weight vector. Every mixer learns online by gradient descent on
 * coding cost, w += η·(y − p)·x, with a learning rate that starts at three times `rate` and decays to it as
 * the model settles. Integer arithmetic only: 16.16 weights, stretched 12-bit inputs, sums below 2^53,
 * scaling by powers of two.
 */
export class MixerNetwork {
  /** The inputs of the next prediction, written in place by the model (stretched 12-bit probabilities). */
  readonly inputs: Int32Array;
  private readonly width: number;
  private readonly layers: number;
  /** Every first-layer weight vector, layer after layer; `selected[m]` is where mixer m's chosen one starts. */
  private readonly weights: Int32Array;
  private readonly layerStarts: Int32Array;
  private readonly selected: Int32Array;
  /** Per first-layer mixer: its stretched output (a second-layer input) and its 12-bit probability. */
  private readonly hidden: Int32Array;
  private readonly hiddenP: Int32Array;
  private readonly finalWeights: Int32Array;
  private finalOffset = 0;
  private probability = 2048;
  private readonly rate: number;
  private readonly finalRate: number;
  private boost: number;
  private updates = 0;

  /**
   * @param width inputs per prediction
   * @param selectorSizes for each first-layer mixer, how many weight vectors its context selects among
   * @param finalContexts how many weight vectors the second layer selects among
   * @param rate first-layer learning rate η in units of 2^−14 (per 12-bit error and stretched input)
   * @param finalRate the second layer's
   */
  constructor(width: number, selectorSizes: readonly number[], finalContexts: number, rate: number, finalRate: number) {
    this.width = width;
    this.layers = selectorSizes.length;
    this.inputs = new Int32Array(width);
    this.layerStarts = new Int32Array(this.layers);
    let size = 0;
    selectorSizes.forEach((contexts, m) => {
      this.layerStarts[m] = size;
      size += contexts * width;
    });
    this.weights = new Int32Array(size).fill(65536 >> 3);
    this.selected = Int32Array.from(this.layerStarts);
    this.hidden = new Int32Array(this.layers);
    this.hiddenP = new Int32Array(this.layers);
    this.finalWeights = new Int32Array(finalContexts * this.layers).fill(Math.floor(65536 / this.layers));
    this.rate = rate;
    this.finalRate = finalRate;
    this.boost = 2 * rate;
  }

  /** Chooses the weight vector of first-layer mixer `mixer` by its context (in [0, selectorSizes[mixer])). */
  select(mixer: number, context: number): void {
    this.selected[mixer] = this.layerStarts[mixer] + context * this.width;
  }

  /** The 12-bit probability of a 1 from the current inputs; `finalContext` selects the second layer's weights. */
  mix(finalContext: number): number {
    const inputs = this.inputs;
    const n = this.width;
    const weights = this.weights;
    const selected = this.selected;
    const hidden = this.hidden;
    const hiddenP = this.hiddenP;
    const finalWeights = this.finalWeights;
    const layers = this.layers;
    const finalOffset = finalContext * layers;
    this.finalOffset = finalOffset;
    let finalDot = 0;
    for (let m = 0; m < layers; m++) {
      const offset = selected[m];
      // two running sums break the chain of additions; every term and partial sum is an integer below 2^53,
      // so the double arithmetic is exact and the order of the additions does not change the result
      let even = 0;
      let odd = 0;
      let i = 0;
      for (; i + 1 < n; i += 2) {
        even += inputs[i] * weights[offset + i];
        odd += inputs[i + 1] * weights[offset + i + 1];
      }
      if (i < n) even += inputs[i] * weights[offset + i];
      let x = ((even + odd) * weightScale) | 0;
      if (x > stretchLimit) x = stretchLimit;
      else if (x < -stretchLimit) x = -stretchLimit;
      hidden[m] = x;
      hiddenP[m] = squashLookup[x + 2048];
      finalDot += x * finalWeights[finalOffset + m];
    }
    let final = (finalDot * weightScale) | 0;
    if (final > stretchLimit) final = stretchLimit;
    else if (final < -stretchLimit) final = -stretchLimit;
    const probability = squashLookup[final + 2048];
    this.probability = probability;
    return probability;
  }

  update(bit: number): void {
    const inputs = this.inputs;
    const n = this.width;
    const weights = this.weights;
    const selected = this.selected;
    const hidden = this.hidden;
    const hiddenP = this.hiddenP;
    const finalWeights = this.finalWeights;
    const layers = this.layers;
    const finalOffset = this.finalOffset;
    const target = bit << 12;
    const finalError = (target - this.probability) * this.finalRate;
    const rate = this.rate + this.boost;
    for (let m = 0; m < layers; m++) {
      finalWeights[finalOffset + m] += (hidden[m] * finalError) >> 14;
      const miss = target - hiddenP[m];
      if (miss < settledMiss && miss > -settledMiss) continue;
      const error = miss * rate;
      const offset = selected[m];
      for (let i = 0; i < n; i++) weights[offset + i] += (inputs[i] * error) >> 14;
    }
    // the extra rate halves over the first 2^16 updates (8 KiB of input), then keeps shrinking
    if ((++this.updates & 1023) === 0) this.boost = Math.floor((2 * this.rate * 65536) / (65536 + this.updates));
  }
}
