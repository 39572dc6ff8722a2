import { KolmoError, Rng, type StageContext, type StageDescriptor, type StageRegistry, type SymbolCodec, type Tokenizer } from '@kolmo/core';

/**
 * A model that compresses raw bytes: the container records its `id`, its parameters and the precision, and
 * decompression rebuilds the very same codec from them.
 */
export interface ByteModel {
  readonly id: string;
  readonly description: string;
  /**
   * Checks parameters and fills in defaults; the result (plain JSON) is what a container records.
   * Throws KolmoError('invalidSpec') naming what is wrong.
   */
  parameters(raw: unknown): Record<string, unknown>;
  /** A fresh codec over the symbols 0..255 in its initial state, quantizing to totals of 2^precision. */
  codec(parameters: Record<string, unknown>, precision: number): Promise<SymbolCodec> | SymbolCodec;
}

/** Byte models by id, as decompression looks them up. */
export interface ByteModelLookup {
  get(id: string): ByteModel | undefined;
  ids(): readonly string[];
}

/** A set of byte models; a duplicate id is an error, never last-wins. */
export class ByteModelRegistry implements ByteModelLookup {
  private readonly models = new Map<string, ByteModel>();

  /** Every predictor type of a stage registry as a byte model (see `predictorByteModel`). */
  static fromStages(stages: StageRegistry): ByteModelRegistry {
    const registry = new ByteModelRegistry();
    for (const type of stages.types('predictor')) {
      const contribution = stages.get('predictor', type);
      if (contribution) registry.add(predictorByteModel(contribution.descriptor as StageDescriptor<'predictor'>));
    }
    return registry;
  }

  add(model: ByteModel): this {
    if (this.models.has(model.id)) throw new KolmoError('plugin', `byte model "${model.id}" is registered twice`);
    this.models.set(model.id, model);
    return this;
  }

  get(id: string): ByteModel | undefined {
    return this.models.get(id);
  }

  ids(): string[] {
    return [...this.models.keys()].sort();
  }

  /** The model named `id`, or a usage error listing the known ones. */
  require(id: string): ByteModel {
    const model = this.models.get(id);
    if (!model) throw new KolmoError('usage', `unknown model "${id}"; known models: ${this.ids().join(', ') || 'none'}`);
    return model;
  }
}

/**
 * A predictor stage type as a byte model: its parameters are the stage's config (validated by its schema), and
 * its codec is `predictor.codec(precision)` of a predictor built over the 256 byte values. The predictor is
 * built with seed 0 and no nested components, so compressing and decompressing build the same one.
 */
export function predictorByteModel(descriptor: StageDescriptor<'predictor'>): ByteModel {
  const id = descriptor.type;
  return {
    id,
    description: descriptor.description,
    parameters(raw) {
      const parsed = descriptor.config.safeParse(raw ?? {});
      if (!parsed.success) {
        const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(parameters)'}: ${issue.message}`);
        throw new KolmoError('invalidSpec', `model ${id}: invalid parameters: ${problems.join('; ')}`, { details: problems });
      }
      return JSON.parse(JSON.stringify(parsed.data)) as Record<string, unknown>;
    },
    async codec(parameters, precision) {
      const predictor = await descriptor.create(parameters, byteModelContext(id));
      if (!predictor.codec) {
        throw new KolmoError('invalidSpec', `model ${id}: the ${id} predictor has no codec() (no full next-byte distribution), so it cannot compress`);
      }
      return predictor.codec(precision);
    },
  };
}

const byteAlphabet: Tokenizer = {
  vocabularySize: 256,
  tokenize: () => {
    throw new Error('byte models code raw bytes: there is no tokenizer to call');
  },
};

function byteModelContext(id: string): StageContext {
  const here = process.cwd();
  return {
    runDir: here,
    specDir: here,
    point: {},
    seed: 0,
    rng: (stream) => new Rng(0, `byte-model/${id}/${stream}`),
    signal: new AbortController().signal,
    log: { info: () => undefined, warn: () => undefined },
    create: () => Promise.reject(new KolmoError('invalidSpec', `model ${id}: nested components are not supported when compressing bytes`)),
    upstream: { tokenizer: byteAlphabet },
  };
}
