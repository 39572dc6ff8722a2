import { stageModule } from '@kolmo/core';
import { textFileGenerator } from './text-file-generator.ts';

export { textFileGenerator };

/** The generic generators, registered through the same plugin mechanism as any other (the Syntax-Knowledge source is in `@kolmo/syntax-knowledge`). */
export default stageModule(textFileGenerator);
