/**
 * Minimal typings of the WebAssembly JS API. The project's `lib` (ES2022, no DOM) does not
 * declare `WebAssembly`, and a global declaration here could clash with other files, so the
 * kernels reach it through `globalThis` with these local types.
 *
 * @module
 */

/** A `WebAssembly.Memory`. */
export interface WasmMemory {
  /** The current buffer (replaced after each grow; a SharedArrayBuffer for shared memories). */
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  /** Grows by `pages` 64 KiB pages; returns the previous size in pages. */
  grow(pages: number): number;
}

/** The parts of the `WebAssembly` namespace the kernels use. */
interface WasmApi {
  /** `new WebAssembly.Memory(descriptor)` */
  Memory: new (d: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  /** `new WebAssembly.Module(bytes)` (synchronous compile). */
  Module: new (bytes: Uint8Array) => object;
  /** `new WebAssembly.Instance(module, imports)` */
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { readonly exports: unknown };
}

/** The global `WebAssembly` namespace, or undefined where it is unavailable. */
export const WA: WasmApi | undefined = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
