/**
 * Generates the WebAssembly SIMD128 GEMM module (float32 with f32x4, float64 with f64x2).
 *
 * Exported functions, all addresses and strides in bytes:
 * - `packA_<t>(src, sPanel, sK, count, kc, dst)` / `packB_<t>`: pack a block of op(A) (op(B))
 *   into panels of MR rows (NR columns), element (x, p) read from `src + x*sPanel + p*sK`,
 *   stored at panel ⌊x/W⌋, offset p*W + x mod W; the last panel is zero-padded.
 * - `kernel_<t>(mc, nc, kc, pa, pb, pc, ldc, beta)`: C block (padded to whole tiles)
 *   = (beta ? C : 0) + packedA · packedB.
 * - `gemm_<t>(...)`: the blocked driver (each operand packed block by block, or beforehand).
 * - `expandRows(base, rows, rowBytes, ldBytes)` / `compactRows(...)`: move C's rows in place
 *   between a compact layout and one with padded row stride.
 *
 * @module
 */
import { FunctionBuilder, ModuleBuilder, Op, SimdOp, ValType } from './emit.js';

/** Element-type description used by the generator. */
interface DType {
  suffix: 'f32' | 'f64';
  bytes: number;
  lanes: number;
  splat: number;
  add: number;
  mul: number;
  load: number;
  store: number;
}

const F32: DType = {
  suffix: 'f32',
  bytes: 4,
  lanes: 4,
  splat: SimdOp.v128Load32Splat,
  add: SimdOp.f32x4Add,
  mul: SimdOp.f32x4Mul,
  load: Op.f32Load,
  store: Op.f32Store,
};
const F64: DType = {
  suffix: 'f64',
  bytes: 8,
  lanes: 2,
  splat: SimdOp.v128Load64Splat,
  add: SimdOp.f64x2Add,
  mul: SimdOp.f64x2Mul,
  load: Op.f64Load,
  store: Op.f64Store,
};

/** Register-tile shape of one element type: MR rows × NV vectors of `lanes` columns. */
interface TileShape {
  /** Rows of C per micro-tile. */
  mr: number;
  /** f32x4 / f64x2 vectors per row of the micro-tile (NR = nv × lanes). */
  nv: number;
  /** Unroll factor of the k loop. */
  unroll: number;
}

/** Options of {@link buildGemmModule}. */
export interface GemmModuleOptions {
  /** Tile of the float32 kernel. */
  f32: TileShape;
  /** Tile of the float64 kernel. */
  f64: TileShape;
  /** Import a shared memory (for worker threads) with this maximum number of pages. */
  sharedMaxPages?: number;
}

/** Default tile shapes (chosen by measurement, see bench/gemm.ts). */
export const DEFAULT_TILES: GemmModuleOptions = {
  f32: { mr: 4, nv: 2, unroll: 1 },
  f64: { mr: 4, nv: 2, unroll: 1 },
};

const { i32, v128 } = ValType;

/** Byte lanes of an i8x16.shuffle selecting element lanes `idx` of size `bytes`. */
function byteLanes(idx: readonly number[], bytes: number): number[] {
  const out: number[] = [];
  for (const i of idx) for (let b = 0; b < bytes; b++) out.push(i * bytes + b);
  return out;
}

/**
 * Packs one full panel of `w` lines that are contiguous along k (stride sPanel between
 * lines) by L×L SIMD transposes (L = lanes), with a scalar tail for kc mod L.
 */
