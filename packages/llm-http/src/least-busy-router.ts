/**
 * Several servers of one model (one vLLM per GPU): each request goes to the server with the fewest requests in
 * flight; ties go round-robin, so an idle set of servers is used evenly. A server whose last attempt failed sits
 * out a cooldown (doubling with each further failure, up to `maxCooldownMs`), so retries go to the healthy ones
 * instead of back to a dead server that, failing fast, always looks least busy. When every server is cooling
 * down, the one that recovers first is used.
 */
export class LeastBusyRouter {
  readonly baseUrls: readonly string[];
  private readonly inFlight: number[];
  private readonly failures: number[];
  private readonly coolUntil: number[];
  private readonly baseCooldownMs: number;
  private readonly maxCooldownMs: number;
  private nextTie = 0;

  constructor(baseUrls: readonly string[], options: { baseCooldownMs?: number; maxCooldownMs?: number } = {}) {
    if (baseUrls.length === 0) throw new Error('LeastBusyRouter needs at least one base URL');
    this.baseUrls = baseUrls;
    this.inFlight = baseUrls.map(() => 0);
    this.failures = baseUrls.map(() => 0);
    this.coolUntil = baseUrls.map(() => 0);
    this.baseCooldownMs = options.baseCooldownMs ?? 1_000;
    this.maxCooldownMs = options.maxCooldownMs ?? 30_000;
  }

  /**
   * Takes the least busy healthy server; call `release` exactly once when the attempt is done, saying whether the
   * server answered (`ok`), failed (`failed`: reset, timeout, 5xx, bad response) or neither (`neutral`).
   */
  acquire(now = Date.now()): { baseUrl: string; release: (outcome: 'ok' | 'failed' | 'neutral') => void } {
    const n = this.baseUrls.length;
    const anyHealthy = this.coolUntil.some((until) => until <= now);
    let best = -1;
    for (let k = 0; k < n; k++) {
      const i = (this.nextTie + k) % n;
      if (anyHealthy && this.coolUntil[i] > now) continue;
      if (best < 0) best = i;
      else if (anyHealthy ? this.inFlight[i] < this.inFlight[best] : this.coolUntil[i] < this.coolUntil[best]) best = i;
    }
    this.nextTie = (best + 1) % n;
    this.inFlight[best]++;
    let released = false;
    return {
      baseUrl: this.baseUrls[best],
      release: (outcome) => {
        if (released) return;
        released = true;
        this.inFlight[best]--;
        if (outcome === 'ok') {
          this.failures[best] = 0;
          this.coolUntil[best] = 0;
        } else if (outcome === 'failed' && n > 1) {
          this.failures[best]++;
          const cooldown = Math.min(this.maxCooldownMs, this.baseCooldownMs * 2 ** (this.failures[best] - 1));
          this.coolUntil[best] = Date.now() + cooldown;
        }
      },
    };
  }

  /** Requests in flight per server, in `baseUrls` order. */
  load(): readonly number[] {
    return [...this.inFlight];
  }
}
