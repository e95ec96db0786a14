/**
 * OpInfo entries of Python-style indexing: index (basic items as views, arrays and masks as
 * advanced indices), indexPut (write and accumulate), indexPut_ and setIndex (in place on a
 * copy), and nonzero. The reference is an independent loop over output positions following
 * PyTorch's rules: integers select first, advanced indices broadcast, their dims replace the first
 * advanced position when adjacent and go first otherwise.
 * @module
 */
import * as fc from 'fast-check';
import * as T from '../../../src/index.js';
import { ArgumentTypeError, DTypeError, IndexError, ShapeError, ValueError } from '../../../src/autograd/errors.js';
import type { Tensor } from '../../../src/autograd/tensor.js';
import { boolInput, floatInput, REAL, shapeArb } from '../arb.js';
import { numel, ref, unravel } from '../ref.js';
import { opInfo, type AnyOpInfo, type ErrorInput, type InputSpec, type Ref } from '../types.js';

/** A spec item as plain data: a number, a string, null, an index array, or 'MASK' (input 1, a bool tensor). */
type SpecItem = number | string | null | number[] | { mask: true };
interface IndexArgs {
  items: SpecItem[];
  method: boolean;
}

const err = (name: string, call: () => unknown, error: ErrorInput['error'], message: RegExp): ErrorInput => ({
  name,
  call,
  error,
  message,
});

/** One item for a dim of `size`: an integer, a slice string, ':', or an index array. */
function dimItem(size: number, unique: boolean): fc.Arbitrary<SpecItem> {
  const bound = fc.integer({ min: -size - 1, max: size + 1 });
  const slice = fc
    .tuple(fc.option(bound, { nil: null }), fc.option(bound, { nil: null }), fc.constantFrom(1, 1, 2, 3))
    .map(([a, b, c]) => `${a ?? ''}:${b ?? ''}${c === 1 ? '' : `:${c}`}`);
  const options: fc.Arbitrary<SpecItem>[] = [fc.constant(':'), slice];
  if (size > 0) {
    options.push(fc.integer({ min: -size, max: size - 1 }));
    const idx = fc.integer({ min: -size, max: size - 1 });
    options.push(
      unique
        ? fc.uniqueArray(fc.integer({ min: 0, max: size - 1 }), { minLength: 1, maxLength: Math.min(size, 3) })
        : fc.array(idx, { minLength: 1, maxLength: 3 }),
    );
  }
  return fc.oneof(...options);
}

/**
 * A spec for `shape`: items for some leading dims, then sometimes '...' and items for some
 * trailing dims, a None somewhere, and sometimes a mask on dim 0 (instead of index arrays).
 */
function specArb(shape: number[], unique: boolean): fc.Arbitrary<{ items: SpecItem[]; mask: InputSpec | null }> {
  const n = shape.length;
  return fc
    .record({
      lead: fc.integer({ min: 0, max: n }),
      tail: fc.integer({ min: 0, max: n }),
      ellipsis: fc.boolean(),
      none: fc.option(fc.integer({ min: 0, max: n }), { nil: null }),
      mask: n > 0 && !unique ? fc.boolean() : fc.constant(false),
    })
    .chain(({ lead, tail, ellipsis, none, mask }) => {
      const tailCount = ellipsis ? Math.min(tail, n - lead) : 0;
      const dims = [...shape.slice(0, lead), ...shape.slice(n - tailCount)];
      return fc.tuple(...dims.map((s) => dimItem(s, unique))).chain((items) =>
        (mask && lead > 0 ? boolInput([shape[0]!]) : fc.constant(null)).map((m) => {
          let out: SpecItem[] = [...items];
          if (m) out = [{ mask: true }, ...out.slice(1).map((it) => (Array.isArray(it) ? ':' : it))];
          // Broadcasting needs equal lengths or 1: trim arrays to a common length.
          const lens = out.filter(Array.isArray).map((a) => (a as number[]).length);
          const common = Math.min(...lens, 3);
          out = out.map((it) => (Array.isArray(it) && it.length !== 1 ? it.slice(0, common) : it));
          if (out.some((it) => Array.isArray(it) && it.length === 0)) out = out.map((it) => (Array.isArray(it) ? ':' : it));
          if (ellipsis) out.splice(lead, 0, '...');
          if (none !== null) out.splice(Math.min(none, out.length), 0, null);
          return { items: out, mask: m };
        }),
      );
    });
}

/** The items as the op takes them (the mask placeholder replaced by the tensor). */
function itemsOf(items: SpecItem[], mask: Tensor | undefined): T.IndexItem[] {
  return items.map((it) => (it !== null && typeof it === 'object' && !Array.isArray(it) ? mask! : it));
}

