/**
 * Line search for L-BFGS: a strong-Wolfe search with safeguarded cubic interpolation
 * (Nocedal & Wright, Numerical Optimization, algorithms 3.5 and 3.6).
 * @internal
 * @module
 */

/** Evaluates the objective at `x + t d`: returns the loss and the flat gradient there. @internal */
type DirectionalEval = (t: number) => { loss: number; grad: Float64Array };

/** Result of {@link strongWolfe}. @internal */
interface LineSearchResult {
  loss: number;
  grad: Float64Array;
  t: number;
  evals: number;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * The minimizer of the cubic through (x1, f1) and (x2, f2) with slopes g1 and g2, clamped into
 * `[lo, hi]` (default: between x1 and x2); the midpoint when the cubic has no minimizer.
 * @internal
 */
function cubicInterpolate(x1: number, f1: number, g1: number, x2: number, f2: number, g2: number, lo?: number, hi?: number): number {
  const lower = lo ?? Math.min(x1, x2);
  const upper = hi ?? Math.max(x1, x2);
  const d1 = g1 + g2 - (3 * (f1 - f2)) / (x1 - x2);
  const disc = d1 * d1 - g1 * g2;
  if (disc >= 0) {
    const d2 = Math.sqrt(disc);
    const minPos =
      x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2)) : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    return Math.min(Math.max(minPos, lower), upper);
  }
  return (lower + upper) / 2;
}

/**
 * Finds a step `t` along `d` satisfying the strong Wolfe conditions
 * `f(t) <= f(0) + c1 t f'(0)` and `|f'(t)| <= -c2 f'(0)`, starting from `t0`.
 * `f0`, `g0` and `gtd0` are the loss, flat gradient and directional derivative at t = 0.
 * @internal
 */
export function strongWolfe(
  evaluate: DirectionalEval,
  d: Float64Array,
  t0: number,
  f0: number,
  g0: Float64Array,
  gtd0: number,
  c1 = 1e-4,
  c2 = 0.9,
  toleranceChange = 1e-9,
  maxLs = 25,
): LineSearchResult {
  let dNorm = 0;
  for (let i = 0; i < d.length; i++) dNorm = Math.max(dNorm, Math.abs(d[i]!));
  let t = t0;
  let { loss: fNew, grad: gNew } = evaluate(t);
  let evals = 1;
  let gtdNew = dot(gNew, d);
  let tPrev = 0;
  let fPrev = f0;
  let gPrev = g0;
  let gtdPrev = gtd0;
  let done = false;
  let lsIter = 0;
  // Bracket [a, b] with its losses, gradients and directional derivatives.
  let br: number[] = [];
  let brF: number[] = [];
  let brG: Float64Array[] = [];
  let brGtd: number[] = [];

  // Phase 1: expand the step until a bracket containing an acceptable point is found.
  while (lsIter < maxLs) {
    if (fNew > f0 + c1 * t * gtd0 || (lsIter > 1 && fNew >= fPrev)) {
      br = [tPrev, t];
      brF = [fPrev, fNew];
      brG = [gPrev, gNew];
      brGtd = [gtdPrev, gtdNew];
      break;
    }
    if (Math.abs(gtdNew) <= -c2 * gtd0) {
      br = [t];
      brF = [fNew];
      brG = [gNew];
      brGtd = [gtdNew];
      done = true;
      break;
    }
    if (gtdNew >= 0) {
      br = [tPrev, t];
      brF = [fPrev, fNew];
      brG = [gPrev, gNew];
      brGtd = [gtdPrev, gtdNew];
      break;
    }
    const minStep = t + 0.01 * (t - tPrev);
    const maxStep = t * 10;
    const next = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, minStep, maxStep);
    tPrev = t;
    fPrev = fNew;
    gPrev = gNew;
    gtdPrev = gtdNew;
    t = next;
    ({ loss: fNew, grad: gNew } = evaluate(t));
    evals++;
    gtdNew = dot(gNew, d);
    lsIter++;
  }
  if (lsIter === maxLs) {
    br = [0, t];
    brF = [f0, fNew];
    brG = [g0, gNew];
    brGtd = [gtd0, gtdNew];
  }

  // Phase 2 (zoom): shrink the bracket until a point satisfies the strong Wolfe conditions.
  let insufficientProgress = false;
  let [low, high] = brF[0]! <= brF[brF.length - 1]! ? [0, 1] : [1, 0];
  while (!done && lsIter < maxLs) {
    if (Math.abs(br[1]! - br[0]!) * dNorm < toleranceChange) break;
    t = cubicInterpolate(br[0]!, brF[0]!, brGtd[0]!, br[1]!, brF[1]!, brGtd[1]!);
    const bMax = Math.max(br[0]!, br[1]!);
    const bMin = Math.min(br[0]!, br[1]!);
    const eps = 0.1 * (bMax - bMin);
    if (Math.min(bMax - t, t - bMin) < eps) {
      // Too close to an end of the bracket: move away from it unless the last step made progress.
      if (insufficientProgress || t >= bMax || t <= bMin) {
        t = Math.abs(t - bMax) < Math.abs(t - bMin) ? bMax - eps : bMin + eps;
        insufficientProgress = false;
      } else {
        insufficientProgress = true;
      }
    } else {
      insufficientProgress = false;
    }
    ({ loss: fNew, grad: gNew } = evaluate(t));
    evals++;
    gtdNew = dot(gNew, d);
    lsIter++;
    if (fNew > f0 + c1 * t * gtd0 || fNew >= brF[low]!) {
      br[high] = t;
      brF[high] = fNew;
      brG[high] = gNew;
      brGtd[high] = gtdNew;
      [low, high] = brF[0]! <= brF[1]! ? [0, 1] : [1, 0];
    } else {
      if (Math.abs(gtdNew) <= -c2 * gtd0) {
        done = true;
      } else if (gtdNew * (br[high]! - br[low]!) >= 0) {
        br[high] = br[low]!;
        brF[high] = brF[low]!;
        brG[high] = brG[low]!;
        brGtd[high] = brGtd[low]!;
      }
      br[low] = t;
      brF[low] = fNew;
      brG[low] = gNew;
      brGtd[low] = gtdNew;
    }
  }
  return { loss: brF[low]!, grad: brG[low]!, t: br[low]!, evals };
}
