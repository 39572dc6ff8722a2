import { stageModule } from '@kolmo/core';
import { idealCoder } from './ideal-coder.ts';
import { rangeCoder } from './range-coder.ts';

export { idealCoder };
export { RangeCoder, rangeCoder } from './range-coder.ts';
export { ByteModelRegistry, predictorByteModel, type ByteModel, type ByteModelLookup } from './byte-model.ts';
export {
  containerHead,
  containerTrailer,
  encodeContainer,
  openContainer,
  containerMagic,
  containerVersion,
  type ContainerHeader,
  type OpenedContainer,
} from '@kolmo/entropy-coding';
export {
  compressBytes,
  decompressBytes,
  compressFile,
  decompressFile,
  type CompressOptions,
  type DecompressOptions,
  type CompressionSummary,
  type DecompressionSummary,
  type ProgressCallback,
} from './compress.ts';

/** The built-in coders, registered through the same plugin mechanism as any other. */
export default stageModule(idealCoder, rangeCoder);