/** Source positions of `x[items]`, written from PyTorch's indexing rules. */
function indexRef(shape: number[], items: SpecItem[], mask: Ref | undefined): { shape: number[]; src: number[] } {
  type D = { kind: 'slice'; dim: number; values: number[] } | { kind: 'new' } | { kind: 'adv'; dim: number; values: number[] };
  const used = items.reduce<number>((k, it) => k + (it === null || it === '...' ? 0 : 1), 0);
  const expanded: SpecItem[] = [];
  for (const it of items) {
    if (it === '...') for (let k = 0; k < shape.length - used; k++) expanded.push(':');
    else expanded.push(it);
  }
  if (!items.includes('...')) while (expanded.filter((it) => it !== null).length < shape.length) expanded.push(':');
  const fixed = new Map<number, number>();
  const dims: D[] = [];
  let d = 0;
  for (const it of expanded) {
    if (it === null) {
      dims.push({ kind: 'new' });
      continue;
    }
    const size = shape[d]!;
    if (typeof it === 'number') fixed.set(d, it < 0 ? it + size : it);
    else if (typeof it === 'string') {
      const [a, b, c] = it.split(':');
      const step = c ? Number(c) : 1;
      const clamp = (v: number): number => Math.min(Math.max(v < 0 ? v + size : v, 0), size);
      const start = a ? clamp(Number(a)) : 0;
      const end = b ? clamp(Number(b)) : size;
      const values: number[] = [];
      for (let i = start; i < end; i += step) values.push(i);
      dims.push({ kind: 'slice', dim: d, values });
    } else if (Array.isArray(it)) dims.push({ kind: 'adv', dim: d, values: it.map((v) => (v < 0 ? v + size : v)) });
    else {
      const values: number[] = [];
      mask!.data.forEach((m, i) => {
        if (m) values.push(i);
      });
      dims.push({ kind: 'adv', dim: d, values });
    }
    d++;
  }
  const advAt = dims.flatMap((x, i) => (x.kind === 'adv' ? [i] : []));
  const advLen = advAt.length === 0 ? 0 : Math.max(...advAt.map((i) => (dims[i] as { values: number[] }).values.length));
  const at = (x: { values: number[] }, k: number): number => x.values[x.values.length === 1 ? 0 : k]!;
  const adjacent = advAt.every((v, i) => i === 0 || v === advAt[i - 1]! + 1);
  // Output dims: a list of (size, setter) where the setter writes into the source multi-index.
  type Out = { size: number; set: (src: number[], k: number) => void };
  const outs: Out[] = [];
  const advOut: Out = {
    size: advLen,
    set: (src, k) =>
      advAt.forEach((i) => {
        const x = dims[i] as { dim: number; values: number[] };
        src[x.dim] = at(x, k);
      }),
  };
  if (advAt.length > 0 && !adjacent) outs.push(advOut);
  dims.forEach((x, i) => {
    if (x.kind === 'slice') outs.push({ size: x.values.length, set: (src, k) => (src[x.dim] = x.values[k]!) });
    else if (x.kind === 'new') outs.push({ size: 1, set: () => undefined });
    else if (adjacent && i === advAt[0]) outs.push(advOut);
  });
  const outShape = outs.map((o) => o.size);
  const src: number[] = [];
  for (let k = 0; k < numel(outShape); k++) {
    const idx = unravel(k, outShape);
    const s = shape.map(() => 0);
    fixed.forEach((v, dim) => (s[dim] = v));
    outs.forEach((o, j) => o.set(s, idx[j]!));
    src.push(s.reduce((f, v, j) => f * shape[j]! + v, 0));
  }
  return { shape: outShape, src };
}

const indexSample = (unique: boolean) =>
  shapeArb({ minDims: 1 }).chain((shape) =>
    specArb(shape, unique).chain(({ items, mask }) =>
      fc.record({
        inputs: floatInput(shape, REAL).map((x) => (mask ? [x, mask] : [x])),
        args: fc.record({ items: fc.constant(items), method: fc.boolean() }),
      }),
    ),
  );

