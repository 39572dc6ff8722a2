// The byte-cm model's per-bit work, compiled to WebAssembly (AssemblyScript; build with
// `npm run build:wasm -w @kolmo/predictor`, which writes src/byte-cm/byte-cm-core.wasm).
//
// It computes exactly what ByteCmReferenceModel (src/byte-cm/byte-cm-reference-model.ts) computes, bit for bit:
// the same contexts, hashes, bucket table, StateMaps, mixer, APM and match model, in 32-bit integer arithmetic
// (64-bit for the mixer's dot products, which the reference adds exactly in doubles). The tables (stretch,
// squash, learning rates, the bit-history automaton, initial StateMap and APM values) are computed once by the
// TypeScript modules and written into this memory before `start`, so they have a single definition.
// A byte-cm-core test checks the agreement with the reference and that this file builds to the shipped binary.
//
// One instance is one model: its state lives in the globals and the linear memory below.

// ---- layout (byte addresses), set by `layout` ----
let stretchAt: i32 = 0; // 4096 i32: stretch(p)
let squashAt: i32 = 0; // 4096 i32: squash(x) at x + 2048
let ratesAt: i32 = 0; // 1024 i32: StateMap learning rate after n observations
let nextAt: i32 = 0; // 512 u8: bit-history state after a bit, at 2·state + bit
let confidenceAt: i32 = 0; // 256 u8: n0 + n1 of a state
let letterAt: i32 = 0; // 256 u8: 1 for a byte that belongs to a word
let mapAt: i32 = 0; // contexts × 256 i32: the contexts' StateMaps (packed 22-bit p, 10-bit count)
let believedAt: i32 = 0; // 128 i32: the match model's StateMap
let apmAt: i32 = 0; // 65536 × 33 u16: the order-1 APM's knots
let contextsAt: i32 = 0; // contexts × 32 bytes: slot, base, counts-as-known, byte-context hash, nibble hash
let inputsAt: i32 = 0; // width i32: the mixer's inputs (bias, contexts, match, zeros)
let weightsAt: i32 = 0; // first-layer weight vectors (256 by bits so far, then (hashed + 1)·32 by known orders), width i32 each
let layer1At: i32 = 0;
let finalWeightsAt: i32 = 0; // 256 × 2 i32
let historyAt: i32 = 0; // 2^22 u8: the match model's byte history
let positionsAt: i32 = 0; // 2^20 i32: where each hashed context last occurred
let statesAt: i32 = 0; // the hashed bucket table (2^memory bytes), then the direct order-0 and order-1 buckets
let order0At: i32 = 0;
let order1At: i32 = 0;

// ---- configuration ----
let contextCount: i32 = 0;
let directCount: i32 = 0;
let hashedCount: i32 = 0;
let orderMask: i32 = 0; // bit k set: order k (2..8) is hashed
let maxOrder: i32 = 0;
let useWords: i32 = 0;
let bucketMask: i32 = 0;
let matchMinLength: i32 = 0;

const directBucketsPerByte: i32 = 17;
/** Mixer inputs, padded with zeros to the most there can be (bias, 13 contexts, match = 15): 4 SIMD lanes × 4, one cache line of weights. */
const width: i32 = 16;
const mapLimit: i32 = 1023;
const historyMask: i32 = (1 << 22) - 1;
const positionMask: i32 = (1 << 20) - 1;
const stretchLimit: i32 = 2047;
const settledMiss: i32 = 128;
const mixerRate: i32 = 4;
const finalRate: i32 = 2;
const apmRate: i32 = 6;

// ---- model state ----
let partial: i32 = 1;
let nibbleNode: i32 = 1;
let bitIndex: i32 = 0;
let recent: i32 = 0;
let older: i32 = 0;
let word: i32 = 0;
let previousWord: i32 = 0;
let wordBeforePrevious: i32 = 0;
let probability: i32 = 2048;
let bytes: i32 = 0;
let evictions: i32 = 0;
let touched: i32 = 0;

