/**
 * Log-spaced frequency bins, the same convention as the generator's QA probes (`qaProbes`): with m bins per
 * decade, bin b holds frequencies in [10^{−(b+1)/m}, 10^{−b/m}), so bin 0 is the most frequent decade
 * (or m-th of one) and the bin number grows as elements get rarer.
 */
export interface FrequencyBin {
  readonly bin: number;
  readonly low: number;
  readonly high: number;
  /** Geometric centre of the bin, 10^{−(b+½)/m}. */
  readonly centre: number;
}

export function frequencyBinOf(frequency: number, binsPerDecade: number): number {
  return Math.floor(-Math.log10(frequency) * binsPerDecade);
}

export function frequencyBin(bin: number, binsPerDecade: number): FrequencyBin {
  return {
    bin,
    low: 10 ** (-(bin + 1) / binsPerDecade),
    high: 10 ** (-bin / binsPerDecade),
    centre: 10 ** (-(bin + 0.5) / binsPerDecade),
  };
}

/** Columns every analysis row carries for its bin (names shared by the report's plots). */
export function binColumns(bin: number, binsPerDecade: number): Record<string, number> {
  const { low, high, centre } = frequencyBin(bin, binsPerDecade);
  return { frequency_bin: bin, frequency_low: low, frequency_high: high, frequency: centre };
}