function emitTransposePanel(
  f: FunctionBuilder,
  dt: DType,
  w: number,
  v: { src: number; sPanel: number; kc: number; dst: number; x0: number; p: number; d: number },
): void {
  const L = dt.lanes;
  const B = dt.bytes;
  const wBytes = w * B;
  const lines: number[] = [];
  const rows: number[] = [];
  const tmp: number[] = [];
  for (let q = 0; q < L; q++) {
    lines.push(f.local(i32));
    rows.push(f.local(v128));
    tmp.push(f.local(v128));
  }
  const pEnd = f.local(i32);
  f.get(v.kc).i32(-L).op(Op.i32And).set(pEnd);
  for (let g = 0; g < w / L; g++) {
    for (let q = 0; q < L; q++) {
      f.get(v.src)
        .get(v.x0)
        .i32(g * L + q)
        .op(Op.i32Add)
        .get(v.sPanel)
        .op(Op.i32Mul)
        .op(Op.i32Add)
        .set(lines[q]!);
    }
    f.get(v.dst)
      .i32(g * L * B)
      .op(Op.i32Add)
      .set(v.d);
    f.forRange(
      v.p,
      () => f.i32(0),
      () => f.get(pEnd),
      L,
      () => {
        for (let q = 0; q < L; q++) f.get(lines[q]!).v128Load(0).set(rows[q]!);
        if (L === 4) {
          // [a0 a1 a2 a3] [b..] [c..] [d..] -> [a0 b0 c0 d0] ...
          f.get(rows[0]!)
            .get(rows[1]!)
            .shuffle(byteLanes([0, 4, 1, 5], 4))
            .set(tmp[0]!);
          f.get(rows[0]!)
            .get(rows[1]!)
            .shuffle(byteLanes([2, 6, 3, 7], 4))
            .set(tmp[1]!);
          f.get(rows[2]!)
            .get(rows[3]!)
            .shuffle(byteLanes([0, 4, 1, 5], 4))
            .set(tmp[2]!);
          f.get(rows[2]!)
            .get(rows[3]!)
            .shuffle(byteLanes([2, 6, 3, 7], 4))
            .set(tmp[3]!);
          f.get(v.d)
            .get(tmp[0]!)
            .get(tmp[2]!)
            .shuffle(byteLanes([0, 1, 4, 5], 4))
            .v128Store(0);
          f.get(v.d)
            .get(tmp[0]!)
            .get(tmp[2]!)
            .shuffle(byteLanes([2, 3, 6, 7], 4))
            .v128Store(wBytes);
          f.get(v.d)
            .get(tmp[1]!)
            .get(tmp[3]!)
            .shuffle(byteLanes([0, 1, 4, 5], 4))
            .v128Store(2 * wBytes);
          f.get(v.d)
            .get(tmp[1]!)
            .get(tmp[3]!)
            .shuffle(byteLanes([2, 3, 6, 7], 4))
            .v128Store(3 * wBytes);
        } else {
          f.get(v.d)
            .get(rows[0]!)
            .get(rows[1]!)
            .shuffle(byteLanes([0, 2], 8))
            .v128Store(0);
          f.get(v.d)
            .get(rows[0]!)
            .get(rows[1]!)
            .shuffle(byteLanes([1, 3], 8))
            .v128Store(wBytes);
        }
        for (let q = 0; q < L; q++) f.inc(lines[q]!, L * B);
        f.inc(v.d, L * wBytes);
      },
    );
    // Tail: kc mod L steps, one element per line.
    f.forRange(
      v.p,
      () => f.get(pEnd),
      () => f.get(v.kc),
      1,
      () => {
        for (let q = 0; q < L; q++) {
          f.get(v.d)
            .get(lines[q]!)
            .load(dt.load, B, 0)
            .store(dt.store, B, q * B);
          f.inc(lines[q]!, B);
        }
        f.inc(v.d, wBytes);
      },
    );
  }
}

