/**
 * Generates the WebAssembly module of the float32 sliding-window kernels (driven by
 * `conv-wasm.ts`): im2col and col2im over a run of image planes held in the module's memory.
 *
 * Both functions walk the planes, and in each plane the kernel taps in the order of a tap table
 * (one entry per tap (i, j), row major, 5 × i32 each):
 * `ohLo, ohHi` (the output rows whose image row is inside the image), `owLo·4, owHi·4` (the same
 * for columns, in bytes) and the byte offset in the plane of the image element read by output
 * position (ohLo, owLo). Pointers and strides are in bytes.
 * - `im2col(src, dst, planes, planeBytes, taps, table, outH, outW, rowStep, colStep, pad)`: writes
 *   `taps` blocks of outH·outW columns per plane; rows outside the image and columns outside
 *   [owLo, owHi) get `pad` (an f32). Stride-1 rows are copied four floats at a time.
 * - `col2im(cols, img, planes, planeBytes, taps, table, outH, outW, rowStep, colStep)`: adds every
 *   column of every tap into its image element, in the same tap, row, column order as the JS
 *   loop (so the float32 sums are the same).
 *
 * `rowStep` is sh·w·4 (bytes between the image rows of consecutive output rows) and `colStep`
 * sw·4.
 * @module
 */
import { FunctionBuilder, ModuleBuilder, Op, SimdOp, ValType } from './emit.js';

const { i32, f32 } = ValType;

/** Bytes of one tap-table entry (five i32). @internal */
export const TAP_ENTRY_BYTES = 20;

/** Emits `for (p = from; p < to; p += 4) store(p, pad)` with `p` a scratch i32 local. */
function fillPad(f: FunctionBuilder, p: number, from: () => void, to: () => void, pad: number): void {
  f.forRange(p, from, to, 4, () => {
    f.get(p).get(pad).store(Op.f32Store, 4);
  });
}

/** Emits `local = local + value` for i32 locals. */
function addTo(f: FunctionBuilder, local: number, value: () => void): void {
  f.get(local);
  value();
  f.op(Op.i32Add).set(local);
}

/**
 * `loop { if (k + lookahead > end) break; body(); }`, with lookahead 0 tested as `k >= end`.
 * The body advances k.
 */
function loopWhileFits(f: FunctionBuilder, k: number, end: number, lookahead: number, body: () => void): void {
  f.block(() => {
    f.loop(() => {
      if (lookahead === 0) f.get(k).get(end).op(Op.i32GeS).brIf(1);
      else f.get(k).i32(lookahead).op(Op.i32Add).get(end).op(Op.i32GtS).brIf(1);
      body();
      f.br(0);
    });
  });
}

/**
 * One row's run between the column pointer k (up to `end`) and the image pointer q: when the image
 * side is contiguous (colStep = 4 bytes), four floats at a time (`vector`) and then one at a time
 * (`scalar`); otherwise one at a time with q advancing by colStep. `vector` and `scalar` emit the
 * element operation only.
 */
function emitRun(f: FunctionBuilder, k: number, q: number, end: number, colStep: number, vector: () => void, scalar: () => void): void {
  f.get(colStep).i32(4).op(Op.i32Eq);
  f.if(
    () => {
      loopWhileFits(f, k, end, 16, () => {
        vector();
        f.inc(k, 16).inc(q, 16);
      });
      loopWhileFits(f, k, end, 0, () => {
        scalar();
        f.inc(k, 4).inc(q, 4);
      });
    },
    () => {
      loopWhileFits(f, k, end, 0, () => {
        scalar();
        f.inc(k, 4);
        addTo(f, q, () => f.get(colStep));
      });
    },
  );
}

