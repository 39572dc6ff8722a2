import { z } from 'zod';
import { componentKindOf } from '../plugins/component-field.ts';
import { stageKinds, type StageKind } from '../plugins/stage-kind.ts';
import type { StageRegistry } from '../plugins/stage-registry.ts';
import { pipelineSpec } from './pipeline-spec.ts';

type JsonObject = Record<string, unknown>;

/** A sweep placeholder, `${name}`, as the spec's substitution reads it (pipeline-spec/sweep.ts). */
const placeholder: JsonObject = { type: 'string', pattern: '^\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}$', description: 'a sweep variable: ${name}' };

/** The JSON Schema of a whole spec for editors: the envelope, with each component expanded to every known type. */
export function specJsonSchema(registry: StageRegistry): JsonObject {
  const toJson = (schema: z.ZodType): JsonObject =>
    z.toJSONSchema(schema, {
      io: 'input',
      unrepresentable: 'any',
      override: ({ zodSchema, jsonSchema }) => {
        const kind = componentKindOf(zodSchema as unknown as z.ZodType);
        const json = jsonSchema as JsonObject;
        if (kind) {
          for (const key of Object.keys(json)) delete json[key];
          json.$ref = `#/$defs/${kind}`;
        } else if (['number', 'integer', 'boolean'].includes(json.type as string) || Array.isArray(json.enum)) {
          // a sweep may put `${name}` where a number, a boolean or one of a list is expected
          const own = { ...json };
          for (const key of Object.keys(json)) if (key !== 'description' && key !== 'default') delete json[key];
          json.anyOf = [own, placeholder];
        }
      },
    }) as JsonObject;

  const defs: JsonObject = {};
  for (const kind of stageKinds) {
    const types = componentSchemas(registry, kind, toJson);
    // an empty oneOf is not a valid schema; no registered type means no value is valid
    defs[kind] = types.length ? { oneOf: types } : { not: {}, description: `no ${kind} type is loaded` };
  }

  const root = toJson(pipelineSpec);
  const pipeline = (root.properties as JsonObject).pipeline as JsonObject;
  const props = pipeline.properties as JsonObject;
  props.generator = { $ref: '#/$defs/generator' };
  props.tokenizer = { $ref: '#/$defs/tokenizer' };
  props.predictors = { type: 'array', items: { $ref: '#/$defs/predictor' } };
  props.coder = { $ref: '#/$defs/coder' };
  props.sinks = { type: 'array', items: { $ref: '#/$defs/sink' } };
  (root.properties as JsonObject).fit = { type: 'array', items: { $ref: '#/$defs/fitter' } };
  return { ...root, title: 'kolmo pipeline spec', $defs: defs };
}

function componentSchemas(registry: StageRegistry, kind: StageKind, toJson: (schema: z.ZodType) => JsonObject): JsonObject[] {
  return registry.types(kind).map((type) => {
    const { descriptor } = registry.get(kind, type)!;
    const extra = kind === 'predictor' ? { name: z.string().optional().describe('a unique name in reports') } : {};
    const schema = descriptor.config.extend({ type: z.literal(type), ...extra }).strict();
    return { ...toJson(schema), description: descriptor.description };
  });
}
