import stableStringify from 'fast-json-stable-stringify';

interface Closable {
  close?(): unknown;
}

/**
 * Objects that outlive a run: one instance per key for a whole spec run, shared by every run of a sweep and
 * closed once at its end (an LLM backend: one connection pool, one concurrency limit, one cache per backend).
 * Runs ask for a service by a key derived from its validated config (`serviceKey`), so equal configs share one.
 */
export class ServiceScope {
  private readonly services = new Map<string, Promise<unknown>>();
  private closed = false;

  /** The service under `key`, built by `create` on first use (concurrent first uses share one build). */
  get<T>(key: string, create: () => Promise<T>): Promise<T> {
    if (this.closed) throw new Error(`service scope is closed; cannot build ${key}`);
    let service = this.services.get(key) as Promise<T> | undefined;
    if (!service) {
      service = create();
      this.services.set(key, service);
      // A build that fails is forgotten, so the next run tries again (and reports its own error).
      service.catch(() => this.services.delete(key));
    }
    return service;
  }

  get size(): number {
    return this.services.size;
  }

  /** Closes every service built, newest first; safe to call twice. */
  async close(): Promise<void> {
    this.closed = true;
    const services = [...this.services.values()].reverse();
    this.services.clear();
    for (const service of services) {
      const built = (await service.catch(() => undefined)) as Closable | undefined;
      await built?.close?.();
    }
  }
}

/** A key equal for equal configs whatever the order of their fields: kind, type and the canonical JSON of the rest. */
export function serviceKey(kind: string, type: string, config: unknown): string {
  return `${kind}:${type}:${stableStringify(config)}`;
}
