/**
 * Bit histories: a context's past bits summarized in one byte, a state of a small automaton over counts
 * (n0, n1). Observing bit y increments n_y (capped) and discounts the opposite count (halving it above 2), so
 * a history favours recent data when the context turns out to be non-stationary; while both counts are small
 * the state also remembers the last bit. What a state predicts is learned per context order by a `StateMap`,
 * so the automaton only has to separate histories that predict differently. The table is built at start-up
 * by a deterministic breadth-first walk, so every instance numbers its states identically.
 */

/** Counts above this are not told apart (the automaton then has 222 states and fits in a byte). */
const countLimit = 30;
/** While both counts are positive and their sum is at most this, the state also records the last bit. */
const lastBitLimit = 4;

function discount(n: number): number {
  return n > 2 ? (n >> 1) + 1 : n;
}

function buildAutomaton() {
  const index = new Map<string, number>();
  const zeros: number[] = [];
  const ones: number[] = [];
  const addState = (n0: number, n1: number, last: number): number => {
    if (!(n0 > 0 && n1 > 0 && n0 + n1 <= lastBitLimit)) last = 0;
    const key = `${n0},${n1},${last}`;
    let state = index.get(key);
    if (state === undefined) {
      state = zeros.length;
      index.set(key, state);
      zeros.push(n0);
      ones.push(n1);
    }
    return state;
  };
  addState(0, 0, 0);
  const next: number[] = [];
  for (let s = 0; s < zeros.length; s++) {
    const n0 = zeros[s];
    const n1 = ones[s];
    next[2 * s] = addState(Math.min(n0 + 1, countLimit), discount(n1), 1);
    next[2 * s + 1] = addState(discount(n0), Math.min(n1 + 1, countLimit), 2);
  }
  if (zeros.length > 256) throw new Error(`bit-history automaton has ${zeros.length} states, more than a byte`);
  return { next: Uint8Array.from(next), zeros: Uint8Array.from(zeros), ones: Uint8Array.from(ones) };
}

const automaton = buildAutomaton();

/** `nextState[2·s + bit]`: the state after observing `bit` in state s (state 0 = never seen). */
export const nextState: Uint8Array = automaton.next;
/** The (capped, discounted) count of zeros of each state. */
export const stateZeros: Uint8Array = automaton.zeros;
/** The (capped, discounted) count of ones of each state. */
export const stateOnes: Uint8Array = automaton.ones;
/** How many states the automaton has. */
export const stateCount: number = automaton.zeros.length;
/** How much a state has seen (n0 + n1): the priority that decides which hash bucket to evict. */
export const stateConfidence: Uint8Array = Uint8Array.from(automaton.zeros, (n0, s) => n0 + automaton.ones[s]);
