import type { BackendIdentity, LogProbBackend } from '../contracts/llm-backend.ts';
import type { Logger, StageContext, Upstream } from '../contracts/stage-context.ts';
import { KolmoError } from '../errors.ts';
import type { StageKinds } from '../plugins/stage-kind.ts';
import type { StageRegistry } from '../plugins/stage-registry.ts';
import { Rng } from '../random/rng.ts';
import { validateComponent, type ValidatedComponent } from '../pipeline-spec/validate-spec.ts';
import { ServiceScope, serviceKey } from './service-scope.ts';

export interface RunContextOptions {
  readonly registry: StageRegistry;
  readonly runDir: string;
  readonly specDir: string;
  readonly point: Readonly<Record<string, unknown>>;
  readonly seed: number;
  readonly signal: AbortSignal;
  readonly log: Logger;
  /**
   * Where process-wide services live (LLM backends): pass the spec run's scope so a sweep's runs share them.
   * Without one, the context makes its own; whoever made the context then closes `context.services`.
   */
  readonly services?: ServiceScope;
  /** A folder for caches of expensive deterministic work (scored documents); undefined: caching is off. */
  readonly cacheDir?: string;
}

/** Kinds built once per process and config (in the service scope) rather than once per run. */
const serviceKinds: ReadonlySet<string> = new Set(['llm-backend']);

/** Builds stages for one run: each gets a context whose random streams are named after the stage's path. */
export class RunContext {
  readonly upstream: { -readonly [K in keyof Upstream]: Upstream[K] } = {};
  readonly services: ServiceScope;
  /** The LLM backends this run uses, by identity, for its manifest. */
  readonly backends: BackendIdentity[] = [];
  private readonly options: RunContextOptions;
  private readonly root: Rng;

  constructor(options: RunContextOptions) {
    this.options = options;
    this.root = new Rng(options.seed);
    this.services = options.services ?? new ServiceScope();
  }

  async build<K extends keyof StageKinds>(component: ValidatedComponent & { kind: K }): Promise<StageKinds[K]> {
    const context = this.contextFor(component.path);
    try {
      if (serviceKinds.has(component.kind)) {
        const key = serviceKey(component.kind, component.type, component.config);
        const service = await this.services.get(key, async () => component.descriptor.create(component.config as never, context));
        if (component.kind === 'llm-backend') this.noteBackend((service as LogProbBackend).identity);
        return service as StageKinds[K];
      }
      return (await component.descriptor.create(component.config as never, context)) as StageKinds[K];
    } catch (error) {
      if (error instanceof KolmoError) throw error;
      throw new KolmoError('failed', `${component.path} (${component.kind} "${component.type}") failed to start: ${(error as Error).message ?? error}`, {
        cause: error,
      });
    }
  }

  private noteBackend(identity: BackendIdentity): void {
    if (this.backends.some((known) => known.id === identity.id)) return;
    // Only the naming fields: an adapter's identity object must not carry anything else into a manifest.
    const { id, model, revision, tokenizer } = identity;
    this.backends.push({ id, model, revision, tokenizer });
  }

  private contextFor(path: string): StageContext {
    const { registry, runDir, specDir, point, seed, signal, log, cacheDir } = this.options;
    const rng = this.root;
    const build = this.build.bind(this);
    return {
      runDir,
      specDir,
      point,
      seed,
      signal,
      log,
      cacheDir,
      upstream: this.upstream,
      rng: (stream) => rng.split(`${path}/${stream}`),
      async create(kind, config, nestedPath) {
        const component = validateComponent(undefined, registry, kind, config, [nestedPath]);
        return build(component as ValidatedComponent & { kind: typeof kind }) as never;
      },
    };
  }
}
