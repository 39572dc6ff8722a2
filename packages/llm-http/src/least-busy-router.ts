/**
 * Several servers of one model (one vLLM per GPU): each request goes to the server with the fewest requests in
 * flight; ties go round-robin, so an idle set of servers is used evenly.
 */
export class LeastBusyRouter {
  readonly baseUrls: readonly string[];
  private readonly inFlight: number[];
  private nextTie = 0;

  constructor(baseUrls: readonly string[]) {
    if (baseUrls.length === 0) throw new Error('LeastBusyRouter needs at least one base URL');
    this.baseUrls = baseUrls;
    this.inFlight = baseUrls.map(() => 0);
  }

  /** Takes the least busy server; call the returned release exactly once when the request is done. */
  acquire(): { baseUrl: string; release: () => void } {
    const n = this.baseUrls.length;
    let best = -1;
    for (let k = 0; k < n; k++) {
      const i = (this.nextTie + k) % n;
      if (best < 0 || this.inFlight[i] < this.inFlight[best]) best = i;
    }
    this.nextTie = (best + 1) % n;
    this.inFlight[best]++;
    let released = false;
    return {
      baseUrl: this.baseUrls[best],
      release: () => {
        if (released) return;
        released = true;
        this.inFlight[best]--;
      },
    };
  }

  /** Requests in flight per server, in `baseUrls` order. */
  load(): readonly number[] {
    return [...this.inFlight];
  }
}
