import { Rng } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { KneserNeyModel } from './kneser-ney-model.ts';
import type { NgramModel, NgramShape } from './ngram-model.ts';
import { PitmanYorModel } from './pitman-yor-model.ts';
import { batchNgramReference } from './testing/batch-ngram-reference.ts';
import { MarkovSource } from './testing/markov-source.ts';

/** A Markov sequence cut into documents of random lengths 1 … 40. */
function documents(seed: number, size: number, length: number): { ids: Int32Array; docs: Int32Array } {
  const rng = new Rng(seed);
  const { ids } = new MarkovSource(rng.split('source'), size, 0.4).sample(rng.split('tokens'), length);
  const docs = new Int32Array(length);
  const cuts = rng.split('documents');
  for (let t = 0, doc = 0, left = 1 + cuts.nextInt(40); t < length; t++, left--) {
    if (left === 0) {
      doc++;
      left = 1 + cuts.nextInt(40);
    }
    docs[t] = doc;
  }
  return { ids, docs };
}

const methods: { name: string; make: (shape: NgramShape) => NgramModel }[] = [
  {
    name: 'Kneser–Ney, estimated discounts',
    make: (shape) => new KneserNeyModel({ ...shape, discounts: [0.5, 1, 1.5], estimateDiscounts: true }, { trackChildren: true }),
  },
  {
    name: 'Kneser–Ney, fixed discounts',
    make: (shape) => new KneserNeyModel({ ...shape, discounts: [0.7, 1.2, 2.9], estimateDiscounts: false }, { trackChildren: true }),
  },
  {
    name: 'Pitman–Yor, sampled seating',
    make: (shape) =>
      new PitmanYorModel(
        { ...shape, discounts: depths(shape, (j) => 0.5 + 0.1 * j), concentrations: depths(shape, (j) => 1 - 0.4 * j), seating: 'sampled' },
        { rng: new Rng(3), trackChildren: true },
      ),
  },
  {
    name: 'Pitman–Yor, minimal seating',
    make: (shape) =>
      new PitmanYorModel({ ...shape, discounts: depths(shape, () => 0.8), concentrations: depths(shape, () => 0), seating: 'minimal' }, { trackChildren: true }),
  },
  {
    name: 'Pitman–Yor, d = 0',
    make: (shape) =>
      new PitmanYorModel({ ...shape, discounts: depths(shape, () => 0), concentrations: depths(shape, () => 2), seating: 'sampled' }, { rng: new Rng(4), trackChildren: true }),
  },
];

function depths(shape: NgramShape, value: (j: number) => number): number[] {
  return Array.from({ length: shape.order + 1 }, (_, j) => value(j));
}

const shapes: NgramShape[] = [0, 1, 2, 3].flatMap((order) =>
  [true, false].map((resetAtDocument) => ({ vocabularySize: 5, order, resetAtDocument })),
);

