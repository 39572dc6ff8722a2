import { existsSync } from 'node:fs';
import { KolmoError, readSpecFile, type SpecSource } from '@kolmo/core';
import { parseReportSpec, type ReportSpec } from './report-spec.ts';

/** A spec file's report section, checked (errors name `report.plots[i]…` with the line), or undefined when it has none. */
export function readReportSection(specFile: string): { report: ReportSpec; source: SpecSource } | undefined {
  if (!existsSync(specFile)) throw new KolmoError('input', `cannot read spec ${specFile}: it does not exist (give the spec with --spec)`);
  const source = readSpecFile(specFile);
  const value = (source.value as { report?: unknown } | null)?.report;
  return value === undefined ? undefined : { report: parseReportSpec(value, source), source };
}

/** The report section of an already parsed spec (as `kolmo run` holds it), or undefined. */
export function reportSectionOf(source: SpecSource): ReportSpec | undefined {
  const value = (source.value as { report?: unknown } | null)?.report;
  return value === undefined ? undefined : parseReportSpec(value, source);
}
