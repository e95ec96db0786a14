/**
 * The primitive set and its rule table. Every differentiable op is either one of these
 * primitives or a composite of them. The table is a mapped type over the primitive union:
 * a primitive without a rule fails `tsc`, and so does one without an OpInfo entry (test/opinfo).
 * Primitives are run and recorded by `run` in tape.ts, which only the op functions of ops/ call.
 * @module
 */
import type { RuleTable } from './rule.js';
import { elementwiseRules, type ElementwiseAttrs } from './prims/elementwise.js';
import { reduceRules, type ReduceAttrs } from './prims/reduce.js';
import { movementRules, type MovementAttrs } from './prims/movement.js';
import { indexingRules, type IndexingAttrs } from './prims/indexing.js';
import { linalgRules, type LinalgAttrs } from './prims/linalg.js';
import { convRules, type ConvAttrs } from './prims/conv.js';
import { fusedRules, type FusedAttrs } from './prims/fused.js';
import { roundingRules, type RoundingAttrs } from './prims/rounding.js';
import { lstmRules, type LstmAttrs } from './prims/lstm.js';
import { gruRules, type GruAttrs } from './prims/gru.js';
import { softmaxGradRules, type SoftmaxGradAttrs } from './prims/softmax-grad.js';
import { layerNormRules, type LayerNormAttrs } from './prims/layer-norm.js';

/** Attributes of every primitive, keyed by name. @internal */
export interface PrimAttrs
  extends
    ElementwiseAttrs,
    ReduceAttrs,
    MovementAttrs,
    IndexingAttrs,
    LinalgAttrs,
    ConvAttrs,
    FusedAttrs,
    RoundingAttrs,
    LstmAttrs,
    GruAttrs,
    SoftmaxGradAttrs,
    LayerNormAttrs {}

/** The name of a primitive op. @internal */
export type Prim = keyof PrimAttrs;

/** One rule per primitive. @internal */
export const RULES: RuleTable<PrimAttrs> = {
  ...elementwiseRules,
  ...reduceRules,
  ...movementRules,
  ...indexingRules,
  ...linalgRules,
  ...convRules,
  ...fusedRules,
  ...roundingRules,
  ...lstmRules,
  ...gruRules,
  ...softmaxGradRules,
  ...layerNormRules,
};

/** The names of all primitives. @internal */
export const PRIMS = Object.keys(RULES) as Prim[];