/** Emits the pack function for panels of width `w` elements. */
function emitPack(f: FunctionBuilder, dt: DType, w: number, args: number[]): void {
  const [src, sPanel, sK, count, kc, dst] = args as [number, number, number, number, number, number];
  const x0 = f.local(i32);
  const p = f.local(i32);
  const x = f.local(i32);
  const s = f.local(i32);
  const d = f.local(i32);
  const left = f.local(i32);
  const panelBytes = f.local(i32);
  const B = dt.bytes;
  const wBytes = w * B;
  // panelBytes = kc * w * bytes
  f.get(kc).i32(wBytes).op(Op.i32Mul).set(panelBytes);
  f.forRange(
    x0,
    () => f.i32(0),
    () => f.get(count),
    w,
    () => {
      f.get(count).get(x0).op(Op.i32Sub).set(left);
      f.get(left)
        .i32(w)
        .op(Op.i32GeS)
        .if(
          () => {
            // Full panel.
            f.get(sPanel)
              .i32(B)
              .op(Op.i32Eq)
              .if(
                () => {
                  // Contiguous along the panel: copy w elements per k with v128 moves.
                  f.get(src).get(x0).get(sPanel).op(Op.i32Mul).op(Op.i32Add).set(s);
                  f.forRange(
                    p,
                    () => f.i32(0),
                    () => f.get(kc),
                    1,
                    () => {
                      let o = 0;
                      for (; o + 16 <= wBytes; o += 16) f.get(dst).get(s).v128Load(o).v128Store(o);
                      for (; o < wBytes; o += B) f.get(dst).get(s).load(dt.load, B, o).store(dt.store, B, o);
                      f.get(s).get(sK).op(Op.i32Add).set(s);
                      f.inc(dst, wBytes);
                    },
                  );
                },
                () => {
                  // Strided along the panel (a transpose).
                  f.get(sK)
                    .i32(B)
                    .op(Op.i32Eq)
                    .if(
                      () => {
                        emitTransposePanel(f, dt, w, { src, sPanel, kc, dst, x0, p, d });
                      },
                      () => {
                        // Fully generic: walk each of the w lines along k, one element at a time.
                        for (let r = 0; r < w; r++) {
                          f.get(src).get(x0).i32(r).op(Op.i32Add).get(sPanel).op(Op.i32Mul).op(Op.i32Add).set(s);
                          f.get(dst).set(d);
                          f.forRange(
                            p,
                            () => f.i32(0),
                            () => f.get(kc),
                            1,
                            () => {
                              f.get(d)
                                .get(s)
                                .load(dt.load, B, 0)
                                .store(dt.store, B, r * B);
                              f.get(s).get(sK).op(Op.i32Add).set(s);
                              f.inc(d, wBytes);
                            },
                          );
                        }
                      },
                    );
                  f.get(dst).get(panelBytes).op(Op.i32Add).set(dst);
                },
              );
          },
          () => {
            // Last, partial panel: zero it, then copy `left` lines.
            f.get(dst).i32(0).get(panelBytes).memoryFill();
            f.forRange(
              x,
              () => f.i32(0),
              () => f.get(left),
              1,
              () => {
                f.get(src).get(x0).get(x).op(Op.i32Add).get(sPanel).op(Op.i32Mul).op(Op.i32Add).set(s);
                f.get(dst).get(x).i32(B).op(Op.i32Mul).op(Op.i32Add).set(d);
                f.forRange(
                  p,
                  () => f.i32(0),
                  () => f.get(kc),
                  1,
                  () => {
                    f.get(d).get(s).load(dt.load, B, 0).store(dt.store, B, 0);
                    f.get(s).get(sK).op(Op.i32Add).set(s);
                    f.inc(d, wBytes);
                  },
                );
              },
            );
            f.get(dst).get(panelBytes).op(Op.i32Add).set(dst);
          },
        );
    },
  );
}

