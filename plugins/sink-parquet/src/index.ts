import { stageModule } from '@kolmo/core';
import { parquetSink } from './parquet-sink.ts';

export { parquetSink };
export { ParquetStreamFile, parquetCompressions, type ParquetCompression, type ParquetWriteOptions } from './parquet-stream-file.ts';

/** The Parquet sink, registered like any third-party plugin. */
export default stageModule(parquetSink);
