/**
 * Checks a model config read from a file before anything is built from it: its structure and
 * size (layer count, plain objects, sample shapes within bounds), and, for the built-in layers, the
 * shapes of the weights it would create against the tensors stored in the same file. A crafted
 * config (`units: 5e7` in a 500-byte file) fails here, before any allocation.
 * @module
 */
import { isPlainObject } from '../autograd/args.js';
import { FormatError } from '../io/format-error.js';
import type { RawTensor } from '../io/raw-tensor.js';
import { describeFileValue, quoteName } from '../io/untrusted.js';

/** Most layers a loaded config may have. */
const MAX_LOADED_LAYERS = 100_000;

/** Deepest JSON nesting accepted in a stored model config. */
export const MAX_CONFIG_DEPTH = 64;

/** Most elements one input sample of a loaded layer may have (a 4096 × 4096 image). */
const MAX_SAMPLE_ELEMENTS = 1 << 24;

/** One layer entry of a config, checked to be `{ className: string, config?: object }`. @internal */
export interface CheckedLayer {
  className: string;
  config: Record<string, unknown>;
}

function fail(message: string, op = 'loadModel'): never {
  throw new FormatError(`${op}: ${message}`);
}

/** The own property `key` of a config, also under its snake_case spelling. */
function option(config: Record<string, unknown>, camel: string, snake: string): unknown {
  if (Object.hasOwn(config, camel)) return config[camel];
  return Object.hasOwn(config, snake) ? config[snake] : undefined;
}

/** The sample shape a layer config declares (`inputShape` or `inputDim`), checked to be within bounds. */
function declaredInput(i: number, config: Record<string, unknown>, op?: string): number[] | null {
  const dim = option(config, 'inputDim', 'input_dim');
  const shape = dim !== undefined ? [dim] : option(config, 'inputShape', 'input_shape');
  if (shape === undefined || shape === null) return null;
  if (!Array.isArray(shape) || shape.length > 32 || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 1)) {
    fail(`layer ${i} declares an input shape ${describeFileValue(shape)}; expected at most 32 positive integers`, op);
  }
  const dims = shape as number[];
  if (dims.reduce((a, b) => a * b, 1) > MAX_SAMPLE_ELEMENTS) {
    fail(`layer ${i} declares input samples of shape ${describeFileValue(dims)}, more than ${MAX_SAMPLE_ELEMENTS} elements each`, op);
  }
  return dims;
}

/**
 * Checks the structure of a Sequential config from a file and returns its layer entries: a plain
 * object `{ className: 'Sequential', layers: [...] }` with at most {@link MAX_LOADED_LAYERS}
 * layers, each `{ className: string, config?: plain object }`, sample shapes within
 * {@link MAX_SAMPLE_ELEMENTS}. Throws a FormatError naming the first problem. @internal
 */
export function checkConfigStructure(config: unknown, op = 'loadModel'): CheckedLayer[] {
  if (
    !isPlainObject(config) ||
    config['className'] !== 'Sequential' ||
    !Object.hasOwn(config, 'layers') ||
    !Array.isArray(config['layers'])
  ) {
    fail(`expected a Sequential model config { className: 'Sequential', layers: [...] }, got ${describeFileValue(config)}`, op);
  }
  const name = config['name'];
  if (name !== undefined && typeof name !== 'string') fail(`the model name must be a string, got ${describeFileValue(name)}`, op);
  const layers = config['layers'] as unknown[];
  if (layers.length > MAX_LOADED_LAYERS)
    fail(`the config has ${layers.length} layers, more than the ${MAX_LOADED_LAYERS} a model may have`, op);
  return layers.map((lc, i) => {
    if (!isPlainObject(lc)) fail(`layer ${i} must be { className, config }, got ${describeFileValue(lc)}`, op);
    const className = Object.hasOwn(lc, 'className') ? lc['className'] : undefined;
    if (typeof className !== 'string' || className === '') fail(`layer ${i} has no class name (got ${describeFileValue(className)})`, op);
    const raw = Object.hasOwn(lc, 'config') ? lc['config'] : undefined;
    if (raw !== undefined && !isPlainObject(raw))
      fail(`the config of layer ${i} (${quoteName(className)}) must be an object, got ${describeFileValue(raw)}`, op);
    const layerConfig = raw ?? {};
    declaredInput(i, layerConfig, op);
    return { className, config: layerConfig };
  });
}

