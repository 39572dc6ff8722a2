/**
 * The fake server's "model": a fixed word-piece vocabulary with UTF-8 byte fallback and a bigram table, so every
 * log-probability a test expects is computable in closed form.
 *
 * - id 0 is `<s>` (BOS); then the word pieces; then 256 byte tokens `<0xNN>` for characters outside the pieces.
 * - Tokenization is greedy longest match. A character without a piece becomes its UTF-8 bytes; the byte tokens'
 *   texts are "" for all but the last byte, which carries the whole character (so texts concatenate to the text).
 * - q(b | a) = w(a, b) / Σ_b' w(a, b') with w(a, b) = 1 + ((7919a + 104729b + 31ab) mod 1009), over every id
 *   b ≥ 1 (never BOS): uneven enough that the top few of each row are distinct.
 */
const wordPieces = [
  ' the', 'the', ' cat', ' sat', ' on', ' mat', 'ing', ' and', '日本', 'é', 'ü', 'ß', '日', '本', '語', '😀', '—', '\n',
];

export class WordPieceModel {
  static readonly bosId = 0;
  /** Token texts by id (byte tokens: `<0xNN>`). */
  readonly pieces: readonly string[];
  readonly vocabularySize: number;
  private readonly firstByteId: number;
  private readonly pieceIds = new Map<string, number>();
  private readonly maxPieceLength: number;
  private readonly logNormalizer: Float64Array;

  constructor() {
    const ascii = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));
    const pieces = ['<s>', ...new Set([...wordPieces, ...ascii])];
    this.firstByteId = pieces.length;
    for (let b = 0; b < 256; b++) pieces.push(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
    this.pieces = pieces;
    this.vocabularySize = pieces.length;
    for (let id = 1; id < this.firstByteId; id++) this.pieceIds.set(pieces[id], id);
    this.maxPieceLength = Math.max(...wordPieces.map((p) => p.length));
    this.logNormalizer = new Float64Array(this.vocabularySize);
    for (let a = 0; a < this.vocabularySize; a++) {
      let z = 0;
      for (let b = 1; b < this.vocabularySize; b++) z += this.weight(a, b);
      this.logNormalizer[a] = Math.log(z);
    }
  }

  /** Greedy longest match with byte fallback; `texts` are the tokens' shares of the text (concatenating to it). */
  tokenize(text: string): { ids: number[]; texts: string[] } {
    const ids: number[] = [];
    const texts: string[] = [];
    let at = 0;
    outer: while (at < text.length) {
      for (let length = Math.min(this.maxPieceLength, text.length - at); length >= 1; length--) {
        const candidate = text.slice(at, at + length);
        const id = this.pieceIds.get(candidate);
        if (id !== undefined && !isLoneSurrogateCut(text, at + length)) {
          ids.push(id);
          texts.push(candidate);
          at += length;
          continue outer;
        }
      }
      const char = String.fromCodePoint(text.codePointAt(at)!);
      const bytes = new TextEncoder().encode(char);
      bytes.forEach((byte, k) => {
        ids.push(this.firstByteId + byte);
        texts.push(k === bytes.length - 1 ? char : '');
      });
      at += char.length;
    }
    return { ids, texts };
  }

  /** The text of a token sequence (byte tokens decoded as UTF-8). */
  decode(ids: readonly number[]): string {
    const out: string[] = [];
    let bytes: number[] = [];
    const flush = () => {
      if (bytes.length) out.push(new TextDecoder().decode(Uint8Array.from(bytes)));
      bytes = [];
    };
    for (const id of ids) {
      if (id >= this.firstByteId) bytes.push(id - this.firstByteId);
      else {
        flush();
        if (id !== WordPieceModel.bosId) out.push(this.pieces[id]);
      }
    }
    flush();
    return out.join('');
  }

  /** Each token's share of the decoded text, as `tokenize` gives it (byte tokens: "" until a character completes). */
  tokenTexts(ids: readonly number[]): string[] {
    const texts: string[] = [];
    let bytes: number[] = [];
    for (const id of ids) {
      if (id >= this.firstByteId) {
        bytes.push(id - this.firstByteId);
        const decoded = new TextDecoder('utf-8', { fatal: false }).decode(Uint8Array.from(bytes));
        const complete = !decoded.includes('\uFFFD');
        texts.push(complete ? decoded : '');
        if (complete) bytes = [];
      } else {
        bytes = [];
        texts.push(id === WordPieceModel.bosId ? '' : this.pieces[id]);
      }
    }
    return texts;
  }

  isValidId(id: unknown): id is number {
    return typeof id === 'number' && Number.isInteger(id) && id >= 0 && id < this.vocabularySize;
  }

  /** ln q(next | previous). */
  logProb(previous: number, next: number): number {
    if (next === WordPieceModel.bosId) return -Infinity;
    return Math.log(this.weight(previous, next)) - this.logNormalizer[previous];
  }

  /** The k most likely next ids after `previous`, most likely first, ties by smaller id. */
  topK(previous: number, k: number): { id: number; logProb: number }[] {
    const all: { id: number; logProb: number }[] = [];
    for (let b = 1; b < this.vocabularySize; b++) all.push({ id: b, logProb: this.logProb(previous, b) });
    all.sort((x, y) => y.logProb - x.logProb || x.id - y.id);
    return all.slice(0, k);
  }

  private weight(a: number, b: number): number {
    return 1 + ((7919 * a + 104_729 * b + 31 * a * b) % 1009);
  }
}

function isLoneSurrogateCut(text: string, at: number): boolean {
  const code = text.charCodeAt(at);
  return at < text.length && code >= 0xdc00 && code <= 0xdfff;
}