// mixer
let selected0: i32 = 0;
let selected1: i32 = 0;
let finalOffset: i32 = 0;
let hidden0: i32 = 0;
let hidden1: i32 = 0;
let hiddenP0: i32 = 0;
let hiddenP1: i32 = 0;
let mixerProbability: i32 = 2048;
let boost: i32 = 2 * mixerRate;
let updates: i64 = 0;

// APM
let apmIndex: i32 = 0;

// match model
let matchPosition: i32 = 0;
let matchPointer: i32 = 0;
let matchLength: i32 = 0;
let matchPredicted: i32 = 0;
let matchContext: i32 = 0;

function align64(address: i32): i32 {
  return (address + 63) & ~63;
}

/**
 * Lays the model out for `memoryLog2` bytes of hashed table, the hashed orders in `hashedOrderMask` (bit k for
 * order k in 2..8), order 1 direct or not, the word contexts or not, and the match model (0 = none); grows the
 * memory to fit. Call once, then fill the tables (`region`), then `start`.
 */
export function layout(memoryLog2: i32, hashedOrderMask: i32, order1: i32, words: i32, minLength: i32): void {
  orderMask = hashedOrderMask;
  hashedCount = popcnt<i32>(hashedOrderMask);
  maxOrder = hashedOrderMask === 0 ? 0 : 31 - clz<i32>(hashedOrderMask);
  directCount = order1 ? 2 : 1;
  useWords = words;
  contextCount = directCount + hashedCount + (words ? 4 : 0);
  matchMinLength = minLength;
  bucketMask = (1 << (memoryLog2 - 4)) - 1;

  let at = align64(<i32>__heap_base);
  stretchAt = at;
  at += 4096 * 4;
  squashAt = at;
  at += 4096 * 4;
  ratesAt = at;
  at += 1024 * 4;
  nextAt = at;
  at += 512;
  confidenceAt = at;
  at += 256;
  letterAt = at;
  at += 256;
  mapAt = align64(at);
  at = mapAt + contextCount * 256 * 4;
  believedAt = align64(at);
  at = believedAt + 128 * 4;
  contextsAt = align64(at);
  at = contextsAt + contextCount * 32;
  inputsAt = align64(at);
  at = inputsAt + width * 4;
  weightsAt = align64(at);
  layer1At = weightsAt + 256 * width * 4;
  finalWeightsAt = layer1At + (hashedCount + 1) * 32 * width * 4;
  at = finalWeightsAt + 256 * 2 * 4;
  apmAt = align64(at);
  at = apmAt + 65536 * 33 * 2;
  historyAt = align64(at);
  positionsAt = historyAt;
  if (minLength > 0) {
    positionsAt = historyAt + (1 << 22);
    at = positionsAt + (1 << 20) * 4;
  }
  statesAt = align64(at);
  order0At = statesAt + (1 << memoryLog2);
  order1At = order0At + directBucketsPerByte * 16;
  at = order1At + 256 * directBucketsPerByte * 16;

  const pages = ((at + 0xffff) >>> 16) - memory.size();
  if (pages > 0 && memory.grow(pages) < 0) unreachable();

  // mixer weights start at 1/8 (first layer) and 1/2 (second), as MixerNetwork's
  for (let a = weightsAt; a < finalWeightsAt; a += 4) store<i32>(a, 65536 >> 3);
  for (let a = finalWeightsAt; a < finalWeightsAt + 256 * 2 * 4; a += 4) store<i32>(a, 65536 / 2);
  selected0 = weightsAt;
  selected1 = layer1At;
  for (let j = 0; j < contextCount; j++) {
    store<i32>(contextsAt + (j << 5) + 8, j >= directCount && j < directCount + hashedCount ? 1 : 0);
  }
  store<i32>(inputsAt, 256);
}

/** The byte address of a table for the host to fill: 0 stretch, 1 squash, 2 rates, 3 next state, 4 confidence, 5 letters, 6 maps, 7 match beliefs, 8 APM. */
export function region(which: i32): i32 {
  switch (which) {
    case 0:
      return stretchAt;
    case 1:
      return squashAt;
    case 2:
      return ratesAt;
    case 3:
      return nextAt;
    case 4:
      return confidenceAt;
    case 5:
      return letterAt;
    case 6:
      return mapAt;
    case 7:
      return believedAt;
    case 8:
      return apmAt;
    default:
      return -1;
  }
}

