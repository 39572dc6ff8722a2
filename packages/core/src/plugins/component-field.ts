import { z } from 'zod';
import type { StageKind } from './stage-kind.ts';

const componentKinds = new WeakMap<z.ZodType, StageKind>();

/**
 * A config field that is itself a component (`prior: { type: pitman-yor, … }`). Validation checks it
 * against the contributed schema of its type, and the JSON Schema expands it to every known type.
 */
export function componentField(kind: StageKind) {
  const schema = z.looseObject({ type: z.string() }).describe(`a ${kind}: { type: <${kind} type>, …its fields }`);
  componentKinds.set(schema, kind);
  return schema;
}

/** The kind of a component field, or undefined for an ordinary field. */
export function componentKindOf(schema: z.ZodType): StageKind | undefined {
  return componentKinds.get(schema);
}
