import { stageModule } from '@kolmo/core';
import { textFileGenerator } from './text-file-generator.ts';

export { textFileGenerator };

/** The built-in generators, registered through the same plugin mechanism as any other. */
export default stageModule(textFileGenerator);
