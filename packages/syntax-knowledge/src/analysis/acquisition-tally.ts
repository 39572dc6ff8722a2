import { binColumns } from '@kolmo/analysis';

/** Running sums of one frequency bin: documents, the oracle's bits, and each predictor's bits and acquisitions. */
interface BinSums {
  documents: number;
  frequency: number;
  /** The first document's frequency: exact for an injected group, whose documents all share f/K. */
  firstFrequency: number;
  oracleKnowledge: number;
  oracleSyntax: number;
  readonly knowledge: Float64Array;
  readonly syntax: Float64Array;
  readonly acquired: Float64Array;
  readonly recalled: Float64Array;
}

/**
 * Knowledge acquisition by frequency bin (theory §5): for every document added, its bin (by the true weight π of
 * its element), the oracle's knowledge and syntax bits and, per predictor, its knowledge-slot and syntax-slot
 * bits and whether it is "acquired": knowledge bits within `threshold` bits of the oracle's; and "recalled":
 * value-slot bits within `threshold` of the oracle's (the predictor already knows the facts the document
 * states — the per-document analogue of answering a QA probe about them).
 * A negative bin −g stands for the documents about injected individuals of group g (theory §5 (b)): their rows
 * have `scope: injected`, `injected: g` and `frequency` = their true frequency f_g/K_g, and count exposures
 * from the start of the phase that injects them.
 */
export class AcquisitionTally {
  private readonly bins = new Map<number, BinSums>();
  readonly predictors: readonly string[];
  private readonly binsPerDecade: number;
  private readonly threshold: number;
  private total = 0;

  constructor(predictors: readonly string[], binsPerDecade: number, threshold: number) {
    this.predictors = predictors;
    this.binsPerDecade = binsPerDecade;
    this.threshold = threshold;
  }

  /** Documents added since the last reset. */
  get documents(): number {
    return this.total;
  }

  /** One document: its bin and frequency, the oracle's bits, and each predictor's bits (in `predictors` order). */
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
    let sums = this.bins.get(bin);
    if (!sums) {
      this.bins.set(bin, (sums = emptySums(this.predictors.length)));
      sums.firstFrequency = frequency;
    }
    sums.documents++;
    sums.frequency += frequency;
    sums.oracleKnowledge += oracleKnowledge;
    sums.oracleSyntax += oracleSyntax;
    for (let p = 0; p < this.predictors.length; p++) {
      sums.knowledge[p] += knowledge[p];
      sums.syntax[p] += syntax[p];
      if (knowledge[p] - oracleKnowledge <= this.threshold) sums.acquired[p]++;
      if (value[p] - oracleValue <= this.threshold) sums.recalled[p]++;
    }
    this.total++;
  }

  /**
   * One row per bin (most frequent first) and predictor (`scope: bin`), one per injected group (`scope:
   * injected`, exposures counted over `injectedStep` documents), then one per predictor over all documents
   * (`scope: all`, no bin columns): means per document, and the fractions acquired and recalled. `base` columns
   * lead every row.
   */
  rows(base: Readonly<Record<string, number | string>>, step: number, injectedStep = step): Record<string, number | string>[] {
    const rows: Record<string, number | string>[] = [];
    const P = this.predictors.length;
    const all = emptySums(P);
    const keys = [...this.bins.keys()];
    const order = [...keys.filter((bin) => bin >= 0).sort((a, b) => a - b), ...keys.filter((bin) => bin < 0).sort((a, b) => b - a)];
    for (const bin of order) {
      const sums = this.bins.get(bin)!;
      if (bin >= 0) rows.push(...this.summary(sums, { ...base, scope: 'bin', ...binColumns(bin, this.binsPerDecade) }, step));
      else rows.push(...this.summary(sums, { ...base, scope: 'injected', injected: -bin, frequency: sums.firstFrequency }, injectedStep, sums.firstFrequency));
      all.documents += sums.documents;
      all.frequency += sums.frequency;
      all.oracleKnowledge += sums.oracleKnowledge;
      all.oracleSyntax += sums.oracleSyntax;
      for (let p = 0; p < P; p++) {
        all.knowledge[p] += sums.knowledge[p];
        all.syntax[p] += sums.syntax[p];
        all.acquired[p] += sums.acquired[p];
        all.recalled[p] += sums.recalled[p];
      }
    }
    if (all.documents > 0) rows.push(...this.summary(all, { ...base, scope: 'all' }, step));
    return rows;
  }

  private summary(sums: BinSums, lead: Readonly<Record<string, number | string>>, step: number, frequency = sums.frequency / sums.documents): Record<string, number | string>[] {
    const n = sums.documents;
    return this.predictors.map((predictor, p) => ({
      ...lead,
      predictor,
      mean_frequency: frequency,
      expected_exposures: step * frequency,
      bin_documents: n,
      knowledge_bits: sums.knowledge[p] / n,
      oracle_knowledge_bits: sums.oracleKnowledge / n,
      excess_knowledge_bits: (sums.knowledge[p] - sums.oracleKnowledge) / n,
      fraction_acquired: sums.acquired[p] / n,
      fraction_recalled: sums.recalled[p] / n,
      syntax_bits: sums.syntax[p] / n,
      oracle_syntax_bits: sums.oracleSyntax / n,
      excess_syntax_bits: (sums.syntax[p] - sums.oracleSyntax) / n,
    }));
  }

  reset(): void {
    this.bins.clear();
    this.total = 0;
  }
}

function emptySums(predictors: number): BinSums {
  const P = predictors;
  return { documents: 0, frequency: 0, firstFrequency: 0, oracleKnowledge: 0, oracleSyntax: 0, knowledge: new Float64Array(P), syntax: new Float64Array(P), acquired: new Float64Array(P), recalled: new Float64Array(P) };
}
