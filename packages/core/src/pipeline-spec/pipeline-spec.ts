import { z } from 'zod';

/** A component in a spec: its type, an optional name (predictors), and the fields its schema defines. */
export const componentConfig = z.looseObject({ type: z.string().min(1) });
export type ComponentConfig = z.infer<typeof componentConfig>;

const sweepValue = z.union([z.number(), z.string(), z.boolean()]);

/** The envelope of a pipeline spec: checked first; each component is then checked against its own schema. */
export const pipelineSpec = z.strictObject({
  name: z.string().optional().describe('a name for the run (default: the spec file name)'),
  description: z.string().optional(),
  extends: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .describe('base spec(s) merged under this one: a relative file or an installed package path (objects merge, lists replace, null deletes)'),
  plugins: z.array(z.string()).default([]).describe('plugin packages or local paths, loaded in order'),
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0).describe('root seed of every random stream'),
  output: z.string().optional().describe('output folder (default: runs/<name>), relative to the working directory'),
  sweep: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a sweep variable is a name of letters, digits and _'), z.array(sweepValue).min(1))
    .default({})
    .describe('lists expanded into independent runs (their product); ${name} in the pipeline takes each value'),
  concurrency: z.number().int().min(1).default(1).describe('sweep runs in flight at once'),
  pipeline: z.strictObject({
    generator: componentConfig,
    tokenizer: componentConfig,
    predictors: z.array(componentConfig).default([]).describe('none for a pure corpus export'),
    coder: componentConfig.default({ type: 'ideal' }),
    sinks: z.array(componentConfig).default([]),
    evaluation: z
      .strictObject({ documents: z.union([z.number().int().min(0), z.string()]).describe('held-out documents scored after training, without learning') })
      .optional()
      .describe('a held-out test set from the same source: test loss after training'),
  }),
  fit: z.array(componentConfig).default([]).describe('fitters run on the metrics table of all runs'),
  report: z.looseObject({ path: z.string().optional() }).optional(),
});

export type PipelineSpec = z.output<typeof pipelineSpec>;
export type PipelineSection = PipelineSpec['pipeline'];