/** Emits the macro-kernel: loops over NR-column panels of B and MR-row panels of A. */
function emitKernel(f: FunctionBuilder, dt: DType, t: TileShape, args: number[]): void {
  const [mc, nc, kc, pa, pb, pc, ldc, beta] = args as [number, number, number, number, number, number, number, number];
  const { mr, nv, unroll } = t;
  const B = dt.bytes;
  const nr = nv * dt.lanes;
  const jr = f.local(i32);
  const ir = f.local(i32);
  const ap = f.local(i32);
  const bp = f.local(i32);
  const aEnd = f.local(i32);
  const aMainEnd = f.local(i32);
  const cRow = f.local(i32);
  const cTile = f.local(i32);
  const bPanel = f.local(i32);
  const aStride = f.local(i32); // bytes of one packed A panel: kc*mr*B
  const bStride = f.local(i32);
  const acc: number[][] = [];
  for (let r = 0; r < mr; r++) {
    acc.push([]);
    for (let v = 0; v < nv; v++) acc[r]!.push(f.local(v128));
  }
  const av = f.local(v128);
  const bv: number[] = [];
  for (let v = 0; v < nv; v++) bv.push(f.local(v128));

  f.get(kc)
    .i32(mr * B)
    .op(Op.i32Mul)
    .set(aStride);
  f.get(kc)
    .i32(nr * B)
    .op(Op.i32Mul)
    .set(bStride);
  f.get(pb).set(bPanel);

  /** One k step at packed offsets (u*mr, u*nr) elements from ap / bp. */
  const step = (u: number): void => {
    for (let v = 0; v < nv; v++)
      f.get(bp)
        .v128Load((u * nr + v * dt.lanes) * B)
        .set(bv[v]!);
    for (let r = 0; r < mr; r++) {
      f.get(ap)
        .load(dt.splat, B, (u * mr + r) * B, true)
        .set(av);
      for (let v = 0; v < nv; v++) {
        f.get(acc[r]![v]!).get(av).get(bv[v]!).simd(dt.mul).simd(dt.add).set(acc[r]![v]!);
      }
    }
  };

  f.forRange(
    jr,
    () => f.i32(0),
    () => f.get(nc),
    nr,
    () => {
      f.forRange(
        ir,
        () => f.i32(0),
        () => f.get(mc),
        mr,
        () => {
          // C tile address: pc + ir*ldc + jr*B
          f.get(pc).get(ir).get(ldc).op(Op.i32Mul).op(Op.i32Add).get(jr).i32(B).op(Op.i32Mul).op(Op.i32Add).set(cTile);
          // Load or zero the accumulators.
          f.get(beta).if(
            () => {
              f.get(cTile).set(cRow);
              for (let r = 0; r < mr; r++) {
                for (let v = 0; v < nv; v++)
                  f.get(cRow)
                    .v128Load(v * 16)
                    .set(acc[r]![v]!);
                if (r < mr - 1) f.get(cRow).get(ldc).op(Op.i32Add).set(cRow);
              }
            },
            () => {
              for (let r = 0; r < mr; r++) for (let v = 0; v < nv; v++) f.v128Zero().set(acc[r]![v]!);
            },
          );
          // ap = pa + (ir/mr)*aStride ; bp = bPanel
          f.get(pa).get(ir).i32(mr).op(Op.i32DivS).get(aStride).op(Op.i32Mul).op(Op.i32Add).set(ap);
          f.get(bPanel).set(bp);
          f.get(ap).get(aStride).op(Op.i32Add).set(aEnd);
          // Main loop over k in steps of `unroll`.
          f.get(ap)
            .get(kc)
            .i32(-unroll)
            .op(Op.i32And)
            .i32(mr * B)
            .op(Op.i32Mul)
            .op(Op.i32Add)
            .set(aMainEnd);
          f.block(() => {
            f.get(ap).get(aMainEnd).op(Op.i32GeU).brIf(0);
            f.loop(() => {
              for (let u = 0; u < unroll; u++) step(u);
              f.inc(ap, unroll * mr * B);
              f.inc(bp, unroll * nr * B);
              f.get(ap).get(aMainEnd).op(Op.i32LtU).brIf(0);
            });
          });
          // Remainder.
          f.block(() => {
            f.get(ap).get(aEnd).op(Op.i32GeU).brIf(0);
            f.loop(() => {
              step(0);
              f.inc(ap, mr * B);
              f.inc(bp, nr * B);
              f.get(ap).get(aEnd).op(Op.i32LtU).brIf(0);
            });
          });
          // Store.
          f.get(cTile).set(cRow);
          for (let r = 0; r < mr; r++) {
            for (let v = 0; v < nv; v++)
              f.get(cRow)
                .get(acc[r]![v]!)
                .v128Store(v * 16);
            if (r < mr - 1) f.get(cRow).get(ldc).op(Op.i32Add).set(cRow);
          }
        },
      );
      f.get(bPanel).get(bStride).op(Op.i32Add).set(bPanel);
    },
  );
}

