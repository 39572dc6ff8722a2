export { RangeEncoder } from './range-encoder.ts';
export { RangeDecoder } from './range-decoder.ts';
export { defaultPrecision, maxTotalBits } from './range-coder-window.ts';
export { quantizeFrequencies, cumulativeFrequencies, quantizedBits } from './frequency-quantizer.ts';
export { FrequencyTableCodec } from './frequency-table-codec.ts';
export { AdaptiveSymbolCodec } from './adaptive-symbol-codec.ts';
export {
  containerHead,
  containerTrailer,
  encodeContainer,
  openContainer,
  containerMagic,
  containerVersion,
  containerTrailerBytes,
  type ContainerHeader,
  type OpenedContainer,
} from './container.ts';
