import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { formatNumber, logTickLabel } from './axis-format.ts';

/** The look of every plot: readable fonts, light grids, a white background (the SVG stands alone). */
const theme = {
  background: 'white',
  padding: 8,
  font: 'Helvetica, Arial, sans-serif',
  title: { fontSize: 15, subtitleFontSize: 12, subtitleColor: '#444', anchor: 'start', offset: 10 },
  axis: { titleFontSize: 12, labelFontSize: 11, titleFontWeight: 'normal', gridColor: '#e6e6e6', domainColor: '#888', tickColor: '#888' },
  legend: { titleFontSize: 12, labelFontSize: 11, titleFontWeight: 'normal', labelLimit: 320, symbolSize: 90 },
  view: { stroke: '#bbb' },
} as const;

let functionsRegistered = false;

/** `kolmoLogTick(value)` labels log axes (10, 100, 10³ …), `kolmoNumber` ordinal numbers; Vega's expression functions are global, so once. */
function registerExpressionFunctions(): void {
  if (functionsRegistered) return;
  vega.expressionFunction('kolmoLogTick', (value: number, style: 'plain' | 'power') => logTickLabel(value, style));
  vega.expressionFunction('kolmoNumber', (value: unknown) => formatNumber(Number(value), 4));
  functionsRegistered = true;
}

export interface RenderedView {
  readonly svg: string;
  /** The headless Vega view (its scenegraph and scales), for checks; finalize it when done. */
  readonly view: vega.View;
  /** What Vega-Lite warned about while compiling (e.g. a dropped encoding). */
  readonly warnings: string[];
}

/** Compiles a Vega-Lite spec and renders it to SVG in Node: no canvas, no browser, no network. */
export async function renderVegaLite(spec: Record<string, unknown>): Promise<RenderedView> {
  registerExpressionFunctions();
  const warnings: string[] = [];
  const logger = vega.logger(vega.Warn);
  logger.warn = (...args: readonly unknown[]) => {
    warnings.push(args.map(String).join(' '));
    return logger;
  };
  const compiled = compile({ config: theme, ...spec } as TopLevelSpec, { logger }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Error });
  const svg = await view.toSVG();
  return { svg, view, warnings };
}

/** The scene items of a named layer (`<name>_marks`), in data order: each has `datum`, `x`, `y` (pixels). */
export function layerItems(view: vega.View, layer: string): { datum: Record<string, unknown>; x: number; y: number; x2?: number; y2?: number }[] {
  const found: { datum: Record<string, unknown>; x: number; y: number }[] = [];
  const visit = (node: { items?: unknown[]; name?: string; marktype?: string }) => {
    for (const item of (node.items ?? []) as { items?: unknown[]; name?: string; marktype?: string; datum?: Record<string, unknown>; x: number; y: number }[]) {
      if (item.marktype !== undefined) {
        if (item.name === `${layer}_marks`) found.push(...((item.items ?? []) as typeof found));
        else visit(item);
      } else if (item.items) visit(item);
    }
  };
  visit({ items: [(view.scenegraph() as unknown as { root: unknown }).root] });
  return found;
}