/** Number of (i32) parameters of the `gemm_<t>` driver; see {@link emitDriver}. */
const DRIVER_ARGS = 23;

/**
 * Emits the blocked driver `gemm_<t>(m, n, k, aBase, aI, aP, paAll, ldpa, i0, bBase, bP, bJ,
 * pbAll, ldpb, j0, cBase, ldc, beta0, pa, pb, MC, KC, NC)`, which computes an m × n block of
 * C at cBase (row stride ldc bytes). Loops jc (NC) → pc (KC, op(B) block) → ic (MC, op(A)
 * block, macro-kernel).
 *
 * Each operand is either packed here, block by block, into the buffer pa / pb (element (i, p)
 * of op(A) at aBase + i*aI + p*aP, (p, j) of op(B) at bBase + p*bP + j*bJ, strides in bytes),
 * or, when paAll / pbAll is not 0, was packed beforehand, whole: the KC-deep block of op(A) at
 * depth pc sits at paAll + pc*ldpa (ldpa = bytes per unit depth of all padded rows), its
 * MR-row panels one after another, the block's first row being row i0 of that packing (a
 * multiple of MR); likewise op(B) at pbAll + pc*ldpb from column j0. Threads share the
 * operand every block of C needs, packed once, and pack their own part of the other.
 */
function emitDriver(f: FunctionBuilder, dt: DType, fn: { packA: number; packB: number; kernel: number }, args: number[]): void {
  const [m, n, k, aBase, aI, aP, paAll, ldpa, i0, bBase, bP, bJ, pbAll, ldpb, j0, cBase, ldc, beta0, pa, pb, MC, KC, NC] = args as [
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
    number,
  ];
  const jc = f.local(i32),
    pc = f.local(i32),
    ic = f.local(i32),
    bp = f.local(i32),
    ap = f.local(i32);
  const nc = f.local(i32),
    kc = f.local(i32),
    mc = f.local(i32),
    rest = f.local(i32),
    beta = f.local(i32);
  const E = dt.bytes;
  f.forRange(
    jc,
    () => f.i32(0),
    () => f.get(n),
    () => f.get(NC),
    () => {
      f.get(n).get(jc).op(Op.i32Sub).set(rest);
      f.minS(NC, rest).set(nc);
      f.forRange(
        pc,
        () => f.i32(0),
        () => f.get(k),
        () => f.get(KC),
        () => {
          f.get(k).get(pc).op(Op.i32Sub).set(rest);
          f.minS(KC, rest).set(kc);
          f.get(pbAll).if(
            () => {
              // bp = pbAll + pc*ldpb + (j0 + jc)*kc*E
              f.get(pbAll).get(pc).get(ldpb).op(Op.i32Mul).op(Op.i32Add);
              f.get(j0).get(jc).op(Op.i32Add).get(kc).op(Op.i32Mul).i32(E).op(Op.i32Mul).op(Op.i32Add).set(bp);
            },
            () => {
              // packB(bBase + pc*bP + jc*bJ, bJ, bP, nc, kc, pb)
              f.get(bBase).get(pc).get(bP).op(Op.i32Mul).op(Op.i32Add).get(jc).get(bJ).op(Op.i32Mul).op(Op.i32Add);
              f.get(bJ).get(bP).get(nc).get(kc).get(pb).call(fn.packB);
              f.get(pb).set(bp);
            },
          );
          f.get(beta0).get(pc).i32(0).op(Op.i32GtS).op(Op.i32Or).set(beta);
          f.forRange(
            ic,
            () => f.i32(0),
            () => f.get(m),
            () => f.get(MC),
            () => {
              f.get(m).get(ic).op(Op.i32Sub).set(rest);
              f.minS(MC, rest).set(mc);
              f.get(paAll).if(
                () => {
                  // ap = paAll + pc*ldpa + (i0 + ic)*kc*E
                  f.get(paAll).get(pc).get(ldpa).op(Op.i32Mul).op(Op.i32Add);
                  f.get(i0).get(ic).op(Op.i32Add).get(kc).op(Op.i32Mul).i32(E).op(Op.i32Mul).op(Op.i32Add).set(ap);
                },
                () => {
                  // packA(aBase + ic*aI + pc*aP, aI, aP, mc, kc, pa)
                  f.get(aBase).get(ic).get(aI).op(Op.i32Mul).op(Op.i32Add).get(pc).get(aP).op(Op.i32Mul).op(Op.i32Add);
                  f.get(aI).get(aP).get(mc).get(kc).get(pa).call(fn.packA);
                  f.get(pa).set(ap);
                },
              );
              // kernel(mc, nc, kc, ap, bp, cBase + ic*ldc + jc*E, ldc, beta)
              f.get(mc).get(nc).get(kc).get(ap).get(bp);
              f.get(cBase).get(ic).get(ldc).op(Op.i32Mul).op(Op.i32Add).get(jc).i32(E).op(Op.i32Mul).op(Op.i32Add);
              f.get(ldc).get(beta).call(fn.kernel);
            },
          );
        },
      );
    },
  );
}