const indexEntry = opInfo<IndexArgs>({
  name: 'index',
  op: ([x, m], { items, method }) => (method ? x!.index(...itemsOf(items, m)) : T.index(x!, ...itemsOf(items, m))),
  sample: indexSample(false),
  reference: ([x, m], { items }) => {
    const { shape, src } = indexRef(x!.shape, items, m);
    return ref(
      shape,
      src.map((i) => x!.data[i]!),
      x!.dtype,
    );
  },
  differentiable: [true, false],
  twiceDifferentiable: true,
  errorInputs: [
    err('too many indices', () => T.zeros([2]).index('0, 0'), IndexError, /^index: too many indices for a tensor of dimension 1/),
    err('an integer out of range', () => T.zeros([2, 3]).index(':, 3'), IndexError, /^index: index 3 is out of range for dim 1 of size 3/),
    err(
      'an array index out of range',
      () => T.zeros([2]).index([0, -3]),
      IndexError,
      /^index: index -3 is out of bounds for dim 0 with size 2/,
    ),
    err('a zero step', () => T.zeros([4]).index('::0'), ValueError, /^index: step must be greater than zero/),
    err('a negative step', () => T.zeros([4]).index('::-1'), ValueError, /^index: step must be greater than zero, got -1/),
    err('two ellipses', () => T.zeros([4]).index('..., ...'), IndexError, /^index: an index can only have a single ellipsis/),
    err(
      'a float tensor index',
      () => T.zeros([4]).index(T.tensor([1])),
      DTypeError,
      /^index: tensors used as indices must be int32 or bool, got float32/,
    ),
    err(
      'a mask of the wrong shape',
      () => T.zeros([2, 3]).index(T.tensor([true, false, true])),
      IndexError,
      /^index: the mask of shape \[3\] does not match the indexed dims \[2\]/,
    ),
    err('unreadable text', () => T.zeros([4]).index('1;2'), ValueError, /^index: cannot read '1;2'/),
    err('an object', () => T.zeros([4]).index({ start: 1 } as unknown as string), ArgumentTypeError, /^index: cannot index with/),
    err('index arrays that do not broadcast', () => T.zeros([3, 3]).index([0, 1], [0, 1, 2]), IndexError, /^index: shape mismatch/),
  ],
});

interface PutArgs {
  items: SpecItem[];
  accumulate: boolean;
  numberValue: number | null;
}

/** x, the value (broadcast to the indexed shape, sometimes with fewer dims), and a mask input. */
const putSample = (unique: boolean) =>
  shapeArb({ minDims: 1 }).chain((shape) =>
    specArb(shape, unique).chain(({ items, mask }) => {
      const indexed = indexRef(shape, items, mask ? ref(mask.shape, mask.data) : undefined).shape;
      return fc
        .record({
          drop: fc.integer({ min: 0, max: indexed.length }),
          ones: fc.array(fc.boolean(), { minLength: indexed.length, maxLength: indexed.length }),
          numberValue: fc.option(fc.constantFrom(-1.5, 2), { nil: null, freq: 4 }),
          accumulate: unique ? fc.boolean() : fc.constant(true),
        })
        .chain(({ drop, ones, numberValue, accumulate }) => {
          const vshape = indexed.slice(drop).map((s, i) => (ones[i + drop] ? 1 : s));
          return fc.record({
            inputs: fc.tuple(floatInput(shape, REAL), floatInput(vshape, REAL)).map(([x, v]) => {
              const list: InputSpec[] = [x];
              if (numberValue === null) list.push(v);
              if (mask) list.push(mask);
              return list;
            }),
            args: fc.constant({ items, accumulate, numberValue }),
          });
        });
    }),
  );

function putRef([x, ...rest]: Ref[], { items, accumulate, numberValue }: PutArgs): Ref {
  const value = numberValue === null ? rest[0]! : ref([], [numberValue]);
  const mask = numberValue === null ? rest[1] : rest[0];
  const { shape, src } = indexRef(x!.shape, items, mask);
  const out = Float64Array.from(x!.data);
  src.forEach((p, k) => {
    const idx = unravel(k, shape);
    const lead = shape.length - value.shape.length;
    const vi = value.shape.reduce((f, s, j) => f * s + (s === 1 ? 0 : idx[j + lead]!), 0);
    out[p] = accumulate ? out[p]! + value.data[vi]! : value.data[vi]!;
  });
  return ref(x!.shape, out, x!.dtype);
}

function putOperands(inputs: Tensor[], { items, numberValue }: PutArgs): [T.IndexItem[], Tensor | number] {
  const value = numberValue ?? inputs[1]!;
  const mask = numberValue === null ? inputs[2] : inputs[1];
  return [itemsOf(items, mask), value];
}

