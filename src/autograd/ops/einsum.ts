/**
 * einsum, composed of views, sums and matrix products so that it is differentiable and every
 * contraction runs on the GEMM kernel: each pair of operands becomes one batched matmul of
 * [batch, left, contracted] by [batch, contracted, right]. A label repeated in one operand takes
 * the diagonal (a product with an identity mask, then a sum).
 * @module
 */
import { describe } from '../args.js';
import { ArgumentTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { Tensor } from '../tensor.js';
import { mul } from './elementwise.js';
import { matmul } from './linalg.js';
import { sum } from './reduce.js';
import { expand, permute, reshape } from './shape.js';

/** An operand with one label per dim (letters, or `#k` for the k-th broadcast dim of `...`). */
interface Labelled {
  t: Tensor;
  labels: string[];
}

const FORMS = "einsum('ij,jk->ik', a, b), einsum('bij,bjk->bik', a, b), einsum('ii->', x) or einsum('...ij,...jk', a, b)";

function parseTerm(term: string, equation: string): { letters: string[]; ellipsisAt: number } {
  const at = term.indexOf('...');
  if (at >= 0 && term.indexOf('...', at + 1) >= 0)
    throw new ValueError(`einsum: more than one '...' in the term ${describe(term)} of ${describe(equation)}`);
  const plain = term.replace('...', '');
  if (!/^[a-zA-Z]*$/.test(plain))
    throw new ValueError(`einsum: the term ${describe(term)} of ${describe(equation)} may only hold letters and one '...'`);
  return { letters: [...plain], ellipsisAt: at < 0 ? -1 : [...term.slice(0, at)].length };
}

function ellipsisLabels(count: number, total: number): string[] {
  return Array.from({ length: count }, (_, i) => `#${total - count + i}`);
}

/** The diagonal over every label repeated within one operand. */
function takeDiagonals(op: Labelled): Labelled {
  let { t, labels } = op;
  for (let j = 0; j < labels.length; j++) {
    const i = labels.indexOf(labels[j]!);
    if (i === j) continue;
    const n = t.shape[i]!;
    if (t.shape[j] !== n) throw new ShapeError(`einsum: the repeated label ${labels[j]} has sizes ${n} and ${t.shape[j]} in one operand`);
    const eyeShape = t.shape.map((s, d) => (d === i || d === j ? s : 1));
    const mask = new Float64Array(n * n);
    for (let k = 0; k < n; k++) mask[k * n + k] = 1;
    const eye = reshape(Tensor._fromData(mask, [n, n], 'float64').to(t.dtype), eyeShape);
    t = sum(mul(t, eye), j);
    labels = labels.filter((_, d) => d !== j);
    j--;
  }
  return { t, labels };
}

/** Sums the dims whose labels are not in `keep`. */
function sumOut(op: Labelled, keep: ReadonlySet<string>): Labelled {
  const dims = op.labels.flatMap((l, d) => (keep.has(l) ? [] : [d]));
  if (dims.length === 0) return op;
  return { t: sum(op.t, dims), labels: op.labels.filter((l) => keep.has(l)) };
}

/** The size of each label across both operands (1 broadcasts). */
function sizeOf(a: Labelled, b: Labelled, label: string): number {
  const sa = a.labels.includes(label) ? a.t.shape[a.labels.indexOf(label)]! : 1;
  const sb = b.labels.includes(label) ? b.t.shape[b.labels.indexOf(label)]! : 1;
  if (sa !== sb && sa !== 1 && sb !== 1)
    throw new ShapeError(`einsum: the label ${label.startsWith('#') ? "'...'" : label} has sizes ${sa} and ${sb}, which do not broadcast`);
  return sa === 1 ? sb : sa;
}

/** One operand's dims reordered to `order` (all its labels) and expanded to `sizes`, merged into groups. */
function arrange(op: Labelled, order: string[], sizes: number[], groups: number[]): Tensor {
  const p = permute(
    op.t,
    order.map((l) => op.labels.indexOf(l)),
  );
  const e = expand(p, sizes);
  const shape: number[] = [];
  let at = 0;
  for (const g of groups) {
    shape.push(sizes.slice(at, at + g).reduce((x, y) => x * y, 1));
    at += g;
  }
  return reshape(e, shape);
}

/** The product of two operands summed over the labels not in `keep`, as one (batched) matmul. */
function contract(a: Labelled, b: Labelled, keep: ReadonlySet<string>): Labelled {
  const inB = new Set(b.labels);
  const inA = new Set(a.labels);
  a = sumOut(a, new Set([...keep, ...inB]));
  b = sumOut(b, new Set([...keep, ...inA]));
  const batch = a.labels.filter((l) => inB.has(l) && keep.has(l));
  const contracted = a.labels.filter((l) => inB.has(l) && !keep.has(l));
  const left = a.labels.filter((l) => !inB.has(l));
  const right = b.labels.filter((l) => !inA.has(l));
  const size = (l: string): number => sizeOf(a, b, l);
  const [bs, ls, cs, rs] = [
    batch.map(size),
    left.map((l) => a.t.shape[a.labels.indexOf(l)]!),
    contracted.map(size),
    right.map((l) => b.t.shape[b.labels.indexOf(l)]!),
  ];
  const hasBatch = batch.length > 0;
  const ga = hasBatch ? [batch.length, left.length, contracted.length] : [left.length, contracted.length];
  const gb = hasBatch ? [batch.length, contracted.length, right.length] : [contracted.length, right.length];
  const ma = arrange(a, [...batch, ...left, ...contracted], [...bs, ...ls, ...cs], ga);
  const mb = arrange(b, [...batch, ...contracted, ...right], [...bs, ...cs, ...rs], gb);
  return { t: reshape(matmul(ma, mb), [...bs, ...ls, ...rs]), labels: [...batch, ...left, ...right] };
}

/**
 * Einstein summation, like `torch.einsum`: `equation` names each operand's dims with letters
 * (`'...'` for broadcast leading dims); labels shared between operands are multiplied, labels
 * missing from the output (after `->`) are summed, a label repeated in one operand takes its
 * diagonal. Without `->` the output is the `...` dims then the labels used once, in alphabetical
 * order. Differentiable; contractions run as matrix products.
 * @example
 * ```ts
 * einsum('ij,jk->ik', a, b);            // a @ b
 * einsum('bhqd,bhkd->bhqk', q, k);      // attention scores
 * einsum('i,j->ij', u, v);              // outer product
 * einsum('ii->', m);                    // trace
 * ```
 */
export function einsum(equation: string, ...operands: Tensor[] | [readonly Tensor[]]): Tensor {
  if (typeof equation !== 'string')
    throw new ArgumentTypeError(`einsum: the equation must be a string, got ${describe(equation)}; accepted forms: ${FORMS}`);
  const ops = (operands.length === 1 && Array.isArray(operands[0]) ? operands[0] : operands) as readonly unknown[];
  ops.forEach((t, i) => {
    if (!(t instanceof Tensor))
      throw new ArgumentTypeError(`einsum: operand ${i} must be a Tensor, got ${describe(t)}; accepted forms: ${FORMS}`);
  });
  const eq = equation.replace(/\s+/g, '');
  const arrow = eq.indexOf('->');
  const lhs = arrow < 0 ? eq : eq.slice(0, arrow);
  const terms = lhs.split(',');
  if (terms.length !== ops.length)
    throw new ValueError(`einsum: ${describe(equation)} has ${terms.length} operand term(s) but ${ops.length} operand(s) were given`);
  const parsed = terms.map((t) => parseTerm(t, equation));
  const tensors = ops as Tensor[];
  const ellipsisDims = parsed.map((p, i) => {
    const extra = tensors[i]!.ndim - p.letters.length;
    if (p.ellipsisAt < 0 ? extra !== 0 : extra < 0) {
      throw new ShapeError(
        `einsum: the term ${describe(terms[i])} names ${p.letters.length} dims but operand ${i} has shape ${fmtShape(tensors[i]!.shape)}`,
      );
    }
    return p.ellipsisAt < 0 ? 0 : extra;
  });
  const total = Math.max(0, ...ellipsisDims);
  const labelled: Labelled[] = parsed.map((p, i) => {
    const labels =
      p.ellipsisAt < 0
        ? p.letters
        : [...p.letters.slice(0, p.ellipsisAt), ...ellipsisLabels(ellipsisDims[i]!, total), ...p.letters.slice(p.ellipsisAt)];
    return { t: tensors[i]!, labels };
  });
  let output: string[];
  if (arrow < 0) {
    const counts = new Map<string, number>();
    for (const p of parsed) for (const l of p.letters) counts.set(l, (counts.get(l) ?? 0) + 1);
    const once = [...counts]
      .filter(([, c]) => c === 1)
      .map(([l]) => l)
      .sort();
    output = [...ellipsisLabels(total, total), ...once];
  } else {
    const out = parseTerm(eq.slice(arrow + 2), equation);
    if (new Set(out.letters).size !== out.letters.length)
      throw new ValueError(`einsum: the output ${describe(eq.slice(arrow + 2))} repeats a label`);
    const known = new Set(parsed.flatMap((p) => p.letters));
    for (const l of out.letters)
      if (!known.has(l)) throw new ValueError(`einsum: the output label ${l} of ${describe(equation)} appears in no operand`);
    if (out.ellipsisAt < 0 && total > 0)
      throw new ValueError(`einsum: the operands have '...' dims but the output of ${describe(equation)} has no '...'`);
    output =
      out.ellipsisAt < 0
        ? out.letters
        : [...out.letters.slice(0, out.ellipsisAt), ...ellipsisLabels(total, total), ...out.letters.slice(out.ellipsisAt)];
  }
  const outSet = new Set(output);
  let acc: Labelled | null = null;
  for (let i = 0; i < labelled.length; i++) {
    const later = new Set([...outSet, ...labelled.slice(i + 1).flatMap((o) => o.labels)]);
    const op = sumOut(takeDiagonals(labelled[i]!), new Set([...later, ...(acc ? acc.labels : [])]));
    acc = acc === null ? op : contract(acc, op, later);
  }
  const result = sumOut(acc!, outSet);
  const missing = output.filter((l) => !result.labels.includes(l));
  // '...' dims that no operand had (fewer than `total`) cannot occur: `total` is the widest operand's count.
  if (missing.length > 0)
    throw new ValueError(`einsum: the output labels ${missing.join(', ')} of ${describe(equation)} appear in no operand`);
  const perm = output.map((l) => result.labels.indexOf(l));
  return perm.every((p, i) => p === i) ? result.t : permute(result.t, perm);
}
