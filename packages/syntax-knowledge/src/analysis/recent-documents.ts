import type { AcquisitionTally } from './acquisition-tally.ts';

/**
 * The last W documents' bins, frequencies and bits (a ring buffer), so a checkpoint can summarise exactly the
 * W documents before it whenever it comes — also the end of a run whose length was not known in advance.
 */
export class RecentDocuments {
  private readonly capacity: number;
  private readonly predictors: number;
  private readonly bin: Int32Array;
  private readonly frequency: Float64Array;
  private readonly oracleKnowledge: Float64Array;
  private readonly oracleSyntax: Float64Array;
  private readonly oracleValue: Float64Array;
  private readonly knowledge: Float64Array;
  private readonly syntax: Float64Array;
  private readonly value: Float64Array;
  private next = 0;
  private size = 0;

  constructor(capacity: number, predictors: number) {
    this.capacity = capacity;
    this.predictors = predictors;
    this.bin = new Int32Array(capacity);
    this.frequency = new Float64Array(capacity);
    this.oracleKnowledge = new Float64Array(capacity);
    this.oracleSyntax = new Float64Array(capacity);
    this.oracleValue = new Float64Array(capacity);
    this.knowledge = new Float64Array(capacity * predictors);
    this.syntax = new Float64Array(capacity * predictors);
    this.value = new Float64Array(capacity * predictors);
  }

  /** One document, with the arguments of AcquisitionTally.add. */
  add(
    bin: number,
    frequency: number,
    oracleKnowledge: number,
    oracleSyntax: number,
    knowledge: ArrayLike<number>,
    syntax: ArrayLike<number>,
    oracleValue: number,
    value: ArrayLike<number>,
  ): void {
    const i = this.next;
    this.bin[i] = bin;
    this.frequency[i] = frequency;
    this.oracleKnowledge[i] = oracleKnowledge;
    this.oracleSyntax[i] = oracleSyntax;
    this.oracleValue[i] = oracleValue;
    for (let p = 0; p < this.predictors; p++) {
      this.knowledge[i * this.predictors + p] = knowledge[p];
      this.syntax[i * this.predictors + p] = syntax[p];
      this.value[i * this.predictors + p] = value[p];
    }
    this.next = (i + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  /** Adds the documents held (oldest first) to a tally. */
  addTo(tally: AcquisitionTally): void {
    const P = this.predictors;
    for (let j = 0; j < this.size; j++) {
      const i = (this.next - this.size + j + this.capacity) % this.capacity;
      const own = (array: Float64Array) => array.subarray(i * P, (i + 1) * P);
      tally.add(this.bin[i], this.frequency[i], this.oracleKnowledge[i], this.oracleSyntax[i], own(this.knowledge), own(this.syntax), this.oracleValue[i], own(this.value));
    }
  }
}