// With plain writes the positions are distinct (a duplicate's overwritten value has no gradient
// a finite difference could see); accumulate takes duplicates.
const indexPutEntry = opInfo<PutArgs & { method: boolean }>({
  name: 'indexPut',
  op: (inputs, args) => {
    const [items, value] = putOperands(inputs, args);
    const o = { accumulate: args.accumulate };
    return args.method ? inputs[0]!.indexPut(items, value, o) : T.indexPut(inputs[0]!, items, value, o);
  },
  sample: fc.oneof(putSample(true), putSample(false)).chain((s) => fc.boolean().map((method) => ({ ...s, args: { ...s.args, method } }))),
  reference: putRef,
  differentiable: [true, true, false],
  twiceDifferentiable: true,
  inplace: (inputs, args) => {
    const [items, value] = putOperands(inputs, args);
    return inputs[0]!.indexPut_(items, value, { accumulate: args.accumulate });
  },
  errorInputs: [
    err(
      'a value that does not broadcast',
      () => T.zeros([3, 2]).indexPut([':', 0], T.zeros([2])),
      ShapeError,
      /^indexPut: a value of shape \[2\] cannot be broadcast to the indexed shape \[3\]/,
    ),
    err(
      'an unknown option',
      () => T.zeros([3]).indexPut([0], 1, { acumulate: true } as never),
      ValueError,
      /^indexPut: unknown option 'acumulate'.*accumulate/,
    ),
    err(
      'a value with more dims',
      () => T.zeros([3]).indexPut([0], T.zeros([2, 1])),
      ShapeError,
      /^indexPut: a value of shape \[2, 1\] cannot be broadcast to the indexed shape \[1\]/,
    ),
  ],
});

const inplaceEntry = (name: 'indexPut_' | 'setIndex') =>
  opInfo<PutArgs>({
    name,
    op: (inputs, args) => {
      const [items, value] = putOperands(inputs, args);
      const target = inputs[0]!.mul(1);
      return name === 'setIndex' ? T.setIndex(target, ...items, value) : T.indexPut_(target, items, value, { accumulate: args.accumulate });
    },
    sample: putSample(true).map((s) => (name === 'setIndex' ? { ...s, args: { ...s.args, accumulate: false } } : s)),
    reference: putRef,
    differentiable: [true, true, false],
    twiceDifferentiable: true,
    errorInputs: [
      err(
        'a leaf that requires grad',
        () => T.zeros([2], { requiresGrad: true }).setIndex(0, 1),
        T.AutogradError,
        new RegExp(`^setIndex: a leaf tensor that requires grad cannot be modified in place`),
      ),
      err(
        'no value',
        () => (T.setIndex as (x: Tensor, ...a: unknown[]) => Tensor)(T.zeros([2])),
        ArgumentTypeError,
        /^setIndex: expected index items and a value/,
      ),
    ],
  });

const nonzeroEntry = opInfo<{ asTuple: boolean; method: boolean }>({
  name: 'nonzero',
  op: ([x], { asTuple, method }) => {
    if (asTuple) return method ? x!.nonzero({ asTuple: true }) : T.nonzero(x!, { asTuple: true });
    return method ? x!.nonzero() : T.nonzero(x!);
  },
  sample: shapeArb().chain((shape) =>
    fc.record({
      inputs: fc.tuple(
        fc.oneof(
          boolInput(shape),
          fc
            .array(fc.constantFrom(0, 0, 1.5, -2), { minLength: numel(shape), maxLength: numel(shape) })
            .map((data): InputSpec => ({ shape, data, dtype: 'float' })),
        ),
      ),
      args: fc.record({ asTuple: fc.boolean(), method: fc.boolean() }),
    }),
  ),
  reference: ([x], { asTuple }) => {
    const shape = x!.shape.length === 0 ? [1] : x!.shape;
    const rows: number[][] = [];
    x!.data.forEach((v, i) => {
      if (v !== 0) rows.push(unravel(i, shape));
    });
    if (asTuple)
      return shape.map((_, d) =>
        ref(
          [rows.length],
          rows.map((r) => r[d]!),
          'int32',
        ),
      );
    const nd = x!.shape.length;
    return ref(
      [rows.length, nd],
      rows.flatMap((r) => r.slice(0, nd)),
      'int32',
    );
  },
  differentiable: false,
  twiceDifferentiable: false,
  errorInputs: [
    err('an unknown option', () => T.nonzero(T.zeros([2]), { tuple: true } as never), ValueError, /^nonzero: unknown option 'tuple'/),
  ],
});

/** The indexing-expression family. @internal */
export const indexExprEntries: AnyOpInfo[] = [indexEntry, indexPutEntry, inplaceEntry('indexPut_'), inplaceEntry('setIndex'), nonzeroEntry];