describe('n-gram models', () => {
  it.each(methods)('$name: q(· | context) sums to 1 over the vocabulary at every position, and every symbol has q > 0', ({ make }) => {
    const { ids, docs } = documents(1, 5, 400);
    const problems: string[] = [];
    const q = new Float64Array(5);
    const full = new Float64Array(5);
    for (const shape of shapes) {
      const model = make(shape);
      for (let t = 0; t < ids.length; t++) {
        if (t === 0 || docs[t] !== docs[t - 1]) model.beginDocument();
        let sum = 0;
        for (let w = 0; w < 5; w++) sum += q[w] = model.probabilityOf(w);
        model.distribution(full);
        const where = `order ${shape.order}, reset ${shape.resetAtDocument}, t = ${t}`;
        if (Math.abs(sum - 1) > 1e-12) problems.push(`${where}: Σq = ${sum}`);
        for (let w = 0; w < 5; w++) {
          if (!(q[w] > 0)) problems.push(`${where}: q(${w}) = ${q[w]}`);
          if (Math.abs(full[w] - q[w]) > 1e-13 * q[w]) problems.push(`${where}: distribution() ${full[w]} ≠ ${q[w]}`);
        }
        // observe() predicts with the same arithmetic before it learns.
        const p = model.observe(ids[t]);
        if (p !== q[ids[t]]) problems.push(`${where}: observe ${p} ≠ probabilityOf ${q[ids[t]]}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('is normalised for a larger vocabulary too (V = 60, order 3)', () => {
    const { ids, docs } = documents(2, 60, 3000);
    for (const { make } of methods) {
      const model = make({ vocabularySize: 60, order: 3, resetAtDocument: true });
      const sums: number[] = [];
      for (let t = 0; t < ids.length; t++) {
        if (t === 0 || docs[t] !== docs[t - 1]) model.beginDocument();
        if (t % 50 === 0) {
          let sum = 0;
          for (let w = 0; w < 60; w++) sum += model.probabilityOf(w);
          sums.push(sum);
        }
        model.observe(ids[t]);
      }
      for (const sum of sums) expect(sum).toBeCloseTo(1, 12);
    }
  });

  describe('agree with a batch reference that recounts the prefix from scratch', () => {
    const { ids, docs } = documents(3, 4, 240);
    const cases = [
      { name: 'Kneser–Ney, estimated', smoothing: 'kneser-ney' as const, discounts: [0.5, 1, 1.5], estimateDiscounts: true },
      { name: 'Kneser–Ney, fixed', smoothing: 'kneser-ney' as const, discounts: [0.7, 1.2, 2.9], estimateDiscounts: false },
      { name: 'Pitman–Yor, minimal', smoothing: 'pitman-yor-minimal' as const, discounts: [0.3, 0.6, 0.9], concentrations: [2, -0.2, 0] },
    ];
    it.each(cases)('$name', (reference) => {
      for (const resetAtDocument of [true, false]) {
        const shape = { vocabularySize: 4, order: 2, resetAtDocument };
        const model =
          reference.smoothing === 'kneser-ney'
            ? new KneserNeyModel({ ...shape, discounts: reference.discounts as [number, number, number], estimateDiscounts: reference.estimateDiscounts! })
            : new PitmanYorModel({ ...shape, discounts: reference.discounts, concentrations: reference.concentrations!, seating: 'minimal' });
        for (let t = 0; t < ids.length; t++) {
          if (t === 0 || docs[t] !== docs[t - 1]) model.beginDocument();
          if (t % 6 === 0 || t === ids.length - 1) {
            const batch = batchNgramReference([...ids.subarray(0, t)], [...docs.subarray(0, t)], {
              ...shape,
              ...reference,
              nextDocument: docs[t],
            });
            for (let w = 0; w < 4; w++) expect(model.probabilityOf(w), `t = ${t}, w = ${w}, reset ${resetAtDocument}`).toBeCloseTo(batch.probability(w), 13);
          }
          model.observe(ids[t]);
        }
      }
    });
  });

  it('sampled seating opens a new table with probability (θ + d t_u) q(w|π(u)) / (c_uw − d t_uw + (θ + d t_u) q(w|π(u)))', () => {
    // Order 0, V = 2, d = 1/2, θ = 1, tokens 0, 0: the second customer finds c = t = 1, q(0 | base) = 1/2,
    // so P(new table) = 1.5 · 0.5 / (0.5 + 1.5 · 0.5) = 0.6. The table count shows in q(1) = (θ + d t) / 2 / (θ + 2).
    const runs = 4000;
    let opened = 0;
    for (let seed = 0; seed < runs; seed++) {
      const model = new PitmanYorModel(
        { vocabularySize: 2, order: 0, resetAtDocument: true, discounts: [0.5], concentrations: [1], seating: 'sampled' },
        { rng: new Rng(seed) },
      );
      model.observe(0);
      model.observe(0);
      const q1 = model.probabilityOf(1);
      if (Math.abs(q1 - 1 / 3) < 1e-15) opened++;
      else expect(q1).toBeCloseTo(0.25, 15);
    }
    const sigma = Math.sqrt((0.6 * 0.4) / runs);
    expect(Math.abs(opened / runs - 0.6)).toBeLessThan(5 * sigma);
  });

  describe('the frozen cursor (held-out scoring)', () => {
    // Training uses tokens 0 … 4 of V = 6; held-out documents also hold token 5, so every context that contains
    // it was never seen in training (no id: −1).
    const training = documents(4, 5, 300);
    const heldOut = documents(5, 5, 160);
    const unseen = new Rng(6);
    for (let t = 0; t < heldOut.ids.length; t++) if (unseen.nextInt(6) === 0) heldOut.ids[t] = 5;
    const heldOutDocuments = heldOut.docs.map((d) => d + 1000);
    const shapesWithUnseen: NgramShape[] = shapes.map((shape) => ({ ...shape, vocabularySize: 6 }));

    function trained(make: (shape: NgramShape) => NgramModel, shape: NgramShape): NgramModel {
      const model = make(shape);
      for (let t = 0; t < training.ids.length; t++) {
        if (t === 0 || training.docs[t] !== training.docs[t - 1]) model.beginDocument();
        model.observe(training.ids[t]);
      }
      return model;
    }

    it.each(methods)('$name: q sums to 1 at every held-out position, contexts never seen included, and learns nothing', ({ make }) => {
      const problems: string[] = [];
      const q = new Float64Array(6);
      const full = new Float64Array(6);
      let unseenPositions = 0;
      for (const shape of shapesWithUnseen) {
        const model = trained(make, shape);
        const before = [0, 1, 2, 3, 4, 5].map((w) => model.probabilityOf(w));
        const statistics = model.statistics();
        model.moveCursorToTraining();
        // After a 5 every context of length ≥ 1 is unseen: q is the depth-0 distribution, whatever came before.
        let afterUnseen: number[] | undefined;
        for (let t = 0; t < heldOut.ids.length; t++) {
          if (t === 0 || heldOutDocuments[t] !== heldOutDocuments[t - 1]) model.beginCursorDocument();
          let sum = 0;
          for (let w = 0; w < 6; w++) sum += q[w] = model.cursorProbabilityOf(w);
          model.cursorDistribution(full);
          const where = `order ${shape.order}, reset ${shape.resetAtDocument}, held-out t = ${t}`;
          if (Math.abs(sum - 1) > 1e-12) problems.push(`${where}: Σq = ${sum}`);
          for (let w = 0; w < 6; w++) {
            if (!(q[w] > 0)) problems.push(`${where}: q(${w}) = ${q[w]}`);
            if (Math.abs(full[w] - q[w]) > 1e-13 * q[w]) problems.push(`${where}: cursorDistribution() ${full[w]} ≠ ${q[w]}`);
          }
          const previousIsUnseen = t > 0 && heldOut.ids[t - 1] === 5 && (heldOutDocuments[t] === heldOutDocuments[t - 1] || !shape.resetAtDocument);
          if (previousIsUnseen && shape.order > 0) {
            unseenPositions++;
            if (afterUnseen === undefined) afterUnseen = [...q];
            else if (afterUnseen.some((p, w) => p !== q[w])) problems.push(`${where}: after an unseen token q = ${[...q]} ≠ ${afterUnseen}`);
          }
          const p = model.advance(heldOut.ids[t]);
          if (p !== q[heldOut.ids[t]]) problems.push(`${where}: advance ${p} ≠ cursorProbabilityOf ${q[heldOut.ids[t]]}`);
        }
        // Nothing learned: the training position predicts exactly as before, with the same statistics.
        expect([0, 1, 2, 3, 4, 5].map((w) => model.probabilityOf(w))).toEqual(before);
        expect(model.statistics()).toEqual(statistics);
      }
      expect(problems).toEqual([]);
      expect(unseenPositions).toBeGreaterThan(50);
    });

    describe('agrees with the batch reference counting only the training tokens', () => {
      const cases = [
        { name: 'Kneser–Ney, estimated', smoothing: 'kneser-ney' as const, discounts: [0.5, 1, 1.5], estimateDiscounts: true },
        { name: 'Kneser–Ney, fixed', smoothing: 'kneser-ney' as const, discounts: [0.7, 1.2, 2.9], estimateDiscounts: false },
        { name: 'Pitman–Yor, minimal', smoothing: 'pitman-yor-minimal' as const, discounts: [0.3, 0.6, 0.9], concentrations: [2, -0.2, 0] },
      ];
      it.each(cases)('$name', (reference) => {
        const ids = [...training.ids, ...heldOut.ids];
        const docs = [...training.docs, ...heldOutDocuments];
        const counted = training.ids.length;
        for (const resetAtDocument of [true, false]) {
          const shape = { vocabularySize: 6, order: 2, resetAtDocument };
          const model = trained(
            (s) =>
              reference.smoothing === 'kneser-ney'
                ? new KneserNeyModel({ ...s, discounts: reference.discounts as [number, number, number], estimateDiscounts: reference.estimateDiscounts! })
                : new PitmanYorModel({ ...s, discounts: reference.discounts, concentrations: reference.concentrations!, seating: 'minimal' }),
            shape,
          );
          model.moveCursorToTraining();
          for (let t = counted; t < ids.length; t++) {
            if (docs[t] !== docs[t - 1]) model.beginCursorDocument();
            if (t % 3 === 0) {
              const batch = batchNgramReference(ids.slice(0, t), docs.slice(0, t), { ...shape, ...reference, nextDocument: docs[t], counted });
              for (let w = 0; w < 6; w++) {
                const expected = batch.probability(w);
                expect(Math.abs(model.cursorProbabilityOf(w) - expected), `t = ${t}, w = ${w}, reset ${resetAtDocument}`).toBeLessThan(1e-13 * expected);
              }
            }
            model.advance(ids[t]);
          }
        }
      });
    });
  });

  it('restarts the context at documents only when asked to', () => {
    for (const resetAtDocument of [true, false]) {
      const model = new KneserNeyModel({ vocabularySize: 3, order: 1, resetAtDocument, discounts: [0.5, 1, 1.5], estimateDiscounts: false });
      model.beginDocument();
      for (const w of [0, 1, 2, 2, 2]) model.observe(w);
      const afterTwo = model.probabilityOf(2);
      model.beginDocument();
      // Begin context: the only token ever seen there is 0; after "2" the model expects 2 again.
      if (resetAtDocument) expect(model.probabilityOf(0)).toBeGreaterThan(model.probabilityOf(2));
      else expect(model.probabilityOf(2)).toBe(afterTwo);
    }
  });
});