/** The stored tensor `key`, or a FormatError saying the file lacks it. */
function stored(tensors: Record<string, RawTensor>, key: string, what: string): RawTensor {
  if (!Object.hasOwn(tensors, key)) fail(`${what}, but the file holds no tensor ${quoteName(key)}`);
  return tensors[key]!;
}

function sameDims(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Checks the built-in layers of a config (`builtIn(i)` says whether layer `i` is rebuilt by the
 * built-in factory) against the tensors of the file, before anything is built: a Dense layer's
 * `units`, `useBias` and input size must match its stored `kernel` and `bias`, following the
 * sample shape from layer to layer (Dense, Activation, Dropout, Flatten); after a custom layer the
 * input size is no longer known and only `units` is checked. @internal
 */
export function checkConfigAgainstTensors(
  layers: readonly CheckedLayer[],
  builtIn: (i: number) => boolean,
  tensors: Record<string, RawTensor>,
): void {
  let sample: number[] | null = null;
  layers.forEach(({ className, config }, i) => {
    const declared = declaredInput(i, config);
    if (declared !== null) sample = declared; // a layer that declares its input shape is built with it
    if (!builtIn(i)) {
      sample = null;
      return;
    }
    if (className === 'Flatten') {
      sample = sample === null ? null : [sample.reduce((a, b) => a * b, 1)];
    } else if (className === 'Dense') {
      const units = option(config, 'units', 'units');
      if (!Number.isSafeInteger(units) || (units as number) < 1)
        fail(`layer ${i} (Dense) has units ${describeFileValue(units)}; expected a positive integer`);
      const what = `layer ${i} is a Dense layer of ${units as number} units`;
      const kernel = stored(tensors, `${i}.kernel`, what);
      if (kernel.shape.length !== 2 || kernel.shape[1] !== units)
        fail(`${what}, but its stored kernel has shape ${describeFileValue(kernel.shape)}`);
      const inDim = kernel.shape[0]!;
      if (sample !== null && sample[sample.length - 1] !== inDim) {
        fail(`${what} on inputs of shape ${describeFileValue(sample)}, but its stored kernel has shape ${describeFileValue(kernel.shape)}`);
      }
      const useBias = option(config, 'useBias', 'use_bias') !== false;
      if (useBias && !sameDims(stored(tensors, `${i}.bias`, `${what} with a bias`).shape, [units as number])) {
        fail(`${what}, but its stored bias has shape ${describeFileValue(tensors[`${i}.bias`]!.shape)}`);
      }
      sample = sample === null ? null : [...sample.slice(0, -1), units as number];
    } else if (className !== 'Activation' && className !== 'Dropout') {
      // Other built-in layers (Conv2D, LSTM, Embedding, ...): the sample shape is not followed, but
      // every size that decides how much a layer allocates must be a dim of one of its stored tensors.
      sample = null;
      checkSizesStored(i, className, config, tensors);
    }
  });
}

/** The options whose value is a size of a built-in layer's parameters. */
const SIZE_OPTIONS: readonly (readonly [string, string])[] = [
  ['units', 'units'],
  ['filters', 'filters'],
  ['inputDim', 'input_dim'],
  ['outputDim', 'output_dim'],
];

function checkSizesStored(i: number, className: string, config: Record<string, unknown>, tensors: Record<string, RawTensor>): void {
  const dims = new Set<number>();
  for (const key of Object.keys(tensors)) if (key.startsWith(`${i}.`)) for (const d of tensors[key]!.shape) dims.add(d);
  for (const [camel, snake] of SIZE_OPTIONS) {
    const v = option(config, camel, snake);
    if (v === undefined) continue;
    if (!Number.isSafeInteger(v) || (v as number) < 1)
      fail(`layer ${i} (${quoteName(className)}) has ${camel} ${describeFileValue(v)}; expected a positive integer`);
    if (!dims.has(v as number))
      fail(`layer ${i} (${quoteName(className)}) has ${camel} ${v as number}, which no stored tensor of the layer has as a dim`);
  }
}
