import type { z } from 'zod';
import type { StageContext } from '../contracts/stage-context.ts';
import type { StageKind, StageKinds } from './stage-kind.ts';

/**
 * A stage type's contribution: its name within its kind, a zod schema of its config (without `type`),
 * and a factory. The schema is the single source of validation, defaults, `kolmo plugins` and the JSON Schema.
 */
export interface StageDescriptor<K extends StageKind = StageKind, S extends z.ZodObject = z.ZodObject> {
  readonly kind: K;
  readonly type: string;
  readonly description: string;
  readonly config: S;
  create(config: z.output<S>, context: StageContext): StageKinds[K] | Promise<StageKinds[K]>;
}

/** Declares a stage type with its config type inferred from the schema. */
export function defineStage<K extends StageKind, S extends z.ZodObject>(
  descriptor: StageDescriptor<K, S>,
): StageDescriptor<K, S> {
  return descriptor;
}
