/**
 * One request of a document: tokens `[from, to)` of the full sequence (context ++ document), of which
 * positions `[from + scoreFrom, to)` are scored.
 */
export interface Window {
  readonly from: number;
  readonly to: number;
  readonly scoreFrom: number;
}

/**
 * Cuts a sequence of `length` tokens, whose first `context` are context only (BOS, a prefix), into requests of
 * at most `size` tokens. Every position in `[context, length)` is scored exactly once:
 *
 * - the first window `[0, min(size, length))` scores `[context, …)` with every earlier token as context;
 * - each later window moves its end on by at most `stride` tokens and starts `size` before its end, so a token
 *   it scores has at least `size − stride` tokens of left context (all earlier tokens when fewer exist).
 *
 * `1 ≤ stride ≤ size − 1` and `context < size`, so every window scores at least one token and keeps one of context.
 */
export function slidingWindows(length: number, context: number, size: number, stride: number): Window[] {
  if (!(context >= 1 && context < size)) throw new RangeError(`windows: the context (${context} tokens) must be at least 1 and less than the window (${size})`);
  if (!(Number.isInteger(stride) && stride >= 1 && stride <= size - 1)) throw new RangeError(`windows: stride must be an integer in [1, ${size - 1}], got ${stride}`);
  if (length <= context) return [];
  const windows: Window[] = [];
  let end = Math.min(size, length);
  windows.push({ from: 0, to: end, scoreFrom: context });
  while (end < length) {
    const next = Math.min(end + stride, length);
    const from = next - size;
    windows.push({ from, to: next, scoreFrom: end - from });
    end = next;
  }
  return windows;
}
