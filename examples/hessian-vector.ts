// A Hessian-vector product by double backward: g = ∇f(x) with createGraph, then ∇(g · v) = H v.
// Checked against the Hessian of f(x) = Σ x_i² x_{i+1} + Σ sin(x_i) written out by hand, then used
// by a conjugate-gradient solver that never forms the Hessian.
//
//   npx tsx examples/hessian-vector.ts
//   TAPEGRAD_QUICK=1 npx tsx examples/hessian-vector.ts
import { arange, autograd, manualSeed, randn, zeros, type Tensor } from '../src/index.js';

const quick = process.env['TAPEGRAD_QUICK'] === '1' || process.argv.includes('--quick');
manualSeed(0);

const n = quick ? 4 : 8;
const f = (x: Tensor): Tensor => {
  const a = x.narrow(0, 0, n - 1);
  const b = x.narrow(0, 1, n - 1);
  return a.pow(2).mul(b).sum().add(x.sin().sum());
};

function hvp(fn: (x: Tensor) => Tensor, x: Tensor, v: Tensor): Tensor {
  const [g] = autograd.grad(fn(x), x, { createGraph: true });
  const [hv] = autograd.grad(g!.mul(v).sum(), x);
  return hv!;
}

const x = randn([n], { dtype: 'float64', requiresGrad: true });
const v = randn([n], { dtype: 'float64' });
const hv = hvp(f, x, v).toArray() as number[];

// The Hessian by hand: ∂²/∂x_i² = 2x_{i+1} (i < n-1) - sin(x_i); ∂²/∂x_i∂x_{i+1} = 2x_i.
const xs = x.toArray() as number[];
const vs = v.toArray() as number[];
const want = xs.map((xi, i) => {
  let s = (i < n - 1 ? 2 * xs[i + 1]! : 0) * vs[i]! - Math.sin(xi) * vs[i]!;
  if (i < n - 1) s += 2 * xi * vs[i + 1]!;
  if (i > 0) s += 2 * xs[i - 1]! * vs[i - 1]!;
  return s;
});
const err = Math.max(...hv.map((h, i) => Math.abs(h - want[i]!)));
console.log('Hv      :', hv.map((h) => h.toFixed(6)).join(' '));
console.log('by hand :', want.map((h) => h.toFixed(6)).join(' '));
console.log(`max difference: ${err.toExponential(2)}`);
if (err > 1e-9) process.exitCode = 1;

// Hessian-free minimisation of q(x) = ½ Σ a_i x_i² - Σ x_i (a = 1..n) by conjugate gradient that
// touches the Hessian only through Hv products; the exact minimiser is x_i = 1 / a_i.
const a = arange(1, n + 1, 1, { dtype: 'float64' });
const q = (t: Tensor): Tensor => a.mul(t).mul(t).sum().mul(0.5).sub(t.sum());
let p = zeros([n], { dtype: 'float64', requiresGrad: true });
const [g0] = autograd.grad(q(p), p);
let r = g0!.neg();
let d = r;
for (let k = 0; k < n && r.norm().item() > 1e-12; k++) {
  const Ad = hvp(q, p, d);
  const alpha = r.mul(r).sum().item() / d.mul(Ad).sum().item();
  p = p.detach().add(d.mul(alpha)).requiresGrad_();
  const rNew = r.sub(Ad.mul(alpha));
  const beta = rNew.mul(rNew).sum().item() / r.mul(r).sum().item();
  r = rNew;
  d = r.add(d.mul(beta));
}
const sol = p.toArray() as number[];
console.log(`CG with Hv products: ${sol.map((s) => s.toFixed(4)).join(' ')}`);
console.log(`exact minimiser    : ${sol.map((_, i) => (1 / (i + 1)).toFixed(4)).join(' ')}`);
