import { readFileSync } from 'node:fs';
import { isKolmoError, Rng } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { adaptiveBytesModel } from './builtin-predictors.fixture.ts';
import { ByteModelRegistry } from './byte-model.ts';
import { compressBytes, decompressBytes } from './compress.ts';
import { containerHead, containerTrailer, openContainer, type ContainerHeader } from '@kolmo/entropy-coding';

const adaptive = adaptiveBytesModel;
const models = new ByteModelRegistry().add(adaptive);
const rng = new Rng(20260601, 'container-fuzz');

const originals: Uint8Array[] = [
  readFileSync(new URL('../../../examples/corpora/alice29.txt', import.meta.url)).subarray(0, 400),
  Uint8Array.from({ length: 300 }, () => rng.nextUint32() & 0xff),
  new Uint8Array(0),
  Uint8Array.of(42),
  new Uint8Array(200).fill(7),
];

const randomBytes = (n: number) => Uint8Array.from({ length: n }, () => rng.nextUint32() & 0xff);
const below = (n: number) => Math.floor(rng.nextFloat() * n);

/** Rebuilds a container from its parts, with valid CRCs: mutations that get past the format checks. */
function rebuild(header: ContainerHeader, payload: Uint8Array, checksum: Uint8Array, payloadLength = payload.length): Uint8Array {
  return Buffer.concat([containerHead(header), payload, containerTrailer(payloadLength, checksum)]);
}

type Mutation = (container: Uint8Array) => Uint8Array;

const mutations: [name: string, weight: number, mutate: Mutation][] = [
  ['flip bits', 20, (c) => {
    const out = c.slice();
    for (let k = 1 + below(3); k > 0; k--) out[below(out.length)] ^= 1 << below(8);
    return out;
  }],
  ['set a byte', 10, (c) => {
    const out = c.slice();
    out[below(out.length)] = below(256);
    return out;
  }],
  ['truncate', 10, (c) => c.slice(0, below(c.length))],
  ['append', 10, (c) => Buffer.concat([c, randomBytes(1 + below(16))])],
  ['delete a span', 5, (c) => {
    const at = below(c.length);
    return Buffer.concat([c.subarray(0, at), c.subarray(at + 1 + below(8))]);
  }],
  ['insert bytes', 5, (c) => {
    const at = below(c.length);
    return Buffer.concat([c.subarray(0, at), randomBytes(1 + below(8)), c.subarray(at)]);
  }],
  // Past the CRCs: the decoder and the checksum must catch these.
  ['damage the payload', 25, (c) => {
    const { header, payload, checksum } = openContainer(c);
    const damaged = payload.length > 0 ? payload.slice() : randomBytes(1 + below(4));
    if (payload.length > 0) for (let k = 1 + below(3); k > 0; k--) damaged[below(damaged.length)] ^= 1 << below(8);
    return rebuild(header, damaged, checksum);
  }],
  ['resize the payload', 5, (c) => {
    const { header, payload, checksum } = openContainer(c);
    const resized = rng.nextFloat() < 0.5 ? payload.subarray(0, below(payload.length + 1)) : Buffer.concat([payload, randomBytes(1 + below(8))]);
    return rebuild(header, resized, checksum);
  }],
  ['forge the header', 7, (c) => {
    const { header, payload, checksum } = openContainer(c);
    const forged: ContainerHeader[] = [
      { ...header, length: header.length + 1 + below(1000) },
      { ...header, length: Math.max(0, header.length - 1 - below(10)) },
      { ...header, length: 2 ** 40 + below(2 ** 20) },
      { ...header, precision: 1 + below(32) },
      { ...header, parameters: { prior: 0.01 + rng.nextFloat() * 10 } },
      { ...header, parameters: { prior: 'half' } },
      { ...header, parameters: { wrong: 1 } },
      { ...header, model: 'byte-cm' },
    ];
    return rebuild(forged[below(forged.length)], payload, checksum);
  }],
  ['forge the trailer', 3, (c) => {
    const { header, payload, checksum } = openContainer(c);
    return rng.nextFloat() < 0.5 ? rebuild(header, payload, randomBytes(32)) : rebuild(header, payload, checksum, below(2 ** 20));
  }],
];
const totalWeight = mutations.reduce((sum, [, weight]) => sum + weight, 0);

function pickMutation(): [string, Mutation] {
  let r = below(totalWeight);
  for (const [name, weight, mutate] of mutations) {
    if (r < weight) return [name, mutate];
    r -= weight;
  }
  throw new Error('unreachable');
}

describe('decompressBytes under fuzzing', () => {
  it('on 10,000 mutated containers throws only input errors and never returns wrong data', { timeout: 120_000 }, async () => {
    const containers = await Promise.all(originals.map((data) => compressBytes(data, adaptive)));
    const outcomes = new Map<string, number>();
    for (let run = 0; run < 10_000; run++) {
      const which = below(originals.length);
      const [name, mutate] = pickMutation();
      const mutated = mutate(containers[which]);
      let outcome: string;
      try {
        const decoded = await decompressBytes(mutated, models);
        // Accepted: it must be exactly the original (a mutation may be a no-op, e.g. a span deleted at the end).
        expect(Buffer.from(decoded).equals(originals[which]), `${name}, run ${run}`).toBe(true);
        outcome = 'accepted';
      } catch (error) {
        if (!isKolmoError(error) || error.kind !== 'input') throw new Error(`${name}, run ${run}: not an input error: ${error}`, { cause: error });
        outcome = error.message.replace(/^input: /, '').replace(/[:(].*$/, '').trim();
      }
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    // The mutations reached every line of defence, not just the first.
    const seen = [...outcomes.keys()].join(' | ');
    for (const defence of ['corrupted header', 'checksum mismatch', 'cannot be decoded', 'truncated', 'not a kolmo container']) {
      expect(seen).toContain(defence);
    }
  });
});
