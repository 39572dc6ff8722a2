import type { Prior, Seating } from '@kolmo/core';
import type { SyntaxKnowledgeSource } from '../syntax-knowledge-source.ts';
import type { DocumentParts } from './document-layout.ts';

/**
 * What a learner knows about the individuals it has seen: the prior's own seating (counts, predictive rule),
 * and per element the values documents revealed. Elements are numbered locally in order of first sight;
 * `localOf` maps the source's element ids (a name identifies its element) to them.
 */
export class LearnedElements {
  readonly seating: Seating;
  readonly attributes: number;
  private readonly source: SyntaxKnowledgeSource;
  private local = new Int32Array(1024).fill(-1);
  private generator = new Int32Array(1024);
  private revealedMask = new Int32Array(1024);
  private valueTable = new Int32Array(1024);
  private shownTable = new Int32Array(1024);

  constructor(prior: Prior, source: SyntaxKnowledgeSource) {
    this.seating = prior.seating();
    this.source = source;
    this.attributes = source.attributeCount;
    this.valueTable = new Int32Array(1024 * this.attributes).fill(-1);
    this.shownTable = new Int32Array(1024 * this.attributes);
  }

  /** Elements seen (the seating's K). */
  get size(): number {
    return this.seating.distinct;
  }

  /** Local id of a source element, or −1 if never seen. */
  localOf(element: number): number {
    return element < this.local.length ? this.local[element] : -1;
  }

  generatorOf(local: number): number {
    return this.generator[local];
  }

  count(local: number): number {
    return this.seating.count(local);
  }

  /** Bitmask of the attributes whose value some document revealed. */
  revealed(local: number): number {
    return this.revealedMask[local];
  }

  /** The revealed value (index into the attribute's list), or −1. */
  value(local: number, attribute: number): number {
    return this.valueTable[local * this.attributes + attribute];
  }

  /** Documents that showed this element's attribute. */
  shown(local: number, attribute: number): number {
    return this.shownTable[local * this.attributes + attribute];
  }

  /** Learns from a document: seats its element and remembers the values it shows. Returns the local id. */
  observe(parts: DocumentParts): number {
    const element = parts.element;
    let local = this.localOf(element);
    if (local < 0) {
      local = this.seating.distinct;
      this.ensure(element, local);
      this.local[element] = local;
      this.generator[local] = element;
    }
    this.seating.add(local);
    const A = this.attributes;
    for (let i = 0; i < parts.sentences; i++) {
      const a = parts.attribute[i];
      if (!((this.revealedMask[local] >> a) & 1)) {
        this.revealedMask[local] |= 1 << a;
        this.valueTable[local * A + a] = this.source.valueOf(element, a);
      }
      this.shownTable[local * A + a]++;
    }
    return local;
  }

  private ensure(element: number, local: number): void {
    if (element >= this.local.length) {
      const grown = new Int32Array(Math.max(element + 1, 2 * this.local.length)).fill(-1);
      grown.set(this.local);
      this.local = grown;
    }
    if (local >= this.generator.length) {
      const size = 2 * this.generator.length;
      const A = this.attributes;
      const grow = (array: Int32Array, length: number, fill: number) => {
        const grown = new Int32Array(length).fill(fill);
        grown.set(array);
        return grown;
      };
      this.generator = grow(this.generator, size, 0);
      this.revealedMask = grow(this.revealedMask, size, 0);
      this.valueTable = grow(this.valueTable, size * A, -1);
      this.shownTable = grow(this.shownTable, size * A, 0);
    }
  }
}
