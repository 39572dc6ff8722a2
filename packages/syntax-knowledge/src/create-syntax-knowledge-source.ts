import { Rng, type Prior } from '@kolmo/core';
import { attributeNames, type AttributeName } from './biography/attribute-catalog.ts';
import { wordList } from './biography/word-lists.ts';
import { PitmanYorPrior } from './knowledge/pitman-yor-prior.ts';
import { SyntaxKnowledgeSource, type SyntaxKnowledgeSettings } from './syntax-knowledge-source.ts';

/** Value-list sizes by default: a biography is then ≈ 25 (name) + 15 + 10 + 9 + 6 + 10 = 75 bits under G0. */
export const defaultValueCounts: Readonly<Record<AttributeName, number>> = {
  birthDate: 33600,
  birthCity: 1024,
  university: 512,
  major: 64,
  employer: 1024,
};

/** The generator stage's defaults, as settings. */
export function defaultSyntaxKnowledgeSettings(): SyntaxKnowledgeSettings {
  return {
    documents: 10000,
    mode: 'single-attribute',
    attributes: [...attributeNames],
    templates: 4,
    templatePrior: 0.5,
    valueCounts: defaultValueCounts,
    firstNames: wordList('first-names').length,
    lastNames: wordList('last-names').length,
    truncation: { maxAtoms: 2 ** 20, tolerance: 1e-6 },
  };
}

/**
 * A source outside a pipeline (tests, notebooks, benchmarks): the stage's defaults overridden by `settings`,
 * Pitman–Yor(0.5, 1) unless a prior is given, random streams split by name from `seed`. Same seed ⇒ same corpus
 * (though not the same as a pipeline run with that seed, whose streams are also named after the stage's path).
 */
export function createSyntaxKnowledgeSource(
  options: Partial<SyntaxKnowledgeSettings> & { readonly seed: number; readonly prior?: Prior },
): SyntaxKnowledgeSource {
  const { seed, prior, ...settings } = options;
  const root = new Rng(seed);
  return new SyntaxKnowledgeSource({ ...defaultSyntaxKnowledgeSettings(), ...settings }, prior ?? new PitmanYorPrior(0.5, 1), {
    syntax: root.split('syntax'),
    weights: root.split('knowledge/weights'),
    draws: root.split('knowledge/draws'),
    content: root.split('content'),
    attributes: root.split('attributes'),
    templates: root.split('templates'),
  });
}
