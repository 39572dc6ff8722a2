import { KolmoError } from '@kolmo/core';

/** The predictors an analysis sink looks at: all, or the named ones (unknown names are a spec error). */
export function predictorSelection(sink: string, available: readonly string[], wanted: readonly string[] | undefined): { names: string[]; indices: number[] } {
  if (!wanted) return { names: [...available], indices: available.map((_, i) => i) };
  const indices = wanted.map((name) => {
    const index = available.indexOf(name);
    if (index < 0) throw new KolmoError('invalidSpec', `${sink}.predictors: no predictor named "${name}" in this pipeline; its predictors: ${available.join(', ') || '(none)'}`);
    return index;
  });
  return { names: [...wanted], indices };
}
