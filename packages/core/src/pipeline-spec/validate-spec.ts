import { z } from 'zod';
import { KolmoError } from '../errors.ts';
import { componentKindOf } from '../plugins/component-field.ts';
import type { StageDescriptor } from '../plugins/stage-descriptor.ts';
import type { StageKind } from '../plugins/stage-kind.ts';
import type { StageRegistry } from '../plugins/stage-registry.ts';
import { pipelineSpec, type PipelineSpec } from './pipeline-spec.ts';
import { unknownFieldHint } from './did-you-mean.ts';
import { checkEnvelope, checkSinkPaths } from './spec-checks.ts';
import { formatPath, type SpecSource } from './spec-source.ts';
import { expandSweep, pointLabel, substitute, type SweepPoint } from './sweep.ts';

/** A component after validation: its descriptor and its config with defaults applied. */
export interface ValidatedComponent {
  readonly kind: StageKind;
  readonly type: string;
  /** Unique within its list (predictors): the spec's `name`, or the type, numbered on repeats. */
  readonly name: string;
  readonly path: string;
  readonly config: Record<string, unknown>;
  readonly descriptor: StageDescriptor;
}

export interface ValidatedRun {
  readonly point: SweepPoint;
  readonly label: string;
  readonly generator: ValidatedComponent;
  readonly tokenizer: ValidatedComponent;
  readonly predictors: readonly ValidatedComponent[];
  readonly coder: ValidatedComponent;
  readonly sinks: readonly ValidatedComponent[];
  readonly fit: readonly ValidatedComponent[];
  /** Held-out documents scored after training (0: no evaluation phase). */
  readonly evaluationDocuments: number;
}

/** Pass one: the envelope alone (no plugins needed). Errors carry paths and file positions. */
export function validateEnvelope(source: SpecSource): PipelineSpec {
  const parsed = pipelineSpec.safeParse(source.value ?? {});
  if (!parsed.success) throw specError(source, parsed.error.issues, [], undefined, (path) => fieldsAt(pipelineSpec, path));
  checkEnvelope(source, parsed.data);
  return parsed.data;
}

/** Pass two: every component of every sweep point against the schema its plugin contributed. */
export function validateRuns(source: SpecSource, spec: PipelineSpec, registry: StageRegistry): ValidatedRun[] {
  return expandSweep(spec.sweep).map((point) => {
    const pipeline = substitute(spec.pipeline, point, ['pipeline']) as PipelineSpec['pipeline'];
    const fit = substitute(spec.fit, point, ['fit']) as PipelineSpec['fit'];
    const component = (kind: StageKind, config: unknown, path: PropertyKey[]) =>
      validateComponent(source, registry, kind, config, path);
    const checkedSinks = (sinks: ValidatedComponent[]) => (checkSinkPaths(source, sinks), sinks);
    const predictors = numberNames(pipeline.predictors.map((config, i) => component('predictor', config, ['pipeline', 'predictors', i])));
    return {
      point,
      label: pointLabel(point),
      generator: component('generator', pipeline.generator, ['pipeline', 'generator']),
      tokenizer: component('tokenizer', pipeline.tokenizer, ['pipeline', 'tokenizer']),
      predictors,
      coder: component('coder', pipeline.coder, ['pipeline', 'coder']),
      sinks: checkedSinks(pipeline.sinks.map((config, i) => component('sink', config, ['pipeline', 'sinks', i]))),
      fit: fit.map((config, i) => component('fitter', config, ['fit', i])),
      evaluationDocuments: evaluationDocuments(source, pipeline.evaluation?.documents),
    };
  });
}