/** Emits expandRows (reverse = true, last row first) or compactRows. */
function emitRows(f: FunctionBuilder, expand: boolean, args: number[]): void {
  const [base, rows, rowBytes, ld] = args as [number, number, number, number];
  const r = f.local(i32);
  // for r: dst = base + r*(expand ? ld : rowBytes); src = base + r*(expand ? rowBytes : ld)
  const body = (): void => {
    f.get(base)
      .get(r)
      .get(expand ? ld : rowBytes)
      .op(Op.i32Mul)
      .op(Op.i32Add);
    f.get(base)
      .get(r)
      .get(expand ? rowBytes : ld)
      .op(Op.i32Mul)
      .op(Op.i32Add);
    f.get(rowBytes).memoryCopy();
  };
  if (expand) {
    f.get(rows).i32(1).op(Op.i32Sub).set(r);
    f.block(() => {
      f.get(r).i32(0).op(Op.i32LtS).brIf(0);
      f.loop(() => {
        body();
        f.get(r).i32(1).op(Op.i32Sub).tee(r).i32(0).op(Op.i32GeS).brIf(0);
      });
    });
  } else {
    f.forRange(
      r,
      () => f.i32(0),
      () => f.get(rows),
      1,
      body,
    );
  }
}

/** Builds the module bytes. */
export function buildGemmModule(opts: GemmModuleOptions = DEFAULT_TILES): Uint8Array {
  const mod = new ModuleBuilder();
  if (opts.sharedMaxPages !== undefined) mod.importMemory({ initial: 1, maximum: opts.sharedMaxPages, shared: true });
  else mod.importMemory({ initial: 1 });
  for (const [dt, t] of [
    [F32, opts.f32],
    [F64, opts.f64],
  ] as const) {
    const six = [i32, i32, i32, i32, i32, i32];
    const packA = mod.func(`packA_${dt.suffix}`, six, [], (f, ...a) => emitPack(f, dt, t.mr, a));
    const packB = mod.func(`packB_${dt.suffix}`, six, [], (f, ...a) => emitPack(f, dt, t.nv * dt.lanes, a));
    const kernel = mod.func(`kernel_${dt.suffix}`, [i32, i32, i32, i32, i32, i32, i32, i32], [], (f, ...a) => emitKernel(f, dt, t, a));
    mod.func(`gemm_${dt.suffix}`, new Array<ValType>(DRIVER_ARGS).fill(i32), [], (f, ...a) =>
      emitDriver(f, dt, { packA, packB, kernel }, a),
    );
  }
  mod.func('expandRows', [i32, i32, i32, i32], [], (f, ...a) => emitRows(f, true, a));
  mod.func('compactRows', [i32, i32, i32, i32], [], (f, ...a) => emitRows(f, false, a));
  return mod.toBytes();
}
