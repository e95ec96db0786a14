/**
 * Warm-up of the float32 GEMM at import. A wasm function runs as Liftoff code until V8 has spent
 * its tier-up budget and compiled it with TurboFan in the background; a fresh process's first
 * large product therefore ran several times slower than the next ones. Compiling the GEMM module
 * (private memory, and the shared-memory variant when products use threads) and running a few
 * small products through each at import spends that budget early: TurboFan compiles the kernels
 * on a background thread while the caller prepares its data, and the first product finds them
 * ready. The small products run on throwaway memories; the compiled modules are the ones
 * {@link cachedModule} hands to every later GEMM instance (tier-up state belongs to the compiled
 * module, so every instance and worker shares it).
 * @module
 */
import { buildGemmModule, DEFAULT_TILES } from './gemm-module.js';
import { cachedModule } from './module-cache.js';
import { buildStreamModule } from './stream-module.js';
import { WA, type WasmMemory } from './wasm-api.js';

/** Side of the warm-up products (float32, square). */
const SIDE = 64;
/** Products per module variant. */
const ROUNDS = 3;

type Driver = (...args: number[]) => void;

/** Entry `i` of the warm-up operands (A then B, row-major): small integers, so products are exact. */
function operand(i: number): number {
  // Stryker disable next-line ArithmeticOperator: two implementations of one result (other small-integer operands, checked against the same definition)
  return ((i * 7) % 11) - 5;
}

/**
 * Runs ROUNDS float32 products of SIDE² on `memory` through the module variant for
 * `memoryImport`; true when the last one gave the exact result in two corners of C.
 */
function warmVariant(memoryImport: { initial: number; maximum?: number; shared?: boolean }, memory: WasmMemory): boolean {
  const tiles = { f32: DEFAULT_TILES.f32, f64: DEFAULT_TILES.f64 };
  // Stryker disable next-line ArrowFunction: unreachable (the bytes are prebuilt under this key, which module-cache.test.ts checks; the builder never runs)
  const mod = cachedModule('gemm', tiles, memoryImport, () => buildGemmModule(tiles));
  const gemm = (new WA!.Instance(mod, { env: { memory } }).exports as { gemm_f32: Driver }).gemm_f32;
  const bytes = SIDE * SIDE * 4;
  const [a, b, c, pa, pb] = [0, bytes, 2 * bytes, 3 * bytes, 4 * bytes];
  const f32 = new Float32Array(memory.buffer as ArrayBuffer, 0, 2 * SIDE * SIDE);
  // Stryker disable next-line EqualityOperator: loop bound one past the end (a write past the end of a typed array is a no-op)
  for (let i = 0; i < f32.length; i++) f32[i] = operand(i);
  // gemm_f32(m, n, k, aBase, aI, aP, paAll, ldpa, i0, bBase, bP, bJ, pbAll, ldpb, j0, cBase, ldc, beta0, pa, pb, MC, KC, NC)
  // Stryker disable next-line EqualityOperator: two implementations of one result (one more throwaway warm-up product)
  for (let r = 0; r < ROUNDS; r++)
    gemm(SIDE, SIDE, SIDE, a, SIDE * 4, 4, 0, 0, 0, b, SIDE * 4, 4, 0, 0, 0, c, SIDE * 4, 0, pa, pb, 128, 256, 1024);
  const out = new Float32Array(memory.buffer as ArrayBuffer, c, SIDE * SIDE);
  /** C[i][j] by the definition, from the operands as written. */
  const want = (i: number, j: number): number => {
    let s = 0;
    for (let p = 0; p < SIDE; p++) s += operand(i * SIDE + p) * operand(SIDE * SIDE + p * SIDE + j);
    return s;
  };
  // Stryker disable next-line ConditionalExpression,LogicalOperator: unreachable (fails only for a module that computes wrong, which the committed ones do not)
  return out[1] === want(0, 1) && out[SIDE * SIDE - 2] === want(SIDE - 1, SIDE - 2);
}

/**
 * Compiles the float32 GEMM module variants a process will use and runs small products through
 * them (see the module notes); `sharedMaxPages` (when products use threads) also warms the
 * shared-memory variant with that maximum, and compiles the streaming kernels' shared-memory
 * variant that a threaded GEMM instance instantiates. Returns how many variants ran and gave the right
 * product; never throws (without WebAssembly or shared memory, fewer or none).
 * @example
 * ```ts
 * warmUpGemm(null); // 1: the private-memory GEMM is compiled and tiering up
 * ```
 * @internal
 */
export function warmUpGemm(sharedMaxPages: number | null): number {
  // Stryker disable next-line ConditionalExpression: two implementations of one result (without WebAssembly `WA.Memory` throws in the try below, which returns 0 too)
  if (WA === undefined) return 0;
  const pages = Math.ceil((5 * SIDE * SIDE * 4) / 65536);
  let ok = 0;
  try {
    // Stryker disable next-line ConditionalExpression: unreachable (a variant computes wrong only when its module is broken)
    if (warmVariant({ initial: 1 }, new WA.Memory({ initial: pages }))) ok++;
    // Stryker disable next-line ConditionalExpression: two implementations of one result (`true`: a shared variant without a maximum fails to build, into the catch, compiling nothing)
    if (sharedMaxPages !== null) {
      const memory = new WA.Memory({ initial: pages, maximum: pages, shared: true });
      const shared = { initial: 1, maximum: sharedMaxPages, shared: true };
      // Stryker disable next-line ConditionalExpression: unreachable (a variant computes wrong only when its module is broken)
      if (warmVariant(shared, memory)) ok++;
      // A threaded GEMM instance also instantiates the streaming kernels on its shared memory.
      // Stryker disable next-line ArrowFunction: unreachable (the bytes are prebuilt under this key; the builder never runs)
      cachedModule('stream', {}, shared, () => buildStreamModule());
    }
  } catch {
    // No SIMD or no shared memory: the GEMM falls back by itself on first use.
  }
  return ok;
}
