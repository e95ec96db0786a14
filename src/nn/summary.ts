/**
 * `nn.summary(model, inputShapes | exampleInputs)`: a torchinfo-style table of any module, from one
 * traced forward pass: the layer tree with depth, the output shape of each layer, parameter counts,
 * trainable status, totals and a memory estimate.
 * @module
 */
import { arrayOf, bool, checkArity, describe, isPlainObject, num, oneOf, parseOptions, type Check } from '../autograd/args.js';
import type { DType } from '../autograd/dtype.js';
import { ArgumentTypeError } from '../autograd/errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import { zeros } from '../autograd/ops/creation.js';
import { Tensor } from '../autograd/tensor.js';
import { Module } from './module.js';
import { BYTES, paramTotals, summaryRows, tensorsIn, thousands, type SummaryLayer, type Traced } from './summary-rows.js';

export type { SummaryLayer, Trainable } from './summary-rows.js';

/** A column of the {@link summary} table. */
export type SummaryColumn = 'inputShape' | 'outputShape' | 'numParams' | 'trainable';

/** Options of {@link summary}. */
export interface SummaryOptions {
  /** How deep to show the module tree (default 3, as torchinfo); deeper modules' parameters count on their shown ancestor. */
  depth?: number;
  /** Columns after the layer name (default `['outputShape', 'numParams', 'trainable']`). */
  columns?: SummaryColumn[];
  /** Dtype of the inputs made from shapes: one for all, or one per input (default float32; `int32` for token ids). */
  dtypes?: DType | DType[];
  /** Mode of the traced forward: `'eval'` (default, as torchinfo), `'train'`, or `'same'` (leave it); the modes are restored after. */
  mode?: 'eval' | 'train' | 'same';
  /** Print the table (default true). */
  print?: boolean;
  /** Where to print it (default `process.stdout`). */
  stream?: SummaryStream;
}

/** Where {@link summary} prints: `process.stdout`, or anything with `write`. */
export interface SummaryStream {
  /** Writes text (no newline is added). */
  write(text: string): unknown;
}

/** The result of {@link summary}: the table and the numbers behind it. */
export interface ModelSummary {
  /** The rows shown, in pre-order. */
  layers: SummaryLayer[];
  /** All parameters, each shared parameter once. */
  totalParams: number;
  /** Parameters with `requiresGrad`. */
  trainableParams: number;
  /** Parameters without `requiresGrad`. */
  nonTrainableParams: number;
  /** Bytes of the inputs. */
  inputBytes: number;
  /** Bytes of the outputs of the leaf modules, counted twice (the activation and its gradient in backward). */
  forwardBackwardBytes: number;
  /** Bytes of the parameters. */
  paramBytes: number;
  /** The sum of the three. */
  totalBytes: number;
  /** The table as printed. */
  text: string;
  /** The table. */
  toString(): string;
}

const DTYPE = oneOf(['float32', 'float64', 'int32', 'bool'] as const);
const stream: Check<SummaryStream> = (op, key, v) => {
  if (v !== null && typeof v === 'object' && typeof (v as { write?: unknown }).write === 'function') return v as SummaryStream;
  throw new ArgumentTypeError(`${op}: ${key} must be a stream with a write(text) method, got ${describe(v)}`);
};
const SPEC = {
  depth: num({ integer: true, min: 0 }),
  columns: arrayOf(oneOf(['inputShape', 'outputShape', 'numParams', 'trainable'] as const)),
  dtypes: (op: string, key: string, v: unknown) => (Array.isArray(v) ? arrayOf(DTYPE)(op, key, v) : DTYPE(op, key, v)),
  mode: oneOf(['eval', 'train', 'same'] as const),
  print: bool,
  stream,
} as const;

const FORMS =
  'nn.summary(model, [1, 784]), nn.summary(model, [[1, 3], [1, 5]]), nn.summary(model, exampleTensor) or nn.summary(model, [tensorA, tensorB]), each with an options object last';

const isShape = (v: unknown): v is number[] => Array.isArray(v) && v.every((s) => Number.isInteger(s) && (s as number) >= 0);

