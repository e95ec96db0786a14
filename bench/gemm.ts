/**
 * GEMM micro-benchmark: `npx tsx bench/gemm.ts [--quick] [--f64] [--only=js|wasm|wasm2]`.
 *
 * Reports GFLOP/s (median of repeats) for square sizes, the 64×784·784×128 layer shape
 * and the transposed products of the backward pass, and µs per call for the tiny MLP
 * shapes, for the JS kernel and the WebAssembly kernel on 1 and 2 threads (wasm2).
 *
 * @module
 */
import { gemm, setGemmBackend, setNumThreads } from '../src/kernels/gemm.js';

const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const only = [...args].find((a) => a.startsWith('--only='))?.slice(7);
const dtypes: Array<'f32' | 'f64'> = args.has('--f64') ? ['f32', 'f64'] : ['f32'];
const all = ['js', 'wasm', 'wasm2'] as const;
const backends: Array<(typeof all)[number]> = all.filter((b) => only === undefined || only === b);

/** Median seconds per call of `fn`, each sample running for at least `minMs`. */
function timeIt(fn: () => void, minMs: number, samples: number): number {
  fn();
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    const dt = performance.now() - t0;
    if (dt >= minMs / 4) {
      reps = Math.max(1, Math.ceil((reps * minMs) / Math.max(dt, 1e-3)));
      break;
    }
    reps *= 4;
  }
  const times: number[] = [];
  for (let s = 0; s < samples; s++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    times.push((performance.now() - t0) / reps / 1000);
  }
  times.sort((x, y) => x - y);
  return times[Math.floor(times.length / 2)]!;
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

console.log(`node ${process.version}; GFLOP/s (median), tiny shapes in µs/call`);
for (const dt of dtypes) {
  const T = dt === 'f32' ? Float32Array : Float64Array;
  const header = ['shape', ...backends].map((s, i) => (i === 0 ? s.padEnd(30) : s.padStart(16))).join('');
  console.log(`\n${dt}\n${header}`);
  for (const cs of cases) {
    const { m, n, k, tA, tB } = cs;
    const a = rand(T, m * k);
    const b = rand(T, k * n);
    const c = new T(m * n);
    const cells: string[] = [];
    for (const be of backends) {
      setGemmBackend(be === 'js' ? 'js' : 'wasm');
      setNumThreads(be === 'wasm2' ? 2 : 1);
      const big = m * n * k > 2e7;
      const sec = timeIt(() => gemm(tA, tB, m, n, k, a, 0, b, 0, c, 0, false), big ? 150 : 60, quick ? 3 : 7);
      const gf = (2 * m * n * k) / sec / 1e9;
      cells.push(cs.tiny ? `${(sec * 1e6).toFixed(2)} µs` : `${gf.toFixed(1)}`);
    }
    console.log(cs.label.padEnd(30) + cells.map((s) => s.padStart(16)).join(''));
  }
}
setGemmBackend('auto');
setNumThreads(1);
