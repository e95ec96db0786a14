/**
 * The tape recorder: `run` executes one primitive's forward kernel and, when a gradient is wanted,
 * records the node that backward will visit. Only the op functions in ops/ call it; nn, optim and
 * keras reach primitives through those ops (test/layering.test.ts checks both).
 * @module
 */
import type { DType } from './dtype.js';
import { isGradEnabled } from './grad-mode.js';
import { Node, tracing } from './node.js';
import { RULES, type Prim, type PrimAttrs } from './primitives.js';
import type { CheckedRule, SaveList } from './rule.js';
import type { Tensor } from './tensor.js';

// Input dtypes of unary ops and of binary ops on one dtype, shared (never written): every
// recorded op keeps its arrays alive until backward, so each one not allocated counts.
const ONE_DTYPE = { float32: ['float32'], float64: ['float64'], int32: ['int32'], bool: ['bool'] } as const satisfies Record<
  DType,
  readonly DType[]
>;
const TWO_SAME_DTYPES = {
  float32: ['float32', 'float32'],
  float64: ['float64', 'float64'],
  int32: ['int32', 'int32'],
  bool: ['bool', 'bool'],
} as const satisfies Record<DType, readonly DType[]>;

/**
 * The tensors a save list names. Allocated at its final length: every recorded op keeps this array
 * until backward, and one grown by `push` would reserve room for many more.
 */
function savedTensorsOf(save: SaveList, inputs: readonly Tensor[], out: Tensor): Tensor[] {
  const saved = new Array<Tensor>(save.length);
  for (let k = 0; k < save.length; k++) {
    const s = save[k]!;
    saved[k] = s === 'output' ? out : inputs[s]!;
  }
  return saved;
}

/**
 * Runs a primitive: the forward kernel, then, when grad mode is on and an input requires grad,
 * records a node on the output. This is the whole per-op overhead of the tape.
 * @internal
 */
export function run<P extends Prim>(prim: P, inputs: readonly Tensor[], attrs: PrimAttrs[P]): Tensor {
  const rule = RULES[prim] as CheckedRule<PrimAttrs[P]>;
  const out = rule.forward(inputs, attrs);
  if (tracing.record !== null) tracing.record(prim, inputs, attrs, out);
  if (rule.backward === null || !isGradEnabled()) return out;
  let any = false;
  for (let i = 0; i < inputs.length; i++) if (inputs[i]!._requiresGrad) any = true;
  if (!any) return out;
  const n = inputs.length;
  const next = new Array<Node | null>(n);
  const shapes = new Array<readonly number[]>(n);
  for (let i = 0; i < n; i++) {
    const t = inputs[i]!;
    next[i] = t._requiresGrad ? t._gradEdge() : null;
    shapes[i] = t.shape;
  }
  const d0 = inputs[0]!.dtype;
  const dtypes = n === 1 ? ONE_DTYPE[d0] : n === 2 && inputs[1]!.dtype === d0 ? TWO_SAME_DTYPES[d0] : inputs.map((t) => t.dtype);
  const save = rule.save as SaveList | undefined;
  const saved = save === undefined ? null : savedTensorsOf(save, inputs, out);
  out._gradFn = new Node(prim, next, rule.backward, saved, shapes, dtypes, attrs);
  out._requiresGrad = true;
  return out;
}
