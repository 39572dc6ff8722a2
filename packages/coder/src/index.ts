import { stageModule } from '@kolmo/core';
import { idealCoder } from './ideal-coder.ts';

export { idealCoder };

/** The built-in coders, registered through the same plugin mechanism as any other. */
export default stageModule(idealCoder);