/** The example inputs: given tensors, or zeros of the given shapes and dtypes. */
function exampleInputs(op: string, inputs: unknown, dtypes: DType | DType[] | undefined): Tensor[] {
  if (inputs instanceof Tensor) return [inputs];
  if (Array.isArray(inputs) && inputs.length > 0 && inputs.every((t) => t instanceof Tensor)) return inputs;
  let shapes: number[][];
  if (isShape(inputs)) shapes = [inputs];
  else if (Array.isArray(inputs) && inputs.length > 0 && inputs.every(isShape)) shapes = inputs;
  else
    throw new ArgumentTypeError(
      `${op}: inputs must be a shape (with the batch dim), an array of shapes, a Tensor or an array of Tensors, got ${describe(inputs)}; accepted forms: ${FORMS}`,
    );
  if (Array.isArray(dtypes) && dtypes.length !== shapes.length) {
    throw new ArgumentTypeError(`${op}: dtypes has ${dtypes.length} entries for ${shapes.length} inputs`);
  }
  return shapes.map((s, i) => zeros(s, { dtype: Array.isArray(dtypes) ? dtypes[i]! : (dtypes ?? 'float32') }));
}

/** Runs `model` once on `inputs`, recording what each module's forward saw; restores everything after. */
function trace(model: Module, inputs: Tensor[], mode: 'eval' | 'train' | 'same'): Map<Module, Traced> {
  const traced = new Map<Module, Traced>();
  const modules = model.modules();
  const modes = modules.map((m) => m.training);
  const wrapped: [Module, PropertyDescriptor | undefined][] = [];
  try {
    if (mode !== 'same') model.train(mode === 'train');
    for (const m of modules) {
      const own = Object.getOwnPropertyDescriptor(m, 'forward');
      // eslint-disable-next-line @typescript-eslint/unbound-method -- the wrapper calls it with the module as `this`
      const forward = m.forward;
      wrapped.push([m, own]);
      Object.defineProperty(m, 'forward', {
        configurable: true,
        writable: true,
        enumerable: false,
        value(this: Module, ...args: unknown[]): unknown {
          const out = (forward as (...a: unknown[]) => unknown).apply(this, args);
          if (!traced.has(m)) {
            const outs = tensorsIn(out);
            traced.set(m, {
              inputs: tensorsIn(args).map((t) => t.shape.slice()),
              outputs: outs.map((t) => t.shape.slice()),
              outputBytes: outs.reduce((s, t) => s + t.numel() * BYTES[t.dtype], 0),
            });
          }
          return out;
        },
      });
    }
    noGrad(() => (model as Module<unknown[], unknown>).call(...inputs));
  } finally {
    for (const [m, own] of wrapped) {
      if (own) Object.defineProperty(m, 'forward', own);
      else delete (m as { forward?: unknown }).forward;
    }
    modules.forEach((m, i) => {
      m.training = modes[i]!;
    });
  }
  return traced;
}

const HEADERS: Record<SummaryColumn, string> = {
  inputShape: 'Input Shape',
  outputShape: 'Output Shape',
  numParams: 'Param #',
  trainable: 'Trainable',
};

function shapes(s: number[][] | null): string {
  if (s === null || s.length === 0) return '--';
  return s.map((x) => `[${x.join(', ')}]`).join(', ');
}

/** The torchinfo-style row label: `├─Linear: 1-1`, `│    └─ReLU: 2-3`. */
function label(layer: SummaryLayer): string {
  if (layer.depth === 0) return layer.type;
  const branch = layer.depth === 1 ? '├─' : `${'│    '.repeat(layer.depth - 1)}└─`;
  return `${branch}${layer.type}: ${layer.index}`;
}

function cellOf(layer: SummaryLayer, column: SummaryColumn): string {
  switch (column) {
    case 'inputShape':
      return shapes(layer.inputShapes);
    case 'outputShape':
      return shapes(layer.outputShapes);
    case 'numParams':
      return layer.numParams === 0 ? '--' : thousands(layer.numParams);
    case 'trainable':
      return layer.trainable;
  }
}

