import { stageModule } from '@kolmo/core';
import { bytesTokenizer } from './bytes-tokenizer.ts';

export { BytesTokenizer, bytesTokenizer } from './bytes-tokenizer.ts';

/** The generic tokenizers, registered through the same plugin mechanism as any other (slot-word is in `@kolmo/syntax-knowledge`). */
export default stageModule(bytesTokenizer);