// ---- helpers ----

function stretch(p: i32): i32 {
  return load<i32>(stretchAt + (p << 2));
}

function squashClamped(x: i32): i32 {
  if (x > stretchLimit) x = stretchLimit;
  else if (x < -stretchLimit) x = -stretchLimit;
  return load<i32>(squashAt + ((x + 2048) << 2));
}

/** StateMap.update on a packed entry at `address`. */
function learnEntry(address: i32, bit: i32): void {
  const entry = load<i32>(address);
  const n = entry & 1023;
  const p = <i32>(<u32>entry >> 10);
  const rate = load<i32>(ratesAt + (n << 2));
  const moved = bit ? p + (((((1 << 22) - p) >> 5) * rate) >> 8) : p - (((p >> 5) * rate) >> 8);
  store<i32>(address, (moved << 10) | (n < mapLimit ? n + 1 : n));
}

/** The 32-bit avalanche of byte-cm-reference-model's `finalize`. */
function finalize(hash: i32, tag: i32): i32 {
  let h = (hash ^ ((tag + 1) * <i32>0x9e3779b1)) * <i32>0x85ebca6b;
  h ^= <i32>(<u32>h >> 13);
  h = h * <i32>0xc2b2ae35;
  return h ^ <i32>(<u32>h >> 16);
}

/** NibbleBucketTable.find: the absolute address of the bucket of a hash, claiming one if the context is new. */
function find(hash: i32): i32 {
  const check = <i32>(<u32>hash >> 24);
  const home = hash & bucketMask;
  let victim = 0;
  let victimConfidence = 256;
  for (let probe = 0; probe < 3; probe++) {
    const base = statesAt + ((home ^ probe) << 4);
    if (<i32>load<u8>(base) === check) return base;
    const confidence = <i32>load<u8>(confidenceAt + <i32>load<u8>(base + 1));
    if (confidence < victimConfidence) {
      victimConfidence = confidence;
      victim = base;
    }
  }
  if (victimConfidence > 0) evictions++;
  store<u8>(victim, <u8>check);
  memory.fill(victim + 1, 0, 15);
  return victim;
}

// ---- byte and nibble boundaries ----

function beginByte(byte: i32, hasByte: bool): void {
  partial = 1;
  nibbleNode = 1;
  bitIndex = 0;
  if (hasByte) {
    older = (older << 8) | <i32>(<u32>recent >> 24);
    recent = (recent << 8) | byte;
    bytes++;
    if (load<u8>(letterAt + byte)) {
      const lower = byte >= 65 && byte <= 90 ? byte + 32 : byte;
      word = (word ^ lower) * 0x01000193 + 0x7f4a7c15;
    } else if (word !== 0) {
      wordBeforePrevious = previousWord;
      previousWord = word;
      word = 0;
    }
  }
  const last = recent & 255;
  store<i32>(contextsAt + 4, order0At);
  if (directCount === 2) store<i32>(contextsAt + 32 + 4, order1At + last * directBucketsPerByte * 16);
  let hash = 0;
  let j = directCount;
  for (let order = 0; order < maxOrder; order++) {
    const byteAt = order < 4 ? (<i32>(<u32>recent >> (8 * order))) & 255 : (<i32>(<u32>older >> (8 * (order - 4)))) & 255;
    hash = (hash ^ byteAt) * 0x2c1b3c6d + order + 1;
    const covered = order + 1;
    if (orderMask & (1 << covered)) {
      store<i32>(contextsAt + (j << 5) + 12, finalize(hash, covered));
      j++;
    }
  }
  if (useWords) {
    const previous = previousWord * 0x1b873593;
    const beforePrevious = wordBeforePrevious * 0x68e31da4;
    store<i32>(contextsAt + (j << 5) + 12, finalize(word + last * 0x3c6ef372, 100));
    store<i32>(contextsAt + ((j + 1) << 5) + 12, finalize(word + previous, 101));
    store<i32>(contextsAt + ((j + 2) << 5) + 12, finalize(word + previous + beforePrevious, 102));
    store<i32>(contextsAt + ((j + 3) << 5) + 12, finalize(word + beforePrevious, 103));
  }
  touchBuckets(0);
}

