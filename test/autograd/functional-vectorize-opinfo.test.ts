/**
 * `jacobian(..., { vectorize: true })` over the OpInfo database: for every differentiable entry, a
 * function of its differentiable inputs gets the same Jacobian (to rounding) batched as row by row,
 * in both strategies, with varied chunk sizes and contiguous or strided inputs (and so does the Hessian of a weighted sum of its
 * outputs, for twice-differentiable entries); and every batching rule is checked against running
 * its primitive once per batch element, on the recorded forward pass of each entry with a batch of
 * distinct inputs. Every primitive met must go through its rule, or through the per-element
 * fallback where the rule table says null; the last test checks what the file met and how (so it
 * needs the rest of the file to have run: do not select it alone with -t).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autograd } from '../../src/index.js';
import { isFloat } from '../../src/autograd/dtype.js';
import { noGrad } from '../../src/autograd/grad-mode.js';
import { PRIMS, type Prim } from '../../src/autograd/primitives.js';
import { Tensor } from '../../src/autograd/tensor.js';
import { BATCH_RULES } from '../../src/autograd/functional/batching-rules.js';
import { batchHooks, evaluateBatched, recordTrace, type BatchedBy } from '../../src/autograd/functional/batching.js';
import { OPS } from '../opinfo/index.js';
import { hasGrad, property } from '../opinfo/harness.js';
import { assertClose, isDiff, materialize, outputs, toRef } from '../opinfo/materialize.js';
import type { AnyOpInfo, Sample } from '../opinfo/types.js';

const F = autograd.functional;
const TOL = { atol: 1e-12, rtol: 1e-10 };

/** How each primitive was batched, over the whole file (the per-element reference runs excluded). */
const met = new Map<Prim, Set<BatchedBy>>();
beforeAll(() => {
  batchHooks.onStep = (prim, by) => {
    if (!met.has(prim)) met.set(prim, new Set());
    met.get(prim)!.add(by);
  };
});
afterAll(() => {
  batchHooks.onStep = null;
  batchHooks.perElementOnly = false;
});

/** The entry as a function of its differentiable inputs (the others fixed), with its float outputs. */
function asFunction(info: AnyOpInfo, s: Sample, inputs: Tensor[]): { fn: (...xs: Tensor[]) => Tensor[]; at: Tensor[] } {
  const diff = s.inputs.map((spec, i) => (isDiff(info, spec, i) ? i : -1)).filter((i) => i >= 0);
  const fn = (...xs: Tensor[]): Tensor[] => {
    const ins = inputs.slice();
    diff.forEach((j, n) => (ins[j] = xs[n]!));
    return outputs(info.op(ins, s.args)).filter((o) => isFloat(o.dtype));
  };
  return { fn, at: diff.map((j) => inputs[j]!) };
}

let stridedTurn = 0;
/** Contiguous inputs and strided views (other loops, other reshape paths) in turn. */
const nextStrided = (): boolean => stridedTurn++ % 2 === 1;

let chunkTurn = 0;
/** Chunk sizes in turn: all at once, one row, two rows (rarely dividing), more rows than there are. */
function nextChunk(): number | null {
  const sizes = [null, 1, 2, 1000];
  return sizes[chunkTurn++ % sizes.length]!;
}

