import { KolmoError, type Predictor, type Tokenizer } from '@kolmo/core';
import { attributeCatalog } from '../biography/attribute-catalog.ts';
import { compileSentence } from '../biography/compiled-sentence.ts';
import { type QaProbe, type QaProbeSet } from '../qa-probes.ts';
import { type SyntaxKnowledgeSource } from '../syntax-knowledge-source.ts';

/** How a predictor answered one probe: a value index, or null (abstained). */
export type QaAnswer = number | null;

/** What the SK predictors offer for QA (theory §5): the stored value, a G0 guess, or null when abstaining. */
export interface AnsweringPredictor extends Predictor {
  answer(probe: Pick<QaProbe, 'element' | 'attribute'>, options?: { abstain?: boolean }): QaAnswer;
}

export function canAnswer(predictor: Predictor): predictor is AnsweringPredictor {
  return typeof (predictor as Partial<AnsweringPredictor>).answer === 'function';
}

/** Answers every probe by the predictor's own `answer`, guessing or abstaining. */
export function answerProbes(predictor: AnsweringPredictor, probes: readonly QaProbe[], abstain: boolean): QaAnswer[] {
  return probes.map((probe) => predictor.answer(probe, { abstain }));
}

/** Texts per evaluate call when scoring candidates (a batch of whole documents). */
const candidatesPerBatch = 2048;
/** Document ids of probe texts start here, far from the corpus's, so models that reset per document see new documents. */
const probeDocumentBase = 1 << 30;

/**
 * Answers probes the way an LLM is scored (theory §5): every candidate value v of the attribute is appended to the
 * statement prefix ("Ada Lovelace was born in " + v + ".") and scored by the predictor's `evaluate` (no
 * learning); the answer is the candidate with the fewest bits over its own tokens and the rest of the
 * sentence (so a value that is a prefix of another is not favoured), ties to the first. No sampling.
 * Needs a predictor with `evaluate` and a tokenizer that tokenizes arbitrary text (the slot-word tokenizer
 * does, for its vocabulary). The predictor may be asynchronous (an LLM backend scores the candidates).
 */
export async function answerByBits(
  predictor: Predictor,
  tokenizer: Tokenizer,
  source: SyntaxKnowledgeSource,
  set: QaProbeSet,
  name: string,
): Promise<QaAnswer[]> {
  const evaluate = predictor.evaluate;
  if (!evaluate) throw new KolmoError('input', `qa-probes: predictor "${name}" has neither answer() nor evaluate(), so it cannot be asked without learning`);
  const suffixes = source.attributeNames.map((attribute) => {
    const statement = compileSentence(attributeCatalog[attribute].cores[0], false);
    return statement.slots[0] === 'name' ? statement.chunks[2] : '';
  });
  let nextDocument = probeDocumentBase;
  const answers: QaAnswer[] = [];
  for (const probe of set.probes) {
    const candidates = set.candidates[probe.attribute];
    const prefix = probe.statementPrefix;
    // The candidate's first token carries the prefix's trailing space (the word grammar attaches it to the word after).
    const boundary = prefix.endsWith(' ') ? prefix.length - 1 : prefix.length;
    let best = -1;
    let bestBits = Infinity;
    for (let from = 0; from < candidates.length; from += candidatesPerBatch) {
      const texts = candidates.slice(from, from + candidatesPerBatch).map((value) => prefix + value + suffixes[probe.attribute]);
      const first = nextDocument;
      nextDocument += texts.length;
      const tokens = tokenizer.tokenize({ first, text: texts, columns: {} });
      const bits = await evaluate.call(predictor, tokens);
      const total = new Float64Array(texts.length);
      for (let i = 0; i < tokens.length; i++) if (tokens.end[i] > boundary) total[tokens.doc[i] - first] += bits[i];
      for (let j = 0; j < texts.length; j++) {
        if (total[j] < bestBits) {
          bestBits = total[j];
          best = from + j;
        }
      }
    }
    answers.push(best);
  }
  return answers;
}