function beginSecondNibble(): void {
  const highNibbleBucket = (partial - 15) * 16;
  store<i32>(contextsAt + 4, order0At + highNibbleBucket);
  if (directCount === 2) store<i32>(contextsAt + 32 + 4, order1At + (recent & 255) * directBucketsPerByte * 16 + highNibbleBucket);
  touchBuckets(partial);
}

/** Hashes every hashed context with the nibble and reads its home bucket, so that the cache misses overlap. */
function touchBuckets(nibble: i32): void {
  let sink = touched;
  for (let j = directCount; j < contextCount; j++) {
    const record = contextsAt + (j << 5);
    const hash = finalize(load<i32>(record + 12), nibble);
    store<i32>(record + 16, hash);
    sink ^= <i32>load<u8>(statesAt + ((hash & bucketMask) << 4));
  }
  touched = sink;
}

function findBuckets(): void {
  for (let j = directCount; j < contextCount; j++) {
    const record = contextsAt + (j << 5);
    store<i32>(record + 4, find(load<i32>(record + 16)));
  }
}

// ---- contexts ----

function learn(bit: i32): void {
  const count = contextCount;
  const contexts = contextsAt;
  const maps = mapAt;
  const next = nextAt + bit;
  for (let j = 0; j < count; j++) {
    const slot = load<i32>(contexts + (j << 5));
    const state = <i32>load<u8>(slot);
    learnEntry(maps + (((j << 8) | state) << 2), bit);
    store<u8>(slot, load<u8>(next + 2 * state));
  }
}

function gather(): i32 {
  let known = 0;
  const node = nibbleNode;
  const count = contextCount;
  const contexts = contextsAt;
  const maps = mapAt;
  const stretchTable = stretchAt;
  const inputs = inputsAt + 4;
  for (let j = 0; j < count; j++) {
    const record = contexts + (j << 5);
    const slot = load<i32>(record + 4) + node;
    store<i32>(record, slot);
    const state = <i32>load<u8>(slot);
    known += load<i32>(record + 8) & ((state + 255) >> 8);
    store<i32>(inputs + (j << 2), load<i32>(stretchTable + ((<i32>(<u32>load<i32>(maps + (((j << 8) | state) << 2)) >> 20)) << 2)));
  }
  return known;
}

function learnAndGather(bit: i32): i32 {
  let known = 0;
  const node = nibbleNode;
  const count = contextCount;
  const contexts = contextsAt;
  const maps = mapAt;
  const next = nextAt + bit;
  const stretchTable = stretchAt;
  const inputs = inputsAt + 4;
  for (let j = 0; j < count; j++) {
    const record = contexts + (j << 5);
    const slot = load<i32>(record);
    const state = <i32>load<u8>(slot);
    learnEntry(maps + (((j << 8) | state) << 2), bit);
    store<u8>(slot, load<u8>(next + 2 * state));
    const nextSlot = load<i32>(record + 4) + node;
    store<i32>(record, nextSlot);
    const nextStateHere = <i32>load<u8>(nextSlot);
    known += load<i32>(record + 8) & ((nextStateHere + 255) >> 8);
    store<i32>(inputs + (j << 2), load<i32>(stretchTable + ((<i32>(<u32>load<i32>(maps + (((j << 8) | nextStateHere) << 2)) >> 20)) << 2)));
  }
  return known;
}

// ---- mixer (MixerNetwork with two first-layer mixers) ----

