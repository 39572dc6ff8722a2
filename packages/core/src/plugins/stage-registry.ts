import { KolmoError } from '../errors.ts';
import type { StageDescriptor } from './stage-descriptor.ts';
import { stageKinds, type StageKind } from './stage-kind.ts';

/** A descriptor and the plugin that contributed it. */
export interface Contribution {
  readonly descriptor: StageDescriptor;
  readonly plugin: string;
}

/** All stage types known to a run, by kind and type name. A duplicate type name is an error, never last-wins. */
export class StageRegistry {
  /** The plugins loaded, in load order, with their resolved entry, package name and version (for manifests). */
  readonly plugins: { name: string; entry: string; packageName?: string; version?: string }[] = [];
  private readonly byKind = new Map<StageKind, Map<string, Contribution>>(stageKinds.map((kind) => [kind, new Map()]));

  add(descriptor: StageDescriptor, plugin: string): void {
    const types = this.byKind.get(descriptor.kind);
    if (!types) {
      throw new KolmoError('plugin', `plugin ${plugin} contributes a stage of unknown kind "${descriptor.kind}" (known kinds: ${stageKinds.join(', ')})`);
    }
    const existing = types.get(descriptor.type);
    if (existing) {
      throw new KolmoError(
        'plugin',
        `${descriptor.kind} type "${descriptor.type}" is contributed twice: by ${existing.plugin} and by ${plugin}`,
      );
    }
    types.set(descriptor.type, { descriptor, plugin });
  }

  get(kind: StageKind, type: string): Contribution | undefined {
    return this.byKind.get(kind)?.get(type);
  }

  types(kind: StageKind): string[] {
    return [...(this.byKind.get(kind)?.keys() ?? [])].sort();
  }

  all(): Contribution[] {
    return [...this.byKind.values()].flatMap((types) => [...types.values()]);
  }
}
