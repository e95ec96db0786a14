/**
 * The rows of a model summary, shared by `nn.summary` and keras `summary()`: the module tree to a
 * depth, each shared parameter counted once (by its first owner in pre-order), trainable status,
 * and the byte sizes behind the memory estimate.
 * @module
 */
import type { DType } from '../autograd/dtype.js';
import { Tensor } from '../autograd/tensor.js';
import type { Module } from './module.js';

/** Whether a row's parameters are trained: all, none, some, or it has none (`--`). */
export type Trainable = 'True' | 'False' | 'Partial' | '--';

/** One row of a summary: a module at some depth of the tree. */
export interface SummaryLayer {
  /** The module. */
  module: Module;
  /** Its dotted name in the model (`''` for the model itself, `0`, `encoder.1`, ...). */
  name: string;
  /** Its class name ({@link Module.moduleName}). */
  type: string;
  /** Depth in the tree: 0 for the model, 1 for its children, ... */
  depth: number;
  /** torchinfo's `depth-idx`: `1-3` is the third module shown at depth 1 (empty for the model). */
  index: string;
  /** The shapes of the tensors its forward received in the traced pass (null when it was not called). */
  inputShapes: number[][] | null;
  /** The shapes of the tensors its forward returned in the traced pass (null when it was not called). */
  outputShapes: number[][] | null;
  /** Parameters counted on this row: its own, plus those of descendants deeper than the summary shows. */
  numParams: number;
  /** All the parameters under this module, shared ones once. */
  totalParams: number;
  /** Whether the parameters counted on this row are trained. */
  trainable: Trainable;
  /** True when the module has no children (its output counts in the activation estimate). */
  leaf: boolean;
}

/** Bytes per element of each dtype. @internal */
export const BYTES: Readonly<Record<DType, number>> = { float32: 4, float64: 8, int32: 4, bool: 1 };

/** Every tensor inside a forward result (a tensor, arrays, plain objects), at most `limit`. @internal */
export function tensorsIn(value: unknown, limit = 16, out: Tensor[] = [], depth = 0): Tensor[] {
  if (out.length >= limit || depth > 4) return out;
  if (value instanceof Tensor) out.push(value);
  else if (Array.isArray(value)) for (const v of value) tensorsIn(v, limit, out, depth + 1);
  else if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) tensorsIn(v, limit, out, depth + 1);
  }
  return out;
}

/** What the traced forward saw of one module. @internal */
export interface Traced {
  inputs: number[][];
  outputs: number[][];
  outputBytes: number;
}

/**
 * The rows of `model` down to `depth`, with the traced shapes of each module (when given).
 * @internal
 */
export function summaryRows(model: Module, depth: number, traced: ReadonlyMap<Module, Traced>): SummaryLayer[] {
  const named = model.namedModules();
  const parentOf = new Map<Module, Module>();
  const owned = new Map<Module, Tensor[]>();
  const seen = new Set<Tensor>();
  for (const [, m] of named) {
    const own: Tensor[] = [];
    for (const [, p] of m.namedParameters(false)) {
      if (seen.has(p)) continue;
      seen.add(p);
      own.push(p);
    }
    owned.set(m, own);
    for (const [, child] of m.namedChildren()) if (!parentOf.has(child) && child !== model) parentOf.set(child, m);
  }
  // Depth of a module = its depth in the tree of first parents (a dotted name may be longer than that when containers nest through arrays).
  const treeDepth = (m: Module): number => {
    let d = 0;
    for (let p = parentOf.get(m); p !== undefined; p = parentOf.get(p)) d++;
    return d;
  };
  const subtree = new Map<Module, Tensor[]>();
  for (let i = named.length - 1; i >= 0; i--) {
    const m = named[i]![1];
    const all = owned.get(m)!.slice();
    for (const [, child] of m.namedChildren()) if (parentOf.get(child) === m) all.push(...subtree.get(child)!);
    subtree.set(m, all);
  }
  const counters: number[] = [];
  const rows: SummaryLayer[] = [];
  for (const [name, m] of named) {
    const d = treeDepth(m);
    if (d > depth) continue;
    const children = m.namedChildren().length;
    const counted = d === depth || children === 0 ? subtree.get(m)! : owned.get(m)!;
    counters[d] = (counters[d] ?? 0) + 1;
    const t = traced.get(m);
    rows.push({
      module: m,
      name,
      type: m.moduleName(),
      depth: d,
      index: d === 0 ? '' : `${d}-${counters[d]}`,
      inputShapes: t ? t.inputs : null,
      outputShapes: t ? t.outputs : null,
      numParams: counted.reduce((s, p) => s + p.numel(), 0),
      totalParams: subtree.get(m)!.reduce((s, p) => s + p.numel(), 0),
      trainable: trainable(counted),
      leaf: children === 0,
    });
  }
  return rows;
}

function trainable(params: readonly Tensor[]): Trainable {
  const withElements = params.filter((p) => p.numel() > 0);
  if (withElements.length === 0) return '--';
  const trained = withElements.filter((p) => p.requiresGrad).length;
  return trained === withElements.length ? 'True' : trained === 0 ? 'False' : 'Partial';
}

/** Total and trainable parameter counts of `model` (each shared parameter once). @internal */
export function paramTotals(model: Module): { total: number; trainable: number; bytes: number } {
  let total = 0;
  let trained = 0;
  let bytes = 0;
  for (const p of model.parameters()) {
    total += p.numel();
    if (p.requiresGrad) trained += p.numel();
    bytes += p.numel() * BYTES[p.dtype];
  }
  return { total, trainable: trained, bytes };
}

/** `1234567` → `1,234,567`. @internal */
export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
