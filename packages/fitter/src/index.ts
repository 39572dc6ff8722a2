import { stageModule } from '@kolmo/core';

/** The built-in fitters, registered through the same plugin mechanism as any other. */
export default stageModule();
