/**
 * `autograd.functional.jacobian` with `vectorize: true` against row by row, on the Jacobian of a
 * 64→64→64 tanh MLP with respect to its input: `npx tsx bench/jacobian.ts [--pairs=7] [--f64]`.
 *
 * Each measurement runs in a fresh process (`--mode=rows|vectorize` measures one mode and prints
 * the median milliseconds per Jacobian over its repeats, after warm-up); the driver alternates the
 * two modes process by process and reports each pair's ratio (rows / vectorize) and their median,
 * so load from elsewhere on a shared machine hits both sides alike.
 * @module
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { autograd, manualSeed, randn, type Tensor } from '../src/index.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const dtype = args.includes('--f64') ? 'float64' : 'float32';

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Milliseconds per Jacobian (median over repeats) in this process. */
function measure(mode: string): number {
  manualSeed(0);
  const size = 64;
  const W1 = randn([size, size], { dtype }).div(8);
  const b1 = randn([size], { dtype });
  const W2 = randn([size, size], { dtype }).div(8);
  const x = randn([size], { dtype });
  const mlp = (t: Tensor): Tensor => W2.matmul(W1.matmul(t).add(b1).tanh());
  const vectorize = mode === 'vectorize';
  const once = (): Tensor => autograd.functional.jacobian(mlp, x, { vectorize });
  for (let i = 0; i < 3; i++) once();
  const times: number[] = [];
  for (let r = 0; r < 25; r++) {
    const t0 = performance.now();
    once();
    times.push(performance.now() - t0);
  }
  return median(times);
}

const mode = option('mode', '');
if (mode !== '') {
  process.stdout.write(`${measure(mode)}\n`);
} else {
  const pairs = Number(option('pairs', '7'));
  const self = fileURLToPath(import.meta.url);
  const run = (m: string): number =>
    Number(
      execFileSync(process.execPath, ['--import', 'tsx', self, `--mode=${m}`, ...(dtype === 'float64' ? ['--f64'] : [])], {
        encoding: 'utf8',
      }).trim(),
    );
  const ratios: number[] = [];
  const rows: number[] = [];
  const vec: number[] = [];
  for (let p = 0; p < pairs; p++) {
    // Alternate which mode goes first, so neither always meets the same moment of load.
    const [a, b] = p % 2 === 0 ? [run('rows'), run('vectorize')] : (([v, r]) => [r, v])([run('vectorize'), run('rows')]);
    rows.push(a!);
    vec.push(b!);
    ratios.push(a! / b!);
    console.log(`pair ${p + 1}: rows ${a!.toFixed(2)} ms, vectorize ${b!.toFixed(2)} ms, ratio ${(a! / b!).toFixed(1)}x`);
  }
  console.log(
    `${dtype} 64→64 MLP Jacobian, ${pairs} pairs of fresh processes: median rows ${median(rows).toFixed(2)} ms, vectorize ${median(vec).toFixed(2)} ms, median ratio ${median(ratios).toFixed(1)}x`,
  );
}
