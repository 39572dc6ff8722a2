import type { Rng } from '@kolmo/core';
import { attributeCatalog } from './biography/attribute-catalog.ts';
import { compileSentence } from './biography/compiled-sentence.ts';
import type { SyntaxKnowledgeSource } from './syntax-knowledge-source.ts';

/** A question about one attribute of one individual, with its true answer among all candidate values. */
export interface QaProbe {
  readonly element: number;
  readonly attribute: number;
  readonly attributeName: string;
  readonly name: string;
  /** "Where was Ada Lovelace born?" */
  readonly question: string;
  /** The question and one space: a candidate answer follows it directly (`prefix + candidate`). */
  readonly prefix: string;
  /** The attribute's first template up to its value, e.g. "Ada Lovelace was born in " — what an SK-trained model completes. */
  readonly statementPrefix: string;
  readonly answer: string;
  /** The answer's index in `QaProbeSet.candidates[attribute]` (= the element's value index). */
  readonly answerIndex: number;
  /** True weight π of the individual (NaN for a prior without true weights). */
  readonly weight: number;
  /** The frequency the bins use: the true weight, or the empirical rate count/documents without one. */
  readonly frequency: number;
  readonly bin: number;
  /** Documents about the individual so far, and those that stated this attribute. */
  readonly count: number;
  readonly attributeCount: number;
  readonly firstDocument: number;
  /** log2 G0(answer): a guess from G0 is right with this probability (theory §5). */
  readonly log2ChanceCorrect: number;
}

export interface QaProbeBin {
  readonly bin: number;
  /** Frequencies in [low, high). */
  readonly low: number;
  readonly high: number;
  /** Individuals seen so far in this bin (before sampling `perBin`). */
  readonly individuals: number;
}

/** Plain data (JSON-serialisable) for the hallucination experiment. */
export interface QaProbeSet {
  readonly documents: number;
  readonly attributes: readonly string[];
  /** The full candidate list of each attribute (every value G0 can give). */
  readonly candidates: readonly (readonly string[])[];
  readonly bins: readonly QaProbeBin[];
  readonly probes: readonly QaProbe[];
}

export interface QaProbeOptions {
  /** Draws which individuals of a bin are probed. */
  readonly rng: Rng;
  /** Individuals per frequency bin (at most; fewer where a bin has fewer). Default 20. */
  readonly perBin?: number;
  /** Log-spaced bins per factor of 10 in frequency. Default 1. */
  readonly binsPerDecade?: number;
  /** Attribute indices asked about for each chosen individual. Default: all. */
  readonly attributes?: readonly number[];
}

/**
 * QA probes for individuals seen so far, spread over log-spaced frequency bins (bin b holds frequencies in
 * [10^{−(b+1)/m}, 10^{−b/m}) for m bins per decade): up to `perBin` individuals drawn uniformly in each bin,
 * each asked about every requested attribute.
 */
export function qaProbes(source: SyntaxKnowledgeSource, options: QaProbeOptions): QaProbeSet {
  const perBin = options.perBin ?? 20;
  const binsPerDecade = options.binsPerDecade ?? 1;
  const attributes = options.attributes ?? source.attributeNames.map((_, a) => a);
  const documents = source.documents;
  const frequencyOf = (element: number) => {
    const weight = source.weight(element);
    return Number.isNaN(weight) ? source.count(element) / Math.max(1, documents) : weight;
  };
  const members = new Map<number, number[]>();
  for (let element = 0; element < source.elements; element++) {
    const bin = Math.floor(-Math.log10(frequencyOf(element)) * binsPerDecade);
    let list = members.get(bin);
    if (!list) members.set(bin, (list = []));
    list.push(element);
  }
  const statements = source.attributeNames.map((name) => compileSentence(attributeCatalog[name].cores[0], false));
  const bins: QaProbeBin[] = [];
  const probes: QaProbe[] = [];
  for (const bin of [...members.keys()].sort((a, b) => a - b)) {
    const list = members.get(bin)!;
    bins.push({ bin, low: 10 ** (-(bin + 1) / binsPerDecade), high: 10 ** (-bin / binsPerDecade), individuals: list.length });
    const chosen = Math.min(perBin, list.length);
    for (let i = 0; i < chosen; i++) {
      const j = i + options.rng.nextInt(list.length - i);
      [list[i], list[j]] = [list[j], list[i]];
    }
    for (const element of list.slice(0, chosen).sort((a, b) => a - b)) {
      const name = source.nameOf(element);
      for (const attribute of attributes) {
        const definition = attributeCatalog[source.attributeNames[attribute]];
        const answerIndex = source.valueOf(element, attribute);
        const question = definition.question.replace('{name}', name);
        const statement = statements[attribute];
        probes.push({
          element,
          attribute,
          attributeName: definition.name,
          name,
          question,
          prefix: question + ' ',
          statementPrefix: statement.chunks[0] + name + statement.chunks[1],
          answer: source.values[attribute][answerIndex],
          answerIndex,
          weight: source.weight(element),
          frequency: frequencyOf(element),
          bin,
          count: source.count(element),
          attributeCount: source.attributeCountOf(element, attribute),
          firstDocument: source.firstDocumentOf(element),
          log2ChanceCorrect: source.log2ValueProbability(attribute),
        });
      }
    }
  }
  return { documents, attributes: [...source.attributeNames], candidates: source.values, bins, probes };
}
