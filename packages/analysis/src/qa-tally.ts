import type { QaProbe } from '@kolmo/generator';
import type { QaAnswer } from './qa-scoring.ts';

/** guess: answer() without abstaining; abstain: answer() allowed to abstain; bits: the fewest-bits candidate. */
export type QaMode = 'guess' | 'abstain' | 'bits';

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

/** Rates of a group of probes with their binomial standard errors, under a column prefix. */
function rateColumns(prefix: string, counts: Counts): Record<string, number> {
  const n = counts.probes;
  const rate = (k: number) => (n > 0 ? k / n : NaN);
  const se = (k: number) => (n > 0 ? Math.sqrt((rate(k) * (1 - rate(k))) / n) : NaN);
  return {
    [`${prefix}probes`]: n,
    [`${prefix}accuracy`]: rate(counts.correct),
    [`${prefix}accuracy_se`]: se(counts.correct),
    [`${prefix}hallucination_rate`]: rate(counts.wrong),
    [`${prefix}hallucination_rate_se`]: se(counts.wrong),
    [`${prefix}abstention_rate`]: rate(counts.abstained),
    [`${prefix}chance`]: n > 0 ? counts.chance / n : NaN,
  };
}

/**
 * Per frequency bin: accuracy, hallucination rate (answered and wrong), abstention rate, the chance level
 * (mean of max_v G0(v) = 2^log2ChanceCorrect over the bin's probes), over all probes, over those the predictor
 * does not know (`unknown_`, where it abstains when allowed; answer() only) and over those about individuals
 * never seen in training (`unseen_`); `seen_probes` counts the rest.
 */
export function qaRows(
  probes: readonly QaProbe[],
  answers: readonly QaAnswer[],
  unknown: readonly boolean[] | undefined,
  trainCount: (probe: QaProbe) => number,
): { bin: number; columns: Record<string, number> }[] {
  const bins = new Map<number, { all: Counts; unknown: Counts; unseen: Counts }>();
  probes.forEach((probe, i) => {
    let group = bins.get(probe.bin);
    if (!group) bins.set(probe.bin, (group = { all: emptyCounts(), unknown: emptyCounts(), unseen: emptyCounts() }));
    addTo(group.all, probe, answers[i]);
    if (unknown?.[i]) addTo(group.unknown, probe, answers[i]);
    if (trainCount(probe) === 0) addTo(group.unseen, probe, answers[i]);
  });
  return [...bins.keys()]
    .sort((a, b) => a - b)
    .map((bin) => {
      const group = bins.get(bin)!;
      return {
        bin,
        columns: {
          ...rateColumns('', group.all),
          seen_probes: group.all.probes - group.unseen.probes,
          ...(unknown ? rateColumns('unknown_', group.unknown) : {}),
          ...rateColumns('unseen_', group.unseen),
        },
      };
    });
}