function checkJacobians(info: AnyOpInfo, s: Sample): void {
  const inputs = materialize(info, s, { float: 'float64', strided: nextStrided(), grad: false });
  const { fn, at } = asFunction(info, s, inputs);
  if (at.length === 0 || noGrad(() => fn(...at)).length === 0) return;
  for (const strategy of ['reverse-mode', 'forward-mode'] as const) {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- the result type is a union over the input and output structure; this test names the one it expects
    const rows = F.jacobian(fn, at, { strategy }) as Tensor[][];
    const chunkSize = nextChunk();
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- the result type is a union over the input and output structure; this test names the one it expects
    const batched = F.jacobian(fn, at, { strategy, vectorize: true, chunkSize }) as Tensor[][];
    rows.forEach((row, k) =>
      row.forEach((block, i) =>
        assertClose(batched[k]![i]!, toRef(block), TOL, `${info.name}: ${strategy} block [${k}][${i}] (chunkSize ${chunkSize})`),
      ),
    );
  }
  if (!info.twiceDifferentiable) return;
  // A scalar of the outputs with uneven weights, so that no block of the Hessian vanishes by symmetry.
  const scalar = (...xs: Tensor[]): Tensor => {
    let total: Tensor | null = null;
    for (const o of fn(...xs)) {
      const w = Tensor._fromData(
        Float64Array.from({ length: o.numel() }, (_v, e) => 0.5 + Math.sin(1 + 1.3 * e)),
        o.shape.slice(),
        'float64',
      );
      const term = o.mul(w).sum();
      total = total === null ? term : total.add(term);
    }
    return total!;
  };
  for (const outerJacobianStrategy of ['reverse-mode', 'forward-mode'] as const) {
    const H = F.hessian(scalar, at, { outerJacobianStrategy });
    const chunkSize = nextChunk();
    const Hv = F.hessian(scalar, at, { outerJacobianStrategy, vectorize: true, chunkSize });
    H.forEach((row, i) =>
      row.forEach((block, j) =>
        assertClose(
          Hv[i]![j]!,
          toRef(block),
          TOL,
          `${info.name}: Hessian (${outerJacobianStrategy}) block [${i}][${j}] (chunkSize ${chunkSize})`,
        ),
      ),
    );
  }
}

/** `count` distinct batch elements around `t`: t, t + 1/8, t + 2/8, ... stacked first. */
function around(t: Tensor, count: number): Tensor {
  const n = t.numel();
  const base = t.dataSync();
  const data = new Float64Array(count * n);
  for (let b = 0; b < count; b++) for (let e = 0; e < n; e++) data[b * n + e] = Number(base[e]) + b / 8;
  const out = Tensor._fromData(data, [count, ...t.shape], 'float64');
  return t.dtype === 'float64' ? out : out.to(t.dtype);
}

function checkRulesOnForward(info: AnyOpInfo, s: Sample): void {
  const inputs = materialize(info, s, { float: 'float64', strided: nextStrided(), grad: false });
  const leaves = inputs.filter((t) => isFloat(t.dtype));
  if (leaves.length === 0) return;
  const trace = noGrad(() => recordTrace(leaves, () => outputs(info.op(inputs, s.args))));
  // In-place entries and composites the tracer sees as one call are not replayable (batching.ts refuses them).
  if (trace.steps.some((step) => !Object.hasOwn(BATCH_RULES, step.op) && step.op !== 'detach')) return;
  const k = 3;
  const batch = leaves.map((l) => around(l, k));
  const byRules = noGrad(() => evaluateBatched(info.name, trace, batch, k));
  const onStep = batchHooks.onStep;
  batchHooks.onStep = null;
  batchHooks.perElementOnly = true;
  let reference: Tensor[];
  try {
    reference = noGrad(() => evaluateBatched(info.name, trace, batch, k));
  } finally {
    batchHooks.perElementOnly = false;
    batchHooks.onStep = onStep;
  }
  reference.forEach((r, o) => assertClose(byRules[o]!, toRef(r), TOL, `${info.name}: batched output ${o}`));
}

const replayable = OPS.filter((o) => o.reference !== null);

describe.each(replayable.filter(hasGrad).map((o) => [o.name, o] as const))('vectorized jacobian on opinfo %s', (_, info) => {
  it('equals the row-by-row and column-by-column Jacobians', () => property(info, checkJacobians, 3));
});

describe.each(replayable.map((o) => [o.name, o] as const))('batching rules on the forward pass of opinfo %s', (_, info) => {
  it('equal running each primitive once per batch element', () => property(info, checkRulesOnForward, 3));
});

/** Primitives no entry reaches with a batched input (none today: listed here with the reason if one appears). */
const NOT_MET: Partial<Record<Prim, string>> = {};

describe('batching coverage', () => {
  it('every primitive met went through its rule, or per element exactly where the table says null', () => {
    const wrong: string[] = [];
    for (const prim of PRIMS) {
      const how = met.get(prim);
      if (how === undefined) {
        if (NOT_MET[prim] === undefined) wrong.push(`${prim}: never met with a batched input`);
        continue;
      }
      if (BATCH_RULES[prim] === null && how.has('rule')) wrong.push(`${prim}: has no rule but ran by one`);
      if (BATCH_RULES[prim] !== null && !how.has('rule')) wrong.push(`${prim}: has a rule but only ever ran per element`);
    }
    expect(wrong).toEqual([]);
  });
});