/** Σ inputs·weights over the 16 inputs, exact in 64 bits (the padding inputs are 0). */
function dot(weights: i32): i64 {
  const inputs = inputsAt;
  let x = v128.load(inputs);
  let w = v128.load(weights);
  let sum = i64x2.add(i64x2.extmul_low_i32x4_s(x, w), i64x2.extmul_high_i32x4_s(x, w));
  x = v128.load(inputs, 16);
  w = v128.load(weights, 16);
  sum = i64x2.add(sum, i64x2.add(i64x2.extmul_low_i32x4_s(x, w), i64x2.extmul_high_i32x4_s(x, w)));
  x = v128.load(inputs, 32);
  w = v128.load(weights, 32);
  sum = i64x2.add(sum, i64x2.add(i64x2.extmul_low_i32x4_s(x, w), i64x2.extmul_high_i32x4_s(x, w)));
  x = v128.load(inputs, 48);
  w = v128.load(weights, 48);
  sum = i64x2.add(sum, i64x2.add(i64x2.extmul_low_i32x4_s(x, w), i64x2.extmul_high_i32x4_s(x, w)));
  return i64x2.extract_lane(sum, 0) + i64x2.extract_lane(sum, 1);
}

function mix(finalContext: i32): i32 {
  finalOffset = finalWeightsAt + ((finalContext * 2) << 2);
  let x0 = <i32>(dot(selected0) / 65536);
  if (x0 > stretchLimit) x0 = stretchLimit;
  else if (x0 < -stretchLimit) x0 = -stretchLimit;
  let x1 = <i32>(dot(selected1) / 65536);
  if (x1 > stretchLimit) x1 = stretchLimit;
  else if (x1 < -stretchLimit) x1 = -stretchLimit;
  hidden0 = x0;
  hidden1 = x1;
  hiddenP0 = squashClamped(x0);
  hiddenP1 = squashClamped(x1);
  const finalDot = <i64>x0 * <i64>load<i32>(finalOffset) + <i64>x1 * <i64>load<i32>(finalOffset + 4);
  mixerProbability = squashClamped(<i32>(finalDot / 65536));
  return mixerProbability;
}

/** weights += (inputs·error) >> 14 over the 16 inputs (|input·error| < 2^27, so 32-bit products are exact). */
function train(weights: i32, error: i32): void {
  const scaled = i32x4.splat(error);
  const inputs = inputsAt;
  v128.store(weights, i32x4.add(v128.load(weights), i32x4.shr_s(i32x4.mul(v128.load(inputs), scaled), 14)));
  v128.store(weights, i32x4.add(v128.load(weights, 16), i32x4.shr_s(i32x4.mul(v128.load(inputs, 16), scaled), 14)), 16);
  v128.store(weights, i32x4.add(v128.load(weights, 32), i32x4.shr_s(i32x4.mul(v128.load(inputs, 32), scaled), 14)), 32);
  v128.store(weights, i32x4.add(v128.load(weights, 48), i32x4.shr_s(i32x4.mul(v128.load(inputs, 48), scaled), 14)), 48);
}

function mixerUpdate(bit: i32): void {
  const target = bit << 12;
  const finalError = (target - mixerProbability) * finalRate;
  const rate = mixerRate + boost;
  store<i32>(finalOffset, load<i32>(finalOffset) + ((hidden0 * finalError) >> 14));
  let miss = target - hiddenP0;
  if (miss >= settledMiss || miss <= -settledMiss) train(selected0, miss * rate);
  store<i32>(finalOffset + 4, load<i32>(finalOffset + 4) + ((hidden1 * finalError) >> 14));
  miss = target - hiddenP1;
  if (miss >= settledMiss || miss <= -settledMiss) train(selected1, miss * rate);
  updates++;
  if ((updates & 1023) === 0) boost = <i32>((<i64>(2 * mixerRate * 65536)) / (65536 + updates));
}

// ---- APM (order 1) ----

function apmRefine(p: i32, context: i32): i32 {
  const s = stretch(p) + 2048;
  const low = s >> 7;
  const weight = s & 127;
  const base = context * 33 + low;
  apmIndex = base + (weight >> 6);
  const address = apmAt + (base << 1);
  return (<i32>load<u16>(address) * (128 - weight) + <i32>load<u16>(address + 2) * weight) >> 11;
}

function apmUpdate(bit: i32): void {
  const address = apmAt + (apmIndex << 1);
  const knot = <i32>load<u16>(address);
  store<u16>(address, <u16>(knot + ((bit * 65535 - knot + (1 << (apmRate - 1))) >> apmRate)));
}

// ---- match model ----

