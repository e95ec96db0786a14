/**
 * GEMM micro-benchmark: `npx tsx bench/gemm.ts [--quick] [--f64] [--cpu] [--only=js,wasm,wasm2]`.
 *
 * Reports GFLOP/s (median of repeats) for square sizes, the 64×784·784×128 layer shape
 * and the transposed products of the backward pass, and µs per call for the tiny MLP
 * shapes, for the JS kernel and the WebAssembly kernel on 1 and 2 threads (wasm2), and the
 * 2-thread speedup (wasm time / wasm2 time). The two wasm columns are measured back to back,
 * alternating, so a burst of load from elsewhere hits both: on a shared machine, judge the
 * threads by that ratio. `--cpu` reports process CPU time instead of wall time (robust to
 * time-slicing for the 1-thread columns; for wasm2 it shows the threads' total work).
 *
 * @module
 */
import { gemmJS } from '../src/kernels/gemm-js.js';
import type { FloatArray } from '../src/kernels/typed-array.js';
import { WasmGemm } from '../src/kernels/wasm/gemm-wasm.js';

const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const only = [...args].find((a) => a.startsWith('--only='))?.slice(7);
const dtypes: Array<'f32' | 'f64'> = args.has('--f64') ? ['f32', 'f64'] : ['f32'];
const cpu = args.has('--cpu');

/** A clock in seconds: wall time, or process CPU time (all threads) with --cpu. */
function now(): number {
  if (!cpu) return performance.now() / 1000;
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}
const all = ['js', 'wasm', 'wasm2'] as const;
const backends: Array<(typeof all)[number]> = all.filter((b) => only === undefined || only.split(',').includes(b));

/** Calls per sample so that one sample of `fn` lasts at least `minMs`. */
function calibrate(fn: () => void, minMs: number): number {
  fn();
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    const dt = performance.now() - t0;
    if (dt >= minMs / 4) return Math.max(1, Math.ceil((reps * minMs) / Math.max(dt, 1e-3)));
    reps *= 4;
  }
}

/** Median seconds per call of each of `fns`, their samples interleaved. */
function timeAll(fns: Array<() => void>, minMs: number, samples: number): number[] {
  const reps = fns.map((fn) => calibrate(fn, minMs));
  const times: number[][] = fns.map(() => []);
  for (let s = 0; s < samples; s++) {
    fns.forEach((fn, i) => {
      const t0 = now();
      for (let r = 0; r < reps[i]!; r++) fn();
      times[i]!.push((now() - t0) / reps[i]!);
    });
  }
  return times.map((t) => t.sort((x, y) => x - y)[Math.floor(t.length / 2)]!);
}

function rand(T: typeof Float32Array | typeof Float64Array, len: number): Float32Array | Float64Array {
  const x = new T(len);
  for (let i = 0; i < len; i++) x[i] = Math.random() - 0.5;
  return x;
}

interface Case {
  label: string;
  m: number;
  n: number;
  k: number;
  tA: boolean;
  tB: boolean;
  tiny?: boolean;
}

const cases: Case[] = [];
for (const N of quick ? [256, 512] : [128, 256, 512, 1024]) cases.push({ label: `${N}²`, m: N, n: N, k: N, tA: false, tB: false });
for (const N of quick ? [512] : [256, 1024]) {
  cases.push({ label: `${N}² A·Bᵀ`, m: N, n: N, k: N, tA: false, tB: true });
  cases.push({ label: `${N}² Aᵀ·B`, m: N, n: N, k: N, tA: true, tB: false });
}
cases.push({ label: '[64×784]·[784×128]', m: 64, n: 128, k: 784, tA: false, tB: false });
cases.push({ label: '[64×128]·[784×128]ᵀ (dX)', m: 64, n: 784, k: 128, tA: false, tB: true });
cases.push({ label: '[64×784]ᵀ·[64×128] (dW)', m: 784, n: 128, k: 64, tA: true, tB: false });
cases.push({ label: 'tiny 32×784·784×10', m: 32, n: 10, k: 784, tA: false, tB: false, tiny: true });
cases.push({ label: 'tiny 32×10·784×10ᵀ (dX)', m: 32, n: 784, k: 10, tA: false, tB: true, tiny: true });
cases.push({ label: 'tiny 32×784ᵀ·32×10 (dW)', m: 784, n: 10, k: 32, tA: true, tB: false, tiny: true });
cases.push({ label: 'tiny 32×10·10×10', m: 32, n: 10, k: 10, tA: false, tB: false, tiny: true });
cases.push({ label: 'tiny 32×10ᵀ·32×10 (dW)', m: 10, n: 10, k: 32, tA: true, tB: false, tiny: true });

type Impl = (
  tA: boolean,
  tB: boolean,
  m: number,
  n: number,
  k: number,
  a: FloatArray,
  aOff: number,
  b: FloatArray,
  bOff: number,
  c: FloatArray,
  cOff: number,
  acc: boolean,
) => unknown;
const wasm1 = new WasmGemm(undefined, undefined, 1);
const wasm2 = new WasmGemm(undefined, undefined, 2);
const impls: Record<(typeof all)[number], Impl> = {
  js: gemmJS,
  wasm: (...x) => wasm1.gemm(...x),
  wasm2: (...x) => wasm2.gemm(...x),
};

console.log(`node ${process.version}; GFLOP/s (median${cpu ? ', process CPU time' : ''}), tiny shapes in µs/call`);
for (const dt of dtypes) {
  const T = dt === 'f32' ? Float32Array : Float64Array;
  const ratio = backends.includes('wasm') && backends.includes('wasm2');
  const header = ['shape', ...backends, ...(ratio ? ['2T/1T'] : [])].map((s, i) => (i === 0 ? s.padEnd(30) : s.padStart(16))).join('');
  console.log(`\n${dt}\n${header}`);
  for (const cs of cases) {
    const { m, n, k, tA, tB } = cs;
    const a = rand(T, m * k);
    const b = rand(T, k * n);
    const c = new T(m * n);
    const fns = backends.map((be) => (): void => {
      impls[be](tA, tB, m, n, k, a, 0, b, 0, c, 0, false);
    });
    const big = m * n * k > 2e7;
    const secs = timeAll(fns, big ? 150 : 60, quick ? 5 : 11);
    const cells = secs.map((sec) => (cs.tiny ? `${(sec * 1e6).toFixed(2)} µs` : `${((2 * m * n * k) / sec / 1e9).toFixed(1)}`));
    if (ratio) cells.push(`${(secs[backends.indexOf('wasm')]! / secs[backends.indexOf('wasm2')]!).toFixed(2)}×`);
    console.log(cs.label.padEnd(30) + cells.map((s) => s.padStart(16)).join(''));
  }
}
void wasm1.close();
void wasm2.close();
