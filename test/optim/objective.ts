// A fixed non-convex objective over two parameters x (2x2) and b (3): Rosenbrock-like chain terms,
// sine ripples, a double well in b and a coupling term. The library sees it through autograd; the
// reference implementations use the hand-derived gradient below, in float64.
import { tensor, type Tensor } from '../../src/index.js';

export const X0 = [-0.8, 1.3, 0.4, -0.5];
export const B0 = [0.7, -1.4, 0.2];
export const THETA0 = [...X0, ...B0];

/** f(x, b) with x flattened to 4 entries. */
export function objectiveTensor(x: Tensor, b: Tensor): Tensor {
  const xf = x.reshape([4]);
  const x0 = xf.narrow(0, 0, 3);
  const x1 = xf.narrow(0, 1, 3);
  const rosen = x0
    .neg()
    .add(1)
    .pow(2)
    .add(x1.sub(x0.mul(x0)).pow(2).mul(5))
    .sum();
  const ripple = xf.mul(3).sin().mul(0.3).sum();
  const well = b.mul(b).sub(1).pow(2).mul(0.5).sum();
  const coupling = b.mul(x0).sum().mul(0.2);
  return rosen.add(ripple).add(well).add(coupling);
}

/** The same objective in plain float64 on θ = [x0..x3, b0..b2]. */
export function objectiveValue(t: readonly number[]): number {
  let f = 0;
  for (let i = 0; i < 3; i++) f += (1 - t[i]!) ** 2 + 5 * (t[i + 1]! - t[i]! ** 2) ** 2;
  for (let i = 0; i < 4; i++) f += 0.3 * Math.sin(3 * t[i]!);
  for (let j = 0; j < 3; j++) f += 0.5 * (t[4 + j]! ** 2 - 1) ** 2 + 0.2 * t[4 + j]! * t[j]!;
  return f;
}

/** The hand-derived gradient of {@link objectiveValue}. */
export function objectiveGrad(t: readonly number[]): number[] {
  const g = new Array<number>(7).fill(0);
  for (let i = 0; i < 4; i++) {
    if (i < 3) g[i]! += -2 * (1 - t[i]!) - 20 * t[i]! * (t[i + 1]! - t[i]! ** 2) + 0.2 * t[4 + i]!;
    if (i > 0) g[i]! += 10 * (t[i]! - t[i - 1]! ** 2);
    g[i]! += 0.9 * Math.cos(3 * t[i]!);
  }
  for (let j = 0; j < 3; j++) g[4 + j] = 2 * t[4 + j]! * (t[4 + j]! ** 2 - 1) + 0.2 * t[j]!;
  return g;
}

/** Fresh float64 parameters at θ0. */
export function freshParams(dtype: 'float32' | 'float64' = 'float64'): { x: Tensor; b: Tensor } {
  return {
    x: tensor([X0.slice(0, 2), X0.slice(2, 4)], { dtype, requiresGrad: true }),
    b: tensor(B0, { dtype, requiresGrad: true }),
  };
}

/** θ = [x flattened, b] as plain numbers. */
export function thetaOf(x: Tensor, b: Tensor): number[] {
  return [...Array.from(x.dataSync()), ...Array.from(b.dataSync())];
}

/** |a - b| <= tol · (1 + |b|) for every entry, with a message naming the step and entry. */
export function closeArrays(actual: readonly number[], expected: readonly number[], tol: number, what: string): string | null {
  if (actual.length !== expected.length) return `${what}: length ${actual.length} vs ${expected.length}`;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (!(Math.abs(a - e) <= tol * (1 + Math.abs(e)))) return `${what}[${i}]: got ${a}, expected ${e}`;
  }
  return null;
}
