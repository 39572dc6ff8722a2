import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSyntaxKnowledgeSource } from './create-syntax-knowledge-source.ts';

/** The ground-truth columns hashed, by name (columns added later do not change the pinned hash). */
const pinnedColumns = ['attribute', 'element', 'frequency', 'isNew', 'knowledgeBits', 'syntaxBits', 'template'] as const;

/**
 * A pinned corpus: 2,000 all-attributes biographies of a fixed seed (Pitman–Yor(0.5, 1), the defaults), texts and
 * ground-truth columns hashed with SHA-256. The hash was recorded before the issue-8 restructuring; a refactor that
 * silently changes data (draw order, rendering, truth columns) fails here.
 */
describe('pinned syntax-knowledge corpus', () => {
  it('2,000 documents hash to the recorded SHA-256', () => {
    const source = createSyntaxKnowledgeSource({ seed: 20250414, mode: 'all-attributes', documents: 2000 });
    const hash = createHash('sha256');
    let documents = 0;
    while (documents < 2000) {
      const batch = source.nextBatch(250);
      for (const text of batch.text) hash.update(text + '\n');
      for (const name of pinnedColumns) {
        const column = batch.columns[name];
        expect(column, name).toBeDefined();
        hash.update(name);
        hash.update(Array.isArray(column) ? column.join('\n') : Buffer.from(column!.buffer, column!.byteOffset, column!.byteLength));
      }
      documents += batch.text.length;
    }
    expect(hash.digest('hex')).toBe('a8342ea5d8a7cdb77f1c492520bdf7fc4f259eb3217087f2c2fda280fa43bfde');
  });
});
