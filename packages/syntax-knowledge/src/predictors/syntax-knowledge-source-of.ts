import { KolmoError, type StageContext } from '@kolmo/core';
import { syntaxKnowledgeSourceOf } from '../syntax-knowledge-generator.ts';
import { type SyntaxKnowledgeSource } from '../syntax-knowledge-source.ts';

/** The syntax-knowledge source upstream of a predictor stage, or an invalidSpec error naming the predictor. */
export function requireSyntaxKnowledgeSource(context: StageContext, predictor: string): SyntaxKnowledgeSource {
  const source = syntaxKnowledgeSourceOf(context.upstream.generator);
  if (!source) {
    throw new KolmoError(
      'invalidSpec',
      `predictor "${predictor}" needs a syntax-knowledge generator upstream (generator type "syntax-knowledge") and the slot-word tokenizer; ` +
        'this pipeline has another generator',
    );
  }
  return source;
}
