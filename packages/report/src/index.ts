export * from './report-spec.ts';
export * from './report-section.ts';
export * from './run-output.ts';
export * from './render-report.ts';
export { renderVegaLite, layerItems, type RenderedView } from './vega-render.ts';
export { columnLabel, formatNumber } from './axis-format.ts';
export { fittedCurve, lawAlong, pickFit, type FittedCurve, type BandKind } from './fit-curve.ts';
export { theoryCurve, theoryExponent } from './theory-curve.ts';
