/**
 * Builds src/byte-cm/byte-cm-core.wasm from assembly/byte-cm-core.ts with the pinned AssemblyScript compiler
 * (a devDependency): `npm run build:wasm -w @kolmo/predictor`. The build is deterministic, and a test checks
 * that the shipped binary is exactly what this source compiles to.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import asc from 'assemblyscript/asc';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
export const byteCmCoreSource = 'assembly/byte-cm-core.ts';
export const byteCmCoreBinary = 'src/byte-cm/byte-cm-core.wasm';

/** Compiles the core and returns the WebAssembly binary (nothing is written). */
export async function compileByteCmCore(): Promise<Uint8Array> {
  let binary: Uint8Array | undefined;
  const result = await asc.main(
    [byteCmCoreSource, '--baseDir', packageRoot, '-O3', '--runtime', 'stub', '--noAssert', '--enable', 'simd', '--outFile', 'byte-cm-core.wasm'],
    {
      writeFile: (name, contents) => {
        if (name.endsWith('.wasm') && typeof contents !== 'string') binary = contents;
      },
      stdout: asc.createMemoryStream(),
      stderr: asc.createMemoryStream(),
    },
  );
  if (result.error || !binary) throw new Error(`byte-cm core: AssemblyScript failed: ${result.error?.message ?? 'no binary'}\n${result.stderr.toString()}`);
  return binary;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const binary = await compileByteCmCore();
  writeFileSync(`${packageRoot}${byteCmCoreBinary}`, binary);
  console.log(`wrote ${byteCmCoreBinary} (${binary.length} bytes)`);
}
