import type { QaProbe } from '../qa-probes.ts';
import type { QaAnswer } from './qa-scoring.ts';

/** guess: answer() without abstaining; abstain: answer() allowed to abstain; bits: the fewest-bits candidate. */
export type QaMode = 'guess' | 'abstain' | 'bits';

/**
 * Which probes a row summarises: all of a bin's; those about individuals the predictor does not know (it
 * abstains when allowed; answer() only); those never seen in training, and those seen.
 */
export type QaSubset = 'all' | 'unknown' | 'unseen' | 'seen';

interface Counts {
  probes: number;
  correct: number;
  wrong: number;
  abstained: number;
  chance: number;
}

const emptyCounts = (): Counts => ({ probes: 0, correct: 0, wrong: 0, abstained: 0, chance: 0 });

function addTo(counts: Counts, probe: QaProbe, answer: QaAnswer): void {
  counts.probes++;
  counts.chance += 2 ** probe.log2ChanceCorrect;
  if (answer === null) counts.abstained++;
  else if (answer === probe.answerIndex) counts.correct++;
  else counts.wrong++;
}

/** Rates of a group of probes with their binomial standard errors √(p(1 − p)/n). */
function rateColumns(counts: Counts): Record<string, number> {
  const n = counts.probes;
  const rate = (k: number) => k / n;
  const se = (k: number) => Math.sqrt((rate(k) * (1 - rate(k))) / n);
  return {
    probes: n,
    correct: counts.correct,
    wrong: counts.wrong,
    abstained: counts.abstained,
    accuracy: rate(counts.correct),
    accuracy_se: se(counts.correct),
    hallucination_rate: rate(counts.wrong),
    hallucination_rate_se: se(counts.wrong),
    abstention_rate: rate(counts.abstained),
    chance: counts.chance / n,
  };
}

/**
 * Per frequency bin and subset of probes (non-empty ones only): accuracy, hallucination rate (answered and
 * wrong), abstention rate and the chance level (mean of max_v G0(v) = 2^log2ChanceCorrect over the probes),
 * with counts and binomial standard errors. `unknown` marks the probes where the predictor abstains (answer()
 * only; omit it otherwise).
 */
export function qaRows(
  probes: readonly QaProbe[],
  answers: readonly QaAnswer[],
  unknown: readonly boolean[] | undefined,
  trainCount: (probe: QaProbe) => number,
): { bin: number; subset: QaSubset; columns: Record<string, number> }[] {
  const bins = new Map<number, Record<QaSubset, Counts>>();
  probes.forEach((probe, i) => {
    let group = bins.get(probe.bin);
    if (!group) bins.set(probe.bin, (group = { all: emptyCounts(), unknown: emptyCounts(), unseen: emptyCounts(), seen: emptyCounts() }));
    addTo(group.all, probe, answers[i]);
    if (unknown?.[i]) addTo(group.unknown, probe, answers[i]);
    addTo(trainCount(probe) === 0 ? group.unseen : group.seen, probe, answers[i]);
  });
  const subsets: QaSubset[] = unknown ? ['all', 'unknown', 'unseen', 'seen'] : ['all', 'unseen', 'seen'];
  return [...bins.keys()]
    .sort((a, b) => a - b)
    .flatMap((bin) => subsets.filter((subset) => bins.get(bin)![subset].probes > 0).map((subset) => ({ bin, subset, columns: rateColumns(bins.get(bin)![subset]) })));
}