/** Validates one component config (and, recursively, the components inside it). */
export function validateComponent(
  source: SpecSource | undefined,
  registry: StageRegistry,
  kind: StageKind,
  config: unknown,
  path: PropertyKey[],
): ValidatedComponent {
  const where = source ? ` (${source.locate(path)})` : '';
  if (!config || typeof config !== 'object' || typeof (config as { type?: unknown }).type !== 'string') {
    throw new KolmoError('invalidSpec', `${formatPath(path)}${where}: expected a ${kind} as { type: …, … }; known ${kind} types: ${known(registry, kind)}`);
  }
  const { type, name, ...fields } = config as { type: string; name?: unknown };
  const contribution = registry.get(kind, type);
  if (!contribution) {
    throw new KolmoError(
      'invalidSpec',
      `${formatPath([...path, 'type'])}${where}: unknown ${kind} type "${type}"; known ${kind} types: ${known(registry, kind)}`,
    );
  }
  const { descriptor } = contribution;
  if (name !== undefined && (kind !== 'predictor' || typeof name !== 'string')) {
    throw new KolmoError('invalidSpec', `${formatPath([...path, 'name'])}${where}: only predictors take a name, and it is a string`);
  }
  const parsed = descriptor.config.strict().safeParse(fields);
  if (!parsed.success) {
    const fields = ['type', ...(kind === 'predictor' ? ['name'] : []), ...Object.keys(descriptor.config.shape)];
    throw specError(source, parsed.error.issues, path, `${kind} "${type}"`, (at) => (at.length === 0 ? fields : fieldsAt(descriptor.config, at)));
  }
  const validated: Record<string, unknown> = { ...(parsed.data as Record<string, unknown>) };
  for (const [key, fieldSchema] of Object.entries(descriptor.config.shape)) {
    const nestedKind = componentKindOf(unwrap(fieldSchema as z.ZodType));
    if (nestedKind && validated[key] !== undefined) {
      const nested = validateComponent(source, registry, nestedKind, validated[key], [...path, key]);
      validated[key] = { type: nested.type, ...nested.config };
    }
  }
  return { kind, type, name: typeof name === 'string' ? name : type, path: formatPath(path), config: validated, descriptor };
}

function evaluationDocuments(source: SpecSource, value: number | string | undefined): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    const path = ['pipeline', 'evaluation', 'documents'];
    throw new KolmoError('invalidSpec', `${formatPath(path)} (${source.locate(path)}): expected a whole number of documents ≥ 0, got ${JSON.stringify(value)}`);
  }
  return value;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodDefault || current instanceof z.ZodNullable) {
    current = current.unwrap() as z.ZodType;
  }
  return current;
}

function numberNames(components: ValidatedComponent[]): ValidatedComponent[] {
  const seen = new Map<string, number>();
  return components.map((component) => {
    const count = (seen.get(component.name) ?? 0) + 1;
    seen.set(component.name, count);
    return count === 1 ? component : { ...component, name: `${component.name}#${count}` };
  });
}

function known(registry: StageRegistry, kind: StageKind): string {
  const types = registry.types(kind);
  return types.length ? types.join(', ') : '(none loaded)';
}

/** The field names of the object schema at a path inside `schema` (for "valid fields" hints), if it is one. */
function fieldsAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] | undefined {
  let current = unwrap(schema);
  for (const key of path) {
    if (!(current instanceof z.ZodObject)) return undefined;
    const next = (current.shape as Record<string, z.ZodType>)[String(key)];
    if (!next) return undefined;
    current = unwrap(next);
  }
  return current instanceof z.ZodObject ? Object.keys(current.shape) : undefined;
}

function specError(
  source: SpecSource | undefined,
  issues: readonly z.core.$ZodIssue[],
  base: PropertyKey[],
  what?: string,
  knownFields: (path: readonly PropertyKey[]) => readonly string[] | undefined = () => undefined,
): KolmoError {
  // an unknown field first: a misspelt name usually explains the "required" error that comes with it
  const ordered = [...issues].sort((a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'));
  const details = ordered.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    return keys
      .map((key) => {
        const path = [...base, ...issue.path, ...(key === undefined ? [] : [key])];
        const where = source ? ` (${source.locate(path)})` : '';
        const message =
          issue.code === 'unrecognized_keys' ? `unknown field${what ? ` for ${what}` : ''}${unknownFieldHint(String(key), knownFields(issue.path) ?? [])}` : issue.message;
        return `${formatPath(path)}${where}: ${message}`;
      })
      .join('\n');
  });
  return new KolmoError('invalidSpec', details[0], { details });
}
