import { describe, expect, it } from 'vitest';
import { KolmoError } from '../errors.ts';
import { formatPath, parseSpecText } from './spec-source.ts';

describe('parseSpecText', () => {
  it('reports malformed YAML with file, line and column', () => {
    const text = 'seed: 1\npipeline:\n  generator: { type: text-file\n  tokenizer: bytes\n';
    const error = catchError(() => parseSpecText(text, 'bad.yaml'));
    expect(error.kind).toBe('invalidSpec');
    expect(error.message).toMatch(/^malformed YAML in bad\.yaml:\d+:\d+: /);
    expect(error.exitCode).toBe(3);
  });

  it('rejects duplicate keys', () => {
    expect(() => parseSpecText('seed: 1\nseed: 2\n', 's.yaml')).toThrow(/s\.yaml:2:1/);
  });

  it('locates a path to its line and column, falling back to the nearest parent', () => {
    const source = parseSpecText('pipeline:\n  predictors:\n    - { type: a }\n    - { type: b, order: 3 }\n', 's.yaml');
    expect(source.locate(['pipeline', 'predictors', 1, 'order'])).toBe('s.yaml:4:18');
    expect(source.locate(['pipeline', 'predictors', 1, 'missing'])).toBe('s.yaml:4:7');
  });

  it('formats paths the way users write them', () => {
    expect(formatPath(['pipeline', 'predictors', 1, 'backend', 'baseUrl'])).toBe('pipeline.predictors[1].backend.baseUrl');
    expect(formatPath([])).toBe('(root)');
  });
});

function catchError(fn: () => unknown): KolmoError {
  try {
    fn();
  } catch (error) {
    return error as KolmoError;
  }
  throw new Error('expected an error');
}
