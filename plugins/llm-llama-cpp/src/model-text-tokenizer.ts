import { KolmoError, type TokenizedText } from '@kolmo/core';
import type { TextTokenizer } from '@kolmo/llm-inproc';
import type { LlamaModel, Token } from 'node-llama-cpp';

/**
 * A GGUF model's own tokenizer (Llama, Qwen, Mistral…: `model.tokenize`, no special tokens parsed from text).
 * Spans come from detokenized prefixes: token i ends where the text of tokens 0…i ends, or, while a prefix ends
 * inside a multi-byte character (its text is then not a prefix of the input), where the previous one ended, so
 * such a token gets an empty span and its bits go to the character it belongs to. The whole detokenized text
 * must equal the input, or the spans would lie: that is an input error. Quadratic in the tokens of one text,
 * which is fine for texts of a few thousand tokens.
 */
export class ModelTextTokenizer implements TextTokenizer {
  private readonly model: LlamaModel;

  constructor(model: LlamaModel) {
    this.model = model;
  }

  detokenize(ids: ArrayLike<number>): string {
    return this.model.detokenize(Array.from(ids) as Token[]);
  }

  tokenize(text: string, where: string): TokenizedText {
    const tokens = this.model.tokenize(text, false);
    const ids = Int32Array.from(tokens);
    const start = new Int32Array(ids.length);
    const end = new Int32Array(ids.length);
    const pieces: string[] = [];
    let previous = 0;
    for (let i = 0; i < tokens.length; i++) {
      const prefix = this.model.detokenize(tokens.slice(0, i + 1) as Token[]);
      const reached = prefix.length >= previous && text.startsWith(prefix) ? prefix.length : previous;
      start[i] = previous;
      end[i] = reached;
      pieces.push(text.slice(previous, reached));
      previous = reached;
    }
    if (previous !== text.length || this.model.detokenize(tokens) !== text) {
      throw new KolmoError('input', `${where}: the model's tokenizer does not give this text back when detokenized (at character ${previous} of ${text.length}), so its tokens cannot be placed on the text`);
    }
    return { ids, start, end, pieces };
  }
}
