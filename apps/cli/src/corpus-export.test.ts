import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { kolmo, temporaryFolder } from './cli-harness.ts';

/**
 * Issue: a generated corpus of ≥ 10^6 documents exported to Parquet and to the token binary reads back with
 * identical content. DuckDB reads the Parquet (its own decoder); the .bin files are read as numpy's memmap
 * would, and detokenized with the vocabulary of meta.json alone.
 */
describe('corpus export at 10^6 documents', () => {
  it('Parquet (read by DuckDB) and the token binary (+ documents table) hold the same corpus', async () => {
    const dir = temporaryFolder();
    const spec = join(dir, 'corpus.yaml');
    const documents = 1_000_000;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      spec,
      `seed: 7
pipeline:
  generator: { type: syntax-knowledge, documents: ${documents}, prior: { type: pitman-yor, discount: 0.5, concentration: 1 } }
  tokenizer: { type: slot-word }
  sinks:
    - { type: parquet, records: documents, path: documents.parquet }
    - { type: token-binary, directory: corpus, heldOut: 0.1 }
`,
    );
    const out = join(dir, 'out');
    const run = await kolmo('run', spec, '--out', out, '--quiet');
    expect(run.code, run.stderr).toBe(0);

    const duckdb = await DuckDBInstance.create(':memory:', { threads: '1' });
    const sql = await duckdb.connect();
    const parquet = (await sql.runAndReadAll(`select doc, text, element, isNew from read_parquet('${join(out, 'documents.parquet')}') order by doc`)).getColumnsObjectJS() as {
      doc: number[];
      text: string[];
      element: number[];
      isNew: number[];
    };
    duckdb.closeSync();
    expect(parquet.doc.length).toBe(documents);

    const meta = JSON.parse(readFileSync(join(out, 'corpus/meta.json'), 'utf8')) as { dtype: 'uint16' | 'uint32'; vocabulary: string[]; endOfDocument: number };
    const table = tableFromIPC(readFileSync(join(out, 'corpus/documents.arrow')));
    const doc = table.getChild('doc')!.toArray() as Int32Array;
    const split = table.getChild('split')!.toArray() as Uint8Array;
    const offset = table.getChild('tokenOffset')!.toArray();
    const element = table.getChild('element')!.toArray() as Int32Array;
    const read = (file: string) => {
      const bytes = readFileSync(join(out, 'corpus', file));
      return meta.dtype === 'uint16' ? new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2) : new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
    };
    const bins = [read('train.bin'), read('val.bin')];
    expect(table.numRows).toBe(documents);
    const heldOut = split.reduce((n, s) => n + s, 0);
    // each document is held out with probability 0.1: binomial, within 5 standard deviations
    expect(Math.abs(heldOut - documents / 10)).toBeLessThan(5 * Math.sqrt(documents * 0.1 * 0.9));

    let mismatches = 0;
    for (let row = 0; row < documents; row++) {
      const d = doc[row];
      const ids = bins[split[row]];
      let text = '';
      for (let i = Number(offset[row]); ids[i] !== meta.endOfDocument; i++) text += meta.vocabulary[ids[i]];
      if (text !== parquet.text[d] || element[row] !== parquet.element[d]) mismatches++;
    }
    expect(mismatches).toBe(0);
    // the documents are about elements whose first appearance is marked new, in order
    const firstSeen = new Set<number>();
    let newFlagsRight = 0;
    for (let d = 0; d < documents; d++) {
      const isFirst = !firstSeen.has(parquet.element[d]);
      firstSeen.add(parquet.element[d]);
      if (Boolean(parquet.isNew[d]) === isFirst) newFlagsRight++;
    }
    expect(newFlagsRight).toBe(documents);
  }, 300_000);
});
