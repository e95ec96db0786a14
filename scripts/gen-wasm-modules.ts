/**
 * Writes `src/kernels/wasm/prebuilt.ts`: the bytes of the generated wasm modules a process uses by
 * default (the GEMM with the default tiles, the streaming elementwise kernels, the sliding-window
 * kernels), so that a fresh process compiles them without generating them first. Run it after
 * changing a module generator: `npx tsx scripts/gen-wasm-modules.ts`
 * (test/kernels/module-cache.test.ts fails while the file is stale).
 * @module
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PREBUILT_SOURCES, prebuiltFileText } from '../src/kernels/wasm/prebuilt-sources.js';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const file = join(root, 'src/kernels/wasm/prebuilt.ts');
writeFileSync(file, prebuiltFileText(PREBUILT_SOURCES));
process.stdout.write(`wrote ${file} (${PREBUILT_SOURCES.map((s) => s.family).join(', ')})\n`);