function matchUpdateByte(byte: i32): void {
  store<u8>(historyAt + (matchPosition & historyMask), <u8>byte);
  matchPosition++;
  const position = matchPosition;
  if (matchLength > 0 && matchPredicted === byte) {
    matchLength++;
    matchPointer++;
  } else {
    matchLength = 0;
  }
  if (position < matchMinLength) return;
  let hash = 0;
  for (let k = 1; k <= matchMinLength; k++) hash = (hash ^ <i32>load<u8>(historyAt + ((position - k) & historyMask))) * 0x2f0b3a49 + k;
  hash = (hash ^ <i32>(<u32>hash >> 15)) & positionMask;
  const slot = positionsAt + (hash << 2);
  if (matchLength === 0) {
    const candidate = load<i32>(slot);
    if (candidate > 0 && position - candidate < historyMask) {
      let length = 0;
      while (
        length < 65535 &&
        length < candidate &&
        load<u8>(historyAt + ((candidate - 1 - length) & historyMask)) === load<u8>(historyAt + ((position - 1 - length) & historyMask))
      ) {
        length++;
      }
      if (length >= matchMinLength) {
        matchLength = length;
        matchPointer = candidate;
      }
    }
  }
  store<i32>(slot, position);
  if (matchLength > 0) matchPredicted = <i32>load<u8>(historyAt + (matchPointer & historyMask));
}

function matchPredict(): i32 {
  if (matchLength === 0) return 0;
  const predicted = matchPredicted | 256;
  if (predicted >> (8 - bitIndex) !== partial) {
    matchLength = 0;
    return 0;
  }
  const expectedBit = (predicted >> (7 - bitIndex)) & 1;
  const length = matchLength;
  let bucket = length;
  if (length >= 32) {
    bucket = 32 + ((length - 32) >> 4);
    if (bucket > 63) bucket = 63;
  }
  matchContext = bucket * 2 + expectedBit;
  return stretch(<i32>(<u32>load<i32>(believedAt + (matchContext << 2)) >> 20));
}

// ---- prediction ----

function predict(known: i32): i32 {
  const last = recent & 255;
  if (matchMinLength > 0) store<i32>(inputsAt + ((contextCount + 1) << 2), matchPredict());
  selected0 = weightsAt + partial * width * 4;
  selected1 = layer1At + (known * 32 + (last >> 3)) * width * 4;
  const p = mix(partial);
  const refined = apmRefine(p, (last << 8) | partial);
  const final = (p + 3 * refined + 2) >> 2;
  return final < 1 ? 1 : final > 4095 ? 4095 : final;
}

/** After `layout` and the tables: the first prediction. Returns the 12-bit probability that the first bit is 1. */
export function start(): i32 {
  beginByte(0, false);
  findBuckets();
  probability = predict(gather());
  return probability;
}

/** Learns the bit just coded and returns the 12-bit probability (in [1, 4095]) that the next bit is 1. */
export function update(bit: i32): i32 {
  partial = (partial << 1) | bit;
  bitIndex++;
  let known: i32;
  if (bitIndex === 4 || bitIndex === 8) {
    // start the next nibble's bucket reads, then learn elsewhere while the cache misses are pending
    learn(bit);
    nibbleNode = 1;
    const endOfByte = bitIndex === 8;
    const byte = partial & 255;
    if (endOfByte) beginByte(byte, true);
    else beginSecondNibble();
    mixerUpdate(bit);
    apmUpdate(bit);
    if (matchMinLength > 0) {
      if (matchLength > 0) learnEntry(believedAt + (matchContext << 2), bit);
      if (endOfByte) matchUpdateByte(byte);
    }
    findBuckets();
    known = gather();
  } else {
    mixerUpdate(bit);
    apmUpdate(bit);
    if (matchMinLength > 0 && matchLength > 0) learnEntry(believedAt + (matchContext << 2), bit);
    nibbleNode = (nibbleNode << 1) | bit;
    known = learnAndGather(bit);
  }
  probability = predict(known);
  return probability;
}

export function bytesSeen(): i32 {
  return bytes;
}

export function evictionCount(): i32 {
  return evictions;
}

export function contexts(): i32 {
  return contextCount;
}
