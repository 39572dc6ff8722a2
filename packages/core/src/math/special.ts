import gammaln from '@stdlib/math-base-special-gammaln';
import digamma from '@stdlib/math-base-special-digamma';

/** log Γ(x) (stdlib's, accurate to a few ulps). */
export const logGamma: (x: number) => number = gammaln;
export const diGamma: (x: number) => number = digamma;

export const LN2 = Math.LN2;

/** log of the rising factorial (a)_n = Γ(a + n) / Γ(a). */
export function logRising(a: number, n: number): number {
  if (n === 0) return 0;
  return logGamma(a + n) - logGamma(a);
}

/** Nats to bits. */
export function toBits(nats: number): number {
  return nats / LN2;
}

/** Neumaier-compensated sum: long sums of code lengths stay exact to ~1 ulp of the total. */
export class KahanSum {
  private sum = 0;
  private compensation = 0;

  add(x: number): void {
    const t = this.sum + x;
    if (Math.abs(this.sum) >= Math.abs(x)) this.compensation += this.sum - t + x;
    else this.compensation += x - t + this.sum;
    this.sum = t;
  }

  get value(): number {
    return this.sum + this.compensation;
  }
}
