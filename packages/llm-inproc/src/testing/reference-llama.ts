import type { GgufFile } from '../gguf-file.ts';

/**
 * A plain forward pass of a Llama-architecture GGUF model in doubles, for tests: the reference the ONNX and
 * llama.cpp backends are checked against. Pre-norm blocks: x += Wo·attention(rope(Wq·n(x)), rope(Wk·n(x)), Wv·n(x))
 * with a causal mask, then x += Wdown(silu(Wgate·n(x)) ⊙ Wup·n(x)); n is RMSNorm (x / √(mean x² + ε) ⊙ w);
 * logits = Wout·n(x), Wout = token_embd when output.weight is absent (tied). Rotary positions in llama.cpp's
 * interleaved form (pairs 2i, 2i+1 of each head turned by pos·base^(−2i/d)), which is what GGUF Q/K rows expect.
 * Slow (no SIMD, no cache) but small enough to read against the math.
 */
export class ReferenceLlama {
  readonly vocabularySize: number;
  readonly contextLength: number;
  private readonly d: number;
  private readonly heads: number;
  private readonly kvHeads: number;
  private readonly headSize: number;
  private readonly epsilon: number;
  private readonly ropeBase: number;
  private readonly embedding: Matrix;
  private readonly output: Matrix;
  private readonly outputNorm: Float64Array;
  private readonly layers: Layer[];

  constructor(gguf: GgufFile) {
    const n = (key: string) => gguf.number(`llama.${key}`);
    this.d = n('embedding_length');
    this.heads = n('attention.head_count');
    this.kvHeads = n('attention.head_count_kv');
    this.headSize = this.d / this.heads;
    this.epsilon = n('attention.layer_norm_rms_epsilon');
    this.ropeBase = gguf.metadata.has('llama.rope.freq_base') ? n('rope.freq_base') : 10000;
    this.contextLength = n('context_length');
    const matrix = (name: string): Matrix => {
      const { shape, values } = gguf.tensor(name);
      return { rows: shape[0]!, columns: shape.length > 1 ? shape[1]! : 1, values: Float64Array.from(values) };
    };
    const vector = (name: string) => Float64Array.from(gguf.tensor(name).values);
    this.embedding = matrix('token_embd.weight');
    this.output = gguf.tensors.has('output.weight') ? matrix('output.weight') : this.embedding;
    this.outputNorm = vector('output_norm.weight');
    this.vocabularySize = this.output.rows;
    this.layers = Array.from({ length: n('block_count') }, (_, l) => ({
      attentionNorm: vector(`blk.${l}.attn_norm.weight`),
      q: matrix(`blk.${l}.attn_q.weight`),
      k: matrix(`blk.${l}.attn_k.weight`),
      v: matrix(`blk.${l}.attn_v.weight`),
      o: matrix(`blk.${l}.attn_output.weight`),
      feedForwardNorm: vector(`blk.${l}.ffn_norm.weight`),
      gate: matrix(`blk.${l}.ffn_gate.weight`),
      up: matrix(`blk.${l}.ffn_up.weight`),
      down: matrix(`blk.${l}.ffn_down.weight`),
    }));
  }

  /** Logits after each position: `ids.length` rows of `vocabularySize`. */
  logits(ids: ArrayLike<number>): Float64Array {
    const T = ids.length;
    const { d, heads, headSize } = this;
    const x = Array.from({ length: T }, (_, t) => this.embedding.values.slice(ids[t]! * d, (ids[t]! + 1) * d));
    for (const layer of this.layers) {
      const normed = x.map((row) => this.rmsNorm(row, layer.attentionNorm));
      const q = normed.map((row, t) => this.rope(multiply(layer.q, row), t, heads));
      const k = normed.map((row, t) => this.rope(multiply(layer.k, row), t, this.kvHeads));
      const v = normed.map((row) => multiply(layer.v, row));
      const group = heads / this.kvHeads;
      for (let t = 0; t < T; t++) {
        const attended = new Float64Array(d);
        for (let h = 0; h < heads; h++) {
          const qo = h * headSize;
          const ko = Math.floor(h / group) * headSize;
          const scores = new Float64Array(t + 1);
          let max = -Infinity;
          for (let s = 0; s <= t; s++) {
            let dot = 0;
            for (let i = 0; i < headSize; i++) dot += q[t]![qo + i]! * k[s]![ko + i]!;
            scores[s] = dot / Math.sqrt(headSize);
            max = Math.max(max, scores[s]!);
          }
          let total = 0;
          for (let s = 0; s <= t; s++) total += scores[s] = Math.exp(scores[s]! - max);
          for (let s = 0; s <= t; s++) for (let i = 0; i < headSize; i++) attended[qo + i] += (scores[s]! / total) * v[s]![ko + i]!;
        }
        addInto(x[t]!, multiply(layer.o, attended));
      }
      for (let t = 0; t < T; t++) {
        const h = this.rmsNorm(x[t]!, layer.feedForwardNorm);
        const gate = multiply(layer.gate, h);
        const up = multiply(layer.up, h);
        for (let i = 0; i < gate.length; i++) gate[i] = (gate[i]! / (1 + Math.exp(-gate[i]!))) * up[i]!; // silu(g)·u
        addInto(x[t]!, multiply(layer.down, gate));
      }
    }
    const logits = new Float64Array(T * this.vocabularySize);
    for (let t = 0; t < T; t++) logits.set(multiply(this.output, this.rmsNorm(x[t]!, this.outputNorm)), t * this.vocabularySize);
    return logits;
  }

  private rmsNorm(x: Float64Array, weight: Float64Array): Float64Array {
    let squares = 0;
    for (const value of x) squares += value * value;
    const scale = 1 / Math.sqrt(squares / x.length + this.epsilon);
    return x.map((value, i) => value * scale * weight[i]!);
  }

  /** Turns pairs (2i, 2i+1) of each head by position · base^(−2i/headSize). */
  private rope(x: Float64Array, position: number, heads: number): Float64Array {
    for (let h = 0; h < heads; h++) {
      for (let i = 0; i < this.headSize / 2; i++) {
        const angle = position * Math.pow(this.ropeBase, (-2 * i) / this.headSize);
        const a = x[h * this.headSize + 2 * i]!;
        const b = x[h * this.headSize + 2 * i + 1]!;
        x[h * this.headSize + 2 * i] = a * Math.cos(angle) - b * Math.sin(angle);
        x[h * this.headSize + 2 * i + 1] = a * Math.sin(angle) + b * Math.cos(angle);
      }
    }
    return x;
  }
}

interface Matrix {
  readonly rows: number;
  readonly columns: number;
  /** Row-major (out, in), as torch and GGUF store a linear layer's weight. */
  readonly values: Float64Array;
}

interface Layer {
  readonly attentionNorm: Float64Array;
  readonly q: Matrix;
  readonly k: Matrix;
  readonly v: Matrix;
  readonly o: Matrix;
  readonly feedForwardNorm: Float64Array;
  readonly gate: Matrix;
  readonly up: Matrix;
  readonly down: Matrix;
}

function multiply(m: Matrix, x: Float64Array): Float64Array {
  const out = new Float64Array(m.rows);
  for (let r = 0; r < m.rows; r++) {
    let sum = 0;
    const offset = r * m.columns;
    for (let c = 0; c < m.columns; c++) sum += m.values[offset + c]! * x[c]!;
    out[r] = sum;
  }
  return out;
}

function addInto(x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) x[i] += y[i];
}
