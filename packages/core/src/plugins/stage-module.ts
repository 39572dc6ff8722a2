import { ContainerModule } from 'inversify';
import { StageContribution } from './contribution-point.ts';
import type { StageDescriptor } from './stage-descriptor.ts';

/** The ContainerModule a plugin exports by default: it binds each descriptor to the contribution point. */
export function stageModule(...descriptors: StageDescriptor<any, any>[]): ContainerModule {
  return new ContainerModule(({ bind }) => {
    for (const descriptor of descriptors) bind<StageDescriptor>(StageContribution).toConstantValue(descriptor);
  });
}
