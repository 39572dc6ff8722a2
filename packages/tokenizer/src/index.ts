import { stageModule } from '@kolmo/core';
import { bytesTokenizer } from './bytes-tokenizer.ts';
import { slotWordTokenizer } from './slot-word-tokenizer.ts';

export { BytesTokenizer, bytesTokenizer } from './bytes-tokenizer.ts';
export { SlotWordTokenizer, slotWordTokenizer } from './slot-word-tokenizer.ts';

/** The built-in tokenizers, registered through the same plugin mechanism as any other. */
export default stageModule(bytesTokenizer, slotWordTokenizer);
