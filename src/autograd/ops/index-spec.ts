/**
 * Parsing of index specs (`x.index(':, 1:3')`, `x.index('...', idx)`, `x.index(mask)`) into
 * items, and the flat source positions of an advanced index, following PyTorch's rules: integers
 * select (and drop their dim) first, slices and `None` are views, tensors and arrays are advanced
 * indices that broadcast together; their dims replace the first advanced position when the
 * advanced indices are adjacent and go first otherwise.
 * @module
 */
import { describe } from '../args.js';
import { ArgumentTypeError, DTypeError, IndexError, ValueError, fmtShape } from '../errors.js';
import { broadcastShapes, numelOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { contiguousData } from './shape.js';

/**
 * One item of an index: an integer (selects), a string (`':'`, `'1:3'`, `'::2'`, `'-1'`, `'...'`,
 * `'None'`, or several of them separated by commas), `null` (a new axis, like `None`), an int32
 * or bool Tensor, or an array of integers or booleans (advanced indices, like PyTorch's lists).
 */
export type IndexItem = number | string | null | Tensor | readonly number[] | readonly boolean[];

/** A parsed item. @internal */
export type Item =
  | { kind: 'int'; index: number }
  | { kind: 'slice'; start: number | null; end: number | null; step: number }
  | { kind: 'ellipsis' }
  | { kind: 'newaxis' }
  | { kind: 'tensor'; index: Tensor }
  | { kind: 'mask'; mask: Tensor };

const FORMS = "x.index(':, 1:3'), x.index('...', -1), x.index(idx) or x.index(mask)";

function parseInt32(op: string, text: string, whole: string): number {
  if (!/^[+-]?\d+$/.test(text))
    throw new ValueError(
      `${op}: cannot read ${describe(text)} in the index ${describe(whole)}; expected an integer, a slice such as '1:3', '...', or 'None'`,
    );
  return Number(text);
}

function parseString(op: string, text: string): Item[] {
  const items: Item[] = [];
  const pieces = text.split(',');
  if (pieces.length > 1 && pieces[pieces.length - 1]!.trim() === '') pieces.pop(); // a trailing comma, as Python allows
  for (const raw of pieces) {
    const p = raw.trim();
    if (p === '...') items.push({ kind: 'ellipsis' });
    else if (p === 'None' || p === 'newaxis') items.push({ kind: 'newaxis' });
    else if (p.includes(':')) {
      const parts = p.split(':').map((s) => s.trim());
      if (parts.length > 3) throw new ValueError(`${op}: cannot read the slice ${describe(p)} in the index ${describe(text)}`);
      const [a, b, c] = parts;
      const step = c === undefined || c === '' ? 1 : parseInt32(op, c, text);
      if (step <= 0)
        throw new ValueError(`${op}: step must be greater than zero, got ${step} in ${describe(text)} (use flip for a reversed order)`);
      items.push({ kind: 'slice', start: a ? parseInt32(op, a, text) : null, end: b ? parseInt32(op, b, text) : null, step });
    } else items.push({ kind: 'int', index: parseInt32(op, p, text) });
  }
  return items;
}

/** Parses the items of an index call into their kinds; arrays become int32 or bool tensors. @internal */
export function parseItems(op: string, raw: readonly unknown[]): Item[] {
  const items: Item[] = [];
  for (const v of raw) {
    if (typeof v === 'string') items.push(...parseString(op, v));
    else if (v === null) items.push({ kind: 'newaxis' });
    else if (typeof v === 'number') {
      if (!Number.isInteger(v)) throw new ArgumentTypeError(`${op}: an index must be an integer, got ${v}; accepted forms: ${FORMS}`);
      items.push({ kind: 'int', index: v });
    } else if (v instanceof Tensor) {
      if (v.dtype === 'bool') items.push({ kind: 'mask', mask: v });
      else if (v.dtype === 'int32') items.push({ kind: 'tensor', index: v });
      else throw new DTypeError(`${op}: tensors used as indices must be int32 or bool, got ${v.dtype}`);
    } else if (Array.isArray(v)) {
      if (v.every((e) => typeof e === 'boolean'))
        items.push({ kind: 'mask', mask: Tensor._fromData(Uint8Array.from(v, Number), [v.length], 'bool') });
      else if (v.every((e) => typeof e === 'number' && Number.isInteger(e)))
        items.push({ kind: 'tensor', index: Tensor._fromData(Int32Array.from(v as number[]), [v.length], 'int32') });
      else throw new ArgumentTypeError(`${op}: an array index must hold integers or booleans, got ${describe(v)}`);
    } else {
      throw new ArgumentTypeError(`${op}: cannot index with ${describe(v)}; accepted forms: ${FORMS}`);
    }
  }
  if (items.filter((i) => i.kind === 'ellipsis').length > 1)
    throw new IndexError(`${op}: an index can only have a single ellipsis ('...')`);
  return items;
}

/** How many dims of the tensor an item consumes. */
function consumed(item: Item): number {
  return item.kind === 'mask' ? item.mask.ndim : item.kind === 'ellipsis' || item.kind === 'newaxis' ? 0 : 1;
}

/** The items with the ellipsis expanded to full slices (and a trailing one implied). @internal */
export function expandEllipsis(op: string, items: Item[], ndim: number): Item[] {
  const used = items.reduce((n, i) => n + consumed(i), 0);
  if (used > ndim) throw new IndexError(`${op}: too many indices for a tensor of dimension ${ndim} (${used} given)`);
  const full: Item = { kind: 'slice', start: null, end: null, step: 1 };
  const at = items.findIndex((i) => i.kind === 'ellipsis');
  const fill = Array.from({ length: ndim - used }, () => full);
  return at < 0 ? [...items, ...fill] : [...items.slice(0, at), ...fill, ...items.slice(at + 1)];
}

/** The int32 indices of the true elements of a bool mask, one 1-d tensor per dim. @internal */
export function maskIndices(mask: Tensor): Tensor[] {
  const data = contiguousData(mask);
  const shape = mask.shape;
  let count = 0;
  for (let i = 0; i < data.length; i++) if (data[i]) count++;
  const out = shape.map(() => new Int32Array(count));
  for (let i = 0, k = 0; i < data.length; i++) {
    if (!data[i]) continue;
    let rest = i;
    for (let d = shape.length - 1; d >= 0; d--) {
      out[d]![k] = rest % shape[d]!;
      rest = Math.floor(rest / shape[d]!);
    }
    k++;
  }
  return out.map((a) => Tensor._fromData(a, [count], 'int32'));
}

/**
 * The advanced part of an index on a tensor of `shape` where only slices (full ones, already
 * applied) and index tensors remain: the output shape and each output element's flat row-major
 * position in the input. `indices[d]` is null for a kept dim.
 * @internal
 */
export function advancedPositions(
  op: string,
  shape: readonly number[],
  indices: readonly (Tensor | null)[],
): { shape: number[]; positions: Int32Array } {
  const advDims = indices.flatMap((t, d) => (t === null ? [] : [d]));
  let bshape: number[] = [...indices[advDims[0]!]!.shape];
  for (const d of advDims) {
    try {
      bshape = broadcastShapes(op, bshape, indices[d]!.shape);
    } catch {
      throw new IndexError(
        `${op}: shape mismatch: the index tensors of shapes ${advDims.map((k) => fmtShape(indices[k]!.shape)).join(', ')} cannot be broadcast together`,
      );
    }
  }
  const adjacent = advDims.every((d, i) => i === 0 || d === advDims[i - 1]! + 1);
  const kept = indices.flatMap((t, d) => (t === null ? [d] : []));
  const first = advDims[0]!;
  const before = adjacent ? kept.filter((d) => d < first) : [];
  const after = adjacent ? kept.filter((d) => d > first) : kept;
  const outShape = [...before.map((d) => shape[d]!), ...bshape, ...after.map((d) => shape[d]!)];
  const strides = new Array<number>(shape.length);
  for (let d = shape.length - 1, s = 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d]!;
  }
  // Each advanced index, broadcast to bshape, as plain numbers with negatives wrapped and checked.
  const bn = numelOf(bshape);
  const advFlat = new Float64Array(bn);
  for (const d of advDims) {
    const t = indices[d]!;
    const data = contiguousData(t);
    const size = shape[d]!;
    const lead = bshape.length - t.ndim;
    for (let k = 0; k < bn; k++) {
      let src = 0;
      for (let j = bshape.length - 1, rest = k, tstride = 1; j >= 0; j--) {
        const c = rest % bshape[j]!;
        rest = Math.floor(rest / bshape[j]!);
        const tj = j - lead;
        if (tj >= 0) {
          if (t.shape[tj] !== 1) src += c * tstride;
          tstride *= t.shape[tj]!;
        }
      }
      let v = data[src]!;
      if (v < -size || v >= size) throw new IndexError(`${op}: index ${v} is out of bounds for dim ${d} with size ${size}`);
      if (v < 0) v += size;
      advFlat[k] = advFlat[k]! + v * strides[d]!;
    }
  }
  const positions = new Int32Array(numelOf(outShape));
  const outer = numelOf(before.map((d) => shape[d]!));
  const innerShape = after.map((d) => shape[d]!);
  const inner = numelOf(innerShape);
  const innerOffsets = new Float64Array(inner);
  for (let k = 0; k < inner; k++) {
    let rest = k,
      off = 0;
    for (let j = after.length - 1; j >= 0; j--) {
      off += (rest % innerShape[j]!) * strides[after[j]!]!;
      rest = Math.floor(rest / innerShape[j]!);
    }
    innerOffsets[k] = off;
  }
  const beforeShape = before.map((d) => shape[d]!);
  let p = 0;
  for (let o = 0; o < outer; o++) {
    let rest = o,
      off = 0;
    for (let j = before.length - 1; j >= 0; j--) {
      off += (rest % beforeShape[j]!) * strides[before[j]!]!;
      rest = Math.floor(rest / beforeShape[j]!);
    }
    for (let b = 0; b < bn; b++) for (let k = 0; k < inner; k++) positions[p++] = off + advFlat[b]! + innerOffsets[k]!;
  }
  return { shape: outShape, positions };
}
