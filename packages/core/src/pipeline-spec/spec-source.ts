import { LineCounter, parseDocument, isMap, isNode, isScalar, type Document } from 'yaml';
import { KolmoError } from '../errors.ts';

/** A parsed spec file that can still say where (line, column) any path of it came from. */
export interface SpecSource {
  readonly file: string;
  readonly value: unknown;
  locate(path: readonly PropertyKey[]): string;
}

/** Parses YAML (JSON is YAML); malformed input fails with its line and column. */
export function parseSpecText(text: string, file = '<spec>'): SpecSource {
  const lineCounter = new LineCounter();
  const document = parseDocument(quoteBarePlaceholders(text), { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    const details = document.errors.map((error) => {
      const { line, col } = lineCounter.linePos(error.pos[0]);
      return `${file}:${line}:${col}: ${error.message.split('\n')[0]}`;
    });
    throw new KolmoError('invalidSpec', `malformed YAML in ${details[0]}`, { details });
  }
  return {
    file,
    value: document.toJS({ maxAliasCount: 100 }),
    locate: (path) => locate(document, lineCounter, file, path),
  };
}

/**
 * `documents: ${n}` is how people write sweeps, but `{` inside a YAML flow map (`{ documents: ${n} }`) is
 * a syntax error. A placeholder that stands alone as a value is quoted before parsing, so both styles work;
 * substitution later turns the quoted whole placeholder back into the typed value.
 */
export function quoteBarePlaceholders(text: string): string {
  return text.replace(/(^|[:\[,-]\s*)(\$\{[A-Za-z_][A-Za-z0-9_]*\})(?=\s*(?:[,}\]]|#|$))/gm, '$1"$2"');
}

/** The position of the key that names `path` (or of the item, in a list), else of its nearest parent. */
function locate(document: Document, lineCounter: LineCounter, file: string, path: readonly PropertyKey[]): string {
  for (let depth = path.length; depth >= 0; depth--) {
    const parent = depth > 0 ? document.getIn(path.slice(0, depth - 1) as unknown[], true) : undefined;
    const pair = isMap(parent) ? parent.items.find((item) => isScalar(item.key) && item.key.value === path[depth - 1]) : undefined;
    const node = pair && isNode(pair.key) ? pair.key : document.getIn(path.slice(0, depth) as unknown[], true);
    if (isNode(node) && node.range) {
      const { line, col } = lineCounter.linePos(node.range[0]);
      return `${file}:${line}:${col}`;
    }
  }
  return file;
}

/** `pipeline.predictors[1].backend` from ['pipeline', 'predictors', 1, 'backend']. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out === '' ? String(key) : `.${String(key)}`;
  return out === '' ? '(root)' : out;
}
