import { Rng, sampleCategorical, sampleDirichlet } from '@kolmo/core';

/** An order-1 Markov chain over V symbols with Dirichlet(concentration) transition rows (tests, benchmarks). */
export class MarkovSource {
  readonly size: number;
  /** transition[i * V + j] = P(j | i). */
  readonly transition: Float64Array;
  readonly stationary: Float64Array;

  constructor(rng: Rng, size: number, concentration: number) {
    this.size = size;
    this.transition = new Float64Array(size * size);
    const row = new Float64Array(size);
    const alpha = new Float64Array(size).fill(concentration);
    for (let i = 0; i < size; i++) {
      sampleDirichlet(rng, alpha, row);
      this.transition.set(row, i * size);
    }
    this.stationary = this.stationaryDistribution();
  }

  /** H = Σ_i π_i H(P(· | i)) in bits per symbol. */
  entropyRate(): number {
    let h = 0;
    for (let i = 0; i < this.size; i++)
      for (let j = 0; j < this.size; j++) {
        const p = this.transition[i * this.size + j];
        if (p > 0) h -= this.stationary[i] * p * Math.log2(p);
      }
    return h;
  }

  /** n symbols from the stationary start, with their true code lengths −log2 P(x_t | x_{t−1}) (−log2 π for the first). */
  sample(rng: Rng, n: number): { ids: Int32Array; trueBits: Float64Array } {
    const ids = new Int32Array(n);
    const trueBits = new Float64Array(n);
    let previous = -1;
    for (let t = 0; t < n; t++) {
      const weights = previous < 0 ? this.stationary : this.transition.subarray(previous * this.size, (previous + 1) * this.size);
      const x = sampleCategorical(rng, weights);
      ids[t] = x;
      trueBits[t] = -Math.log2(weights[x]);
      previous = x;
    }
    return { ids, trueBits };
  }

  private stationaryDistribution(): Float64Array {
    let pi = new Float64Array(this.size).fill(1 / this.size);
    for (let iteration = 0; iteration < 10_000; iteration++) {
      const next = new Float64Array(this.size);
      for (let i = 0; i < this.size; i++) for (let j = 0; j < this.size; j++) next[j] += pi[i] * this.transition[i * this.size + j];
      let change = 0;
      for (let j = 0; j < this.size; j++) change += Math.abs(next[j] - pi[j]);
      pi = next;
      if (change < 1e-15) break;
    }
    return pi;
  }
}
