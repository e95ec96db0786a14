/**
 * Micro-benchmark of the float32 elementwise kernels on 2²⁰ elements, a new output each call:
 * the loop template of `src/kernels/strided.ts` (what the primitives ran before the fastmath
 * kernels), the JS fastmath kernels of `src/kernels/fastmath.ts`, the kernel runtime's entry
 * `unaryF32` (WebAssembly SIMD where it applies), and the whole tensor op (`x.exp()` etc.: dispatch,
 * output allocation, kernel).
 *
 * Run: `npx tsx bench/kernels.ts [--samples=20] [--rounds=3]`. Each figure is the median over
 * `samples` single calls (after a warm-up), per round; rounds are interleaved so load spikes on a
 * shared machine hit every variant. Both wall time and process CPU time (user + system) are shown:
 * on a busy machine wall time includes waiting for a core, CPU time does not. The load average is
 * printed before and after.
 * @module
 */
import { loadavg } from 'node:os';
import { compileElementwise } from '../src/kernels/strided.js';
import { erfF32, expF32, sigmoidF32, tanhF32 } from '../src/kernels/fastmath.js';
import { unaryF32, type UnaryF32 } from '../src/kernels/runtime/index.js';
import { gelu, tensor, type Tensor } from '../src/index.js';

const N = 1 << 20;

function arg(name: string, dflt: number): number {
  const v = process.argv.find((a) => a.startsWith(`--${name}=`));
  return v ? Number(v.slice(name.length + 3)) : dflt;
}

/** Seeded uniform floats in [lo, hi) (xorshift32), so every run times the same data. */
function data(seed: number, lo: number, hi: number): Float32Array {
  const a = new Float32Array(N);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < N; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    a[i] = lo + ((hi - lo) * s) / 2 ** 32;
  }
  return a;
}

const X = data(1, -10, 10);
const Y = data(2, -10, 10);
const TX = tensor(X);
const TY = tensor(Y);

/** One call: allocate a fresh output and fill it. */
type Call = () => unknown;

function template(arity: number, expr: string): Call {
  const k = compileElementwise(arity, expr);
  const shape = [N];
  const ins = [
    { data: X, offset: 0, strides: [1] },
    { data: Y, offset: 0, strides: [1] },
  ].slice(0, arity);
  return () => {
    const out = new Float32Array(N);
    k(shape, { data: out, offset: 0, strides: [1] }, ins, true, 0);
    return out;
  };
}

function fast(kernel: (out: Float32Array, a: Float32Array, n: number) => void): Call {
  return () => {
    const out = new Float32Array(N);
    kernel(out, X, N);
    return out;
  };
}

function entry(name: UnaryF32): Call {
  return fast((out, a, n) => unaryF32(name, out, a, n));
}

function op(f: (x: Tensor, y: Tensor) => Tensor): Call {
  return () => f(TX, TY);
}

const CASES: { name: string; variants: Record<string, Call> }[] = [
  {
    name: 'exp',
    variants: {
      template: template(1, 'Math.exp(a)'),
      fastmath: fast(expF32),
      'runtime entry': entry('exp'),
      'tensor op': op((x) => x.exp()),
    },
  },
  {
    name: 'sigmoid',
    variants: {
      template: template(1, '1 / (1 + Math.exp(-a))'),
      fastmath: fast(sigmoidF32),
      'runtime entry': entry('sigmoid'),
      'tensor op': op((x) => x.sigmoid()),
    },
  },
  {
    name: 'tanh',
    variants: {
      template: template(1, 'Math.tanh(a)'),
      fastmath: fast(tanhF32),
      'runtime entry': entry('tanh'),
      'tensor op': op((x) => x.tanh()),
    },
  },
  {
    name: 'erf',
    variants: { template: template(1, 'M.erf(a)'), fastmath: fast(erfF32), 'runtime entry': entry('erf'), 'tensor op': op((x) => x.erf()) },
  },
  { name: 'relu', variants: { template: template(1, 'Math.max(a, 0)'), 'runtime entry': entry('relu'), 'tensor op': op((x) => x.relu()) } },
  { name: 'add', variants: { template: template(2, 'a + b'), 'tensor op': op((x, y) => x.add(y)) } },
  { name: 'mul', variants: { template: template(2, 'a * b'), 'tensor op': op((x, y) => x.mul(y)) } },
  // The floor of any JS loop here: allocate the output, load, convert, store.
  { name: 'copy (floor)', variants: { template: template(1, 'a'), 'tensor op': op((x) => x.clone()) } },
  {
    name: 'gelu',
    variants: { 'tensor op (erf)': op((x) => gelu(x)), 'tensor op (tanh approx.)': op((x) => gelu(x, { approximate: 'tanh' })) },
  },
];

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Median wall and CPU milliseconds of `samples` single calls. */
function time(call: Call, samples: number): { wall: number; cpu: number } {
  for (let i = 0; i < 3; i++) call();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < samples; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    call();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

function main(): void {
  const samples = arg('samples', 20);
  const rounds = arg('rounds', 3);
  const la0 = loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');
  const results = new Map<string, { wall: number[]; cpu: number[] }>();
  for (let r = 0; r < rounds; r++) {
    for (const c of CASES) {
      for (const [v, call] of Object.entries(c.variants)) {
        const { wall, cpu } = time(call, samples);
        const key = `${c.name}\t${v}`;
        const e = results.get(key) ?? { wall: [], cpu: [] };
        e.wall.push(wall);
        e.cpu.push(cpu);
        results.set(key, e);
      }
    }
  }
  const la1 = loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');
  console.log(
    `float32, ${N} elements, new output per call; median of ${samples} calls per round, ${rounds} rounds (median of the round medians)`,
  );
  console.log(`node ${process.version}; load average before: ${la0}; after: ${la1}\n`);
  console.log('| op | variant | wall ms | cpu ms | per-round wall medians |');
  console.log('|---|---|---:|---:|---|');
  for (const [key, e] of results) {
    const [name, v] = key.split('\t');
    console.log(
      `| ${name} | ${v} | ${median(e.wall).toFixed(2)} | ${median(e.cpu).toFixed(2)} | ${e.wall.map((w) => w.toFixed(2)).join(', ')} |`,
    );
  }
}

main();
