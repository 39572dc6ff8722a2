import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filesUnder, fixtures, kolmo, temporaryFolder } from './cli-harness.ts';

const plugin = join(fixtures, '../../../packages/core/fixtures/local-plugin');

/** The counting sweep (documents 30, 60 × seeds 1, 2) with a report section. */
function specWithReport(report: string): string {
  const file = join(temporaryFolder(), 'sweep.yaml');
  const base = readFileSync(join(fixtures, 'counting-sweep.yaml'), 'utf8').replace(/plugins: \[.*\]/, `plugins: [${plugin}]`);
  writeFileSync(file, `${base}${report}`);
  return file;
}

const report = `report:
  title: Counting sweep
  plots:
    - { kind: scaling, id: loss, x: documents, y: bits_per_document }
    - { kind: lines, id: per-byte, x: documents, y: bits_per_byte, color: predictor, xScale: log }
`;

describe('kolmo report', () => {
  it('is rendered by kolmo run when the spec has a report section, and again by kolmo report from the manifests', async () => {
    const out = temporaryFolder();
    const spec = specWithReport(report);
    const run = await kolmo('run', spec, '--out', out);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/report: .*report\.html \(2 plots\)/);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<h1>Counting sweep</h1>');
    expect(html.match(/<svg /g)!.length).toBe(2);
    // one point per sweep value of documents (the two seeds are averaged), for the one predictor
    const loss = readFileSync(join(out, 'plots', 'loss.svg'), 'utf8');
    expect([...loss.matchAll(/aria-label="predictor=adaptive-bytes; documents=(\d+);[^"]*n=2"/g)].map((m) => Number(m[1]))).toEqual([30, 60]);

    const again = await kolmo('report', out);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('plots/loss.svg');
    expect(readFileSync(join(out, 'plots', 'loss.svg'), 'utf8')).toBe(loss);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).not.toContain(out); // no absolute paths in a report that travels
    const path = await kolmo('report', out, '--open-path');
    expect(path.stdout).toBe(`${join(out, 'report.html')}\n`);
  });

  it('takes another spec’s report section with --spec, and renders the fits table alone when there is none', async () => {
    const out = temporaryFolder();
    expect((await kolmo('run', specWithReport(''), '--out', out, '--quiet')).code).toBe(0);
    expect(existsSync(join(out, 'report.html'))).toBe(false);
    const plain = await kolmo('report', out);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('has no report: section: the report has the fits table only');
    const other = await kolmo('report', out, '--spec', specWithReport(report));
    expect(other.code).toBe(0);
    expect(filesUnder(join(out, 'plots')).sort()).toEqual(['loss.svg', 'per-byte.svg']);
  });

  it('refuses a bad report section before running, naming its path and line', async () => {
    const out = temporaryFolder();
    const spec = specWithReport('report:\n  plots:\n    - { kind: scaling, colour: seed }\n');
    const { code, stderr } = await kolmo('run', spec, '--out', out);
    expect(code).toBe(3);
    expect(stderr).toMatch(/report\.plots\[0\]\.colour \(.*sweep\.yaml:\d+:\d+\): unknown field/);
    expect(filesUnder(out)).toEqual([]);
  });

  it('says what is wrong with the folder or the data', async () => {
    const missing = await kolmo('report', join(temporaryFolder(), 'nothing'));
    expect(missing.code).toBe(5);
    expect(missing.stderr).toContain('is not a folder');
    const out = temporaryFolder();
    const spec = specWithReport('report:\n  plots:\n    - { kind: scaling, y: bits_per_doc }\n');
    const run = await kolmo('run', spec, '--out', out, '--quiet');
    expect(run.code).toBe(5);
    expect(run.stderr).toMatch(/report\.plots\[0\] \(scaling "scaling-1"\): y column "bits_per_doc" is not in the table .*the run's outputs are complete in/);
    expect(existsSync(join(out, 'metrics-table.json'))).toBe(true);
  });
});