const mb = (bytes: number): string => (bytes / 1e6).toFixed(2);

/** Lays the table out: a name column of 40 and columns of 25 characters (wider when a cell needs it), as torchinfo. */
function render(layers: SummaryLayer[], columns: SummaryColumn[], s: Omit<ModelSummary, 'text' | 'toString' | 'layers'>): string {
  const cells = layers.map((l) => [label(l), ...columns.map((c) => cellOf(l, c))]);
  const head = ['Layer (type:depth-idx)', ...columns.map((c) => HEADERS[c])];
  const widths = head.map((h, i) => Math.max(i === 0 ? 40 : 25, h.length + 1, ...cells.map((r) => r[i]!.length + 1)));
  const row = (r: string[]): string => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('');
  const rule = '='.repeat(widths.reduce((a, b) => a + b, 0));
  return [
    rule,
    row(head),
    rule,
    ...cells.map(row),
    rule,
    `Total params: ${thousands(s.totalParams)}`,
    `Trainable params: ${thousands(s.trainableParams)}`,
    `Non-trainable params: ${thousands(s.nonTrainableParams)}`,
    rule,
    `Input size (MB): ${mb(s.inputBytes)}`,
    `Forward/backward pass size (MB): ${mb(s.forwardBackwardBytes)}`,
    `Params size (MB): ${mb(s.paramBytes)}`,
    `Estimated Total Size (MB): ${mb(s.totalBytes)}`,
    rule,
  ].join('\n');
}

/**
 * A torchinfo-style summary of any module: runs one forward pass (without gradients, in eval mode
 * unless `mode` says otherwise) on `inputs` — shapes including the batch dim, made into zeros of
 * `dtypes`, or example tensors — and reports for each module of the tree down to `depth` its output
 * shape, parameter count and whether those parameters train, then the totals and a memory estimate
 * (inputs, leaf-module outputs counted twice for their gradients, parameters). Prints the table
 * unless `print: false`, and returns it with the numbers.
 * @example
 * ```ts
 * const net = new nn.Sequential(new nn.Linear(784, 10), new nn.ReLU(), new nn.Linear(10, 10));
 * const s = nn.summary(net, [1, 784], { print: false });
 * s.totalParams; // 7960
 * console.log(String(s)); // ├─Linear: 1-1    [1, 10]    7,850    True ...
 * ```
 */
export function summary(
  model: Module,
  inputs: readonly number[] | readonly (readonly number[])[] | Tensor | readonly Tensor[],
  options?: SummaryOptions,
): ModelSummary {
  const op = 'nn.summary';
  checkArity(op, arguments, 3, FORMS);
  if (!(model instanceof Module)) throw new ArgumentTypeError(`${op}: model must be an nn.Module, got ${describe(model)}`);
  if (isPlainObject(inputs)) throw new ArgumentTypeError(`${op}: the inputs come before the options; accepted forms: ${FORMS}`);
  const o = parseOptions(op, options, SPEC, { forms: FORMS });
  const xs = exampleInputs(op, inputs, o.dtypes);
  const traced = trace(model, xs, o.mode ?? 'eval');
  const layers = summaryRows(model, o.depth ?? 3, traced);
  const totals = paramTotals(model);
  let activations = 0;
  for (const m of model.modules()) if (m.namedChildren().length === 0) activations += traced.get(m)?.outputBytes ?? 0;
  const inputBytes = xs.reduce((s, t) => s + t.numel() * BYTES[t.dtype], 0);
  const numbers = {
    totalParams: totals.total,
    trainableParams: totals.trainable,
    nonTrainableParams: totals.total - totals.trainable,
    inputBytes,
    forwardBackwardBytes: 2 * activations,
    paramBytes: totals.bytes,
    totalBytes: inputBytes + 2 * activations + totals.bytes,
  };
  const text = render(layers, o.columns ?? ['outputShape', 'numParams', 'trainable'], numbers);
  if (o.print ?? true) (o.stream ?? process.stdout).write(`${text}\n`);
  return { layers, ...numbers, text, toString: () => text };
}
