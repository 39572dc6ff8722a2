import type { Logger, StageContext, Upstream } from '../contracts/stage-context.ts';
import { KolmoError } from '../errors.ts';
import type { StageKinds } from '../plugins/stage-kind.ts';
import type { StageRegistry } from '../plugins/stage-registry.ts';
import { Rng } from '../random/rng.ts';
import { validateComponent, type ValidatedComponent } from '../pipeline-spec/validate-spec.ts';

export interface RunContextOptions {
  readonly registry: StageRegistry;
  readonly runDir: string;
  readonly specDir: string;
  readonly point: Readonly<Record<string, unknown>>;
  readonly seed: number;
  readonly signal: AbortSignal;
  readonly log: Logger;
}

/** Builds stages for one run: each gets a context whose random streams are named after the stage's path. */
export class RunContext {
  readonly upstream: { -readonly [K in keyof Upstream]: Upstream[K] } = {};
  private readonly options: RunContextOptions;
  private readonly root: Rng;

  constructor(options: RunContextOptions) {
    this.options = options;
    this.root = new Rng(options.seed);
  }

  async build<K extends keyof StageKinds>(component: ValidatedComponent & { kind: K }): Promise<StageKinds[K]> {
    const context = this.contextFor(component.path);
    try {
      return (await component.descriptor.create(component.config as never, context)) as StageKinds[K];
    } catch (error) {
      if (error instanceof KolmoError) throw error;
      throw new KolmoError('failed', `${component.path} (${component.kind} "${component.type}") failed to start: ${(error as Error).message ?? error}`, {
        cause: error,
      });
    }
  }

  private contextFor(path: string): StageContext {
    const { registry, runDir, specDir, point, seed, signal, log } = this.options;
    const rng = this.root;
    const build = this.build.bind(this);
    return {
      runDir,
      specDir,
      point,
      seed,
      signal,
      log,
      upstream: this.upstream,
      rng: (stream) => rng.split(`${path}/${stream}`),
      async create(kind, config, nestedPath) {
        const component = validateComponent(undefined, registry, kind, config, [nestedPath]);
        return build(component as ValidatedComponent & { kind: typeof kind }) as never;
      },
    };
  }
}