function emitIm2col(f: FunctionBuilder, ...args: number[]): void {
  const [src, dst, planes, planeBytes, taps, table, outH, outW, rowStep, colStep, pad] = args as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const p = f.local(i32);
  const t = f.local(i32);
  const tapEnd = f.local(i32);
  const oh = f.local(i32);
  const ohLo = f.local(i32);
  const ohHi = f.local(i32);
  const d = f.local(i32);
  const rowEnd = f.local(i32);
  const cpEnd = f.local(i32);
  const s = f.local(i32);
  const k = f.local(i32);
  const q = f.local(i32);
  const rowBytes = f.local(i32);
  f.get(outW).i32(2).op(Op.i32Shl).set(rowBytes);
  f.get(dst).set(d);
  f.forRange(
    p,
    () => f.i32(0),
    () => f.get(planes),
    1,
    () => {
      f.get(taps).i32(TAP_ENTRY_BYTES).op(Op.i32Mul).get(table).op(Op.i32Add).set(tapEnd);
      f.forRange(
        t,
        () => f.get(table),
        () => f.get(tapEnd),
        TAP_ENTRY_BYTES,
        () => {
          f.get(t).load(Op.i32Load, 4, 0).set(ohLo);
          f.get(t).load(Op.i32Load, 4, 4).set(ohHi);
          f.get(src).get(t).load(Op.i32Load, 4, 16).op(Op.i32Add).set(s);
          f.forRange(
            oh,
            () => f.i32(0),
            () => f.get(outH),
            1,
            () => {
              f.get(d).get(rowBytes).op(Op.i32Add).set(rowEnd);
              f.get(oh).get(ohLo).op(Op.i32LtS).get(oh).get(ohHi).op(Op.i32GeS).op(Op.i32Or);
              f.if(
                () =>
                  fillPad(
                    f,
                    k,
                    () => f.get(d),
                    () => f.get(rowEnd),
                    pad,
                  ),
                () => {
                  // Left padding, the copied run, right padding.
                  fillPad(
                    f,
                    k,
                    () => f.get(d),
                    () => f.get(d).get(t).load(Op.i32Load, 4, 8).op(Op.i32Add),
                    pad,
                  );
                  f.get(d).get(t).load(Op.i32Load, 4, 12).op(Op.i32Add).set(cpEnd);
                  f.get(d).get(t).load(Op.i32Load, 4, 8).op(Op.i32Add).set(k);
                  f.get(s).set(q);
                  emitRun(
                    f,
                    k,
                    q,
                    cpEnd,
                    colStep,
                    () => f.get(k).get(q).v128Load().v128Store(),
                    () => f.get(k).get(q).load(Op.i32Load, 4).store(Op.i32Store, 4),
                  );
                  fillPad(
                    f,
                    k,
                    () => f.get(cpEnd),
                    () => f.get(rowEnd),
                    pad,
                  );
                  addTo(f, s, () => f.get(rowStep));
                },
              );
              f.get(rowEnd).set(d);
            },
          );
        },
      );
      addTo(f, src, () => f.get(planeBytes));
    },
  );
}

function emitCol2im(f: FunctionBuilder, ...args: number[]): void {
  const [cols, img, planes, planeBytes, taps, table, outH, outW, rowStep, colStep] = args as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const p = f.local(i32);
  const t = f.local(i32);
  const tapEnd = f.local(i32);
  const oh = f.local(i32);
  const ohHi = f.local(i32);
  const c = f.local(i32);
  const blockBytes = f.local(i32);
  const rowBytes = f.local(i32);
  const cpEnd = f.local(i32);
  const s = f.local(i32);
  const k = f.local(i32);
  const q = f.local(i32);
  f.get(outW).i32(2).op(Op.i32Shl).set(rowBytes);
  f.get(outH).get(rowBytes).op(Op.i32Mul).set(blockBytes);
  f.forRange(
    p,
    () => f.i32(0),
    () => f.get(planes),
    1,
    () => {
      f.get(taps).i32(TAP_ENTRY_BYTES).op(Op.i32Mul).get(table).op(Op.i32Add).set(tapEnd);
      f.forRange(
        t,
        () => f.get(table),
        () => f.get(tapEnd),
        TAP_ENTRY_BYTES,
        () => {
          f.get(t).load(Op.i32Load, 4, 4).set(ohHi);
          f.get(img).get(t).load(Op.i32Load, 4, 16).op(Op.i32Add).set(s);
          // c: the column block's row ohLo.
          f.get(cols).get(t).load(Op.i32Load, 4, 0).get(rowBytes).op(Op.i32Mul).op(Op.i32Add).set(c);
          f.forRange(
            oh,
            () => f.get(t).load(Op.i32Load, 4, 0),
            () => f.get(ohHi),
            1,
            () => {
              f.get(c).get(t).load(Op.i32Load, 4, 12).op(Op.i32Add).set(cpEnd);
              f.get(c).get(t).load(Op.i32Load, 4, 8).op(Op.i32Add).set(k);
              f.get(s).set(q);
              emitRun(
                f,
                k,
                q,
                cpEnd,
                colStep,
                () => f.get(q).get(q).v128Load().get(k).v128Load().simd(SimdOp.f32x4Add).v128Store(),
                () => f.get(q).get(q).load(Op.f32Load, 4).get(k).load(Op.f32Load, 4).op(Op.f32Add).store(Op.f32Store, 4),
              );
              addTo(f, s, () => f.get(rowStep));
              addTo(f, c, () => f.get(rowBytes));
            },
          );
          addTo(f, cols, () => f.get(blockBytes));
        },
      );
      addTo(f, img, () => f.get(planeBytes));
    },
  );
}

/**
 * The bytes of the sliding-window module (private `{ initial: 1 }` memory import).
 * @example
 * ```ts
 * const mod = new WebAssembly.Module(buildConvModule());
 * ```
 * @internal
 */
export function buildConvModule(): Uint8Array {
  const m = new ModuleBuilder().importMemory({ initial: 1 });
  m.func('im2col', [i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, f32], [], emitIm2col);
  m.func('col2im', [i32, i32, i32, i32, i32, i32, i32, i32, i32, i32], [], emitCol2im);
  return m.toBytes();
}
