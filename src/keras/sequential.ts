/**
 * The Keras-style `Sequential` model: `add` layers, `compile`, `fit`, `evaluate`, `predict`,
 * `summary`, `save`. It is an `nn.Sequential`, so it also trains in a PyTorch-style loop.
 * @module
 */
import { any, checkArity, isPlainObject, parseOptions, str } from '../autograd/args.js';
import { ArgumentTypeError, ShapeError, TapegradError, ValueError, fmtShape } from '../autograd/errors.js';
import { sameShape } from '../autograd/shape.js';
import type { NestedArray, Tensor } from '../autograd/tensor.js';
import { Sequential as NNSequential } from '../nn/containers.js';
import { Module } from '../nn/module.js';
import { Optimizer } from '../optim/index.js';
import { zeros } from '../autograd/ops/creation.js';
import { exportModelAs, type ExportOptions } from '../onnx/export.js';
import type { History } from './callbacks.js';
import { Layer, ModuleLayer } from './layer-base.js';
import { checkLossSpec, type Loss, type LossFunction, type LossSpec } from './losses.js';
import { checkMetrics, type MetricSpec } from './metrics.js';
import { KERAS_KEYS, describeValue, snakeCase } from './names.js';
import { checkOptimizerSpec, makeOptimizer, type OptimizerSpec } from './optimizers.js';
import type { OutputStream } from './progress.js';
import { modelConfig, saveModel, type ModelConfig, type SaveOptions } from './saving.js';
import { summarize, type SummaryOptions } from './summary.js';
import { asTensor, type DataSource } from './batches.js';
import { evaluateModel, predictModel, type EvaluateOptions, type PredictOptions } from './evaluation.js';
import { fitModel, type FitOptions } from './training.js';
import { testOnBatch, trainOnBatch, type BatchResult, type TestOnBatchOptions, type TrainOnBatchOptions } from './batch-steps.js';
import { InputLayer } from './layers-shape.js';
import { readWeights, slotsOf, writeWeights } from './weights.js';

/** Options of {@link Sequential.compile}. */
export interface CompileOptions {
  /**
   * A name (`adam`, `sgd`, ...), `{ name, learningRate, ... }`, a `keras.optimizers.*` object, or an
   * `optim.Optimizer` built on this model's parameters (default `rmsprop`, as Keras).
   */
  optimizer?: OptimizerSpec;
  /**
   * A loss name (`categoricalCrossentropy` or `categorical_crossentropy`, `mse`, ...), a
   * `keras.losses.*` object (for `fromLogits`), `{ name, fromLogits }`, or a function `(yTrue, yPred) => Tensor`.
   */
  loss: LossSpec;
  /** Metrics to report: `accuracy`, `mae`, `mse`, or functions `(yTrue, yPred) => Tensor` (default none). */
  metrics?: MetricSpec[];
}

/** What `compile` recorded. @internal */
export interface Compiled {
  optimizer: OptimizerSpec;
  loss: Loss | LossFunction;
  metrics: MetricSpec[];
}

const COMPILE_SPEC = { optimizer: any, loss: any, metrics: any };

/**
 * A stack of layers, each feeding the next, trained with the Keras workflow.
 * @example
 * ```ts
 * const model = new keras.Sequential();
 * model.add(new keras.Dense({ units: 10, activation: 'relu', inputDim: 784 }));
 * model.add(new keras.Dense({ units: 10, activation: 'softmax' }));
 * model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
 * const history = await model.fit(xTrain, yTrain, { epochs: 10, batchSize: 32 });
 * ```
 */
export class Sequential extends NNSequential {
  /** The model's name in `summary()`. */
  name: string;
  /** Set it to true (e.g. from a callback) to stop `fit` after the current batch. */
  stopTraining = false;
  /** @internal */ _compiled: Compiled | null = null;
  /** @internal */ _optimizer: Optimizer | null = null;
  /** @internal */ _stream: OutputStream | null = null;
  /** @internal */ _outShapes: number[][] = [];
  /** Each layer name given out by {@link Sequential.add}, to the layer it was given to. */
  private readonly _layerNames = new Map<string, Layer>();
  /** The next numeric suffix to try for each generated base name (`dense` → 3 after `dense_2`). */
  private readonly _nextSuffix = new Map<string, number>();
  /** The sample shape declared by a leading `keras.Input`, until the first layer takes it. @internal */
  _declaredInput: number[] | null = null;

  /** Creates a model, optionally from a list of layers (nn.Modules are wrapped in {@link ModuleLayer}) and a `name`. */
  constructor(layers: readonly (Layer | Module)[] = [], options: { name?: string } = {}) {
    super();
    const forms = "new Sequential([layers], { name: 'model' })";
    checkArity('Sequential', arguments, 2, forms);
    if (!Array.isArray(layers))
      throw new ArgumentTypeError(`Sequential: expected an array of layers, got ${describeValue(layers)}; accepted forms: ${forms}`);
    const o = parseOptions('Sequential', options, { name: str }, { ...KERAS_KEYS, forms });
    this.name = o.name ?? 'sequential';
    for (const l of layers as readonly (Layer | Module)[]) this.add(l);
  }

  /** `Sequential` (stated, so bundlers that rename classes do not change summaries and saved files). */
  override moduleName(): string {
    return 'Sequential';
  }

  /** The layers, in order. */
  get layers(): Layer[] {
    return [...this] as Layer[];
  }

  /** The shape of one input sample, or null before the model is built. */
  get inputShape(): number[] | null {
    const first = this.layers[0];
    return first?.inputShape?.slice() ?? null;
  }

  /** The shape of one output sample, or null before the model is built. */
  get outputShape(): number[] | null {
    return this._outShapes.length === this.length && this.length > 0 ? this._outShapes[this.length - 1]!.slice() : null;
  }

  /** True once every layer knows its input shape. */
  get built(): boolean {
    return this.length > 0 && this._outShapes.length === this.length;
  }

  /** The optimizer (created from its name at `compile` or at the first `fit`), or null. */
  get optimizer(): Optimizer | null {
    return this._optimizer;
  }

  /**
   * Appends a layer (an `nn.Module` is wrapped in a {@link ModuleLayer}), names it (`dense`,
   * `dense_1`, ...) and builds it from the previous layer's output shape when that is known.
   */
  override add(layer: Layer | Module, name?: string): this {
    if (layer instanceof InputLayer) {
      if (this.length > 0 || this._declaredInput !== null)
        throw new ValueError(`Sequential.add: an Input (InputLayer) must come first, before any other layer`);
      this._declaredInput = layer.inputShape!.slice();
      return this;
    }
    let l: Layer;
    if (layer instanceof Layer) l = layer;
    else if (layer instanceof Module) l = new ModuleLayer(layer);
    else throw new ArgumentTypeError(`Sequential.add: expected a keras Layer or an nn.Module, got ${describeValue(layer)}`);
    if (l.name === '') {
      const base = snakeCase(l instanceof ModuleLayer ? l.module.moduleName() : l.moduleName());
      let candidate = base;
      let i = this._nextSuffix.get(base) ?? 1;
      while (this._nameTaken(candidate)) candidate = `${base}_${i++}`;
      if (candidate !== base) this._nextSuffix.set(base, i);
      l.name = candidate;
    } else if (this._nameTaken(l.name)) {
      throw new ValueError(`Sequential.add: a layer named ${describeValue(l.name)} is already in the model; layer names must be unique`);
    }
    if (this.length === 0 && this._declaredInput !== null) {
      const declared = this._declaredInput;
      if (l.inputShape !== null && !sameShape(l.inputShape, declared)) {
        throw new ShapeError(
          `Sequential.add: layer '${l.name}' declares inputShape [${l.inputShape.join(', ')}], but the model's Input has shape [${declared.join(', ')}]`,
        );
      }
      if (l.inputShape === null) l.inputShape = declared.slice();
    }
    if (this.length > 0 && this._outShapes.length === this.length) this._buildLayer(l, this._outShapes[this.length - 1]!, this.length);
    else if (this.length === 0 && l.inputShape !== null) this._buildLayer(l, l.inputShape, 0);
    super.add(l, name);
    this._layerNames.set(l.name, l);
    return this;
  }

  /**
   * Whether a layer of the model has `name`, in constant time: the layer that was given `name`
   * when added still has it (a layer renamed since then frees its old name).
   */
  private _nameTaken(name: string): boolean {
    const holder = this._layerNames.get(name);
    return holder !== undefined && holder.name === name;
  }

  /** Builds layer `index` for `inShape` and records its output shape. */
  private _buildLayer(l: Layer, inShape: readonly number[], index: number): void {
    if (!l.built) l.build(inShape);
    else if (l.inputShape !== null && !sameShape(l.inputShape, inShape)) {
      const from = index === 0 ? 'the model input' : `layer '${this.layers[index - 1]!.name}'`;
      throw new ShapeError(
        `Sequential: layer '${l.name}' (${l.moduleName()}) expects inputs of shape [batch, ${l.inputShape.join(', ')}], but ${from} gives [batch, ${inShape.join(', ')}]`,
      );
    }
    if (l.inputShape === null) l.inputShape = inShape.slice();
    this._outShapes[index] = l.computeOutputShape(inShape);
  }

  /** Builds every layer for input samples of `inputShape` (fit, evaluate and predict call it for you). */
  build(inputShape: readonly number[] | readonly [null, ...number[]]): void {
    const op = 'Sequential.build';
    const forms = 'build([784]) (one sample) or build([null, 784]) (Keras: batch dim None)';
    checkArity(op, arguments, 1, forms);
    if (!Array.isArray(inputShape))
      throw new ArgumentTypeError(`${op}: expected a shape, got ${describeValue(inputShape)}; accepted forms: ${forms}`);
    const sample = (inputShape[0] === null ? inputShape.slice(1) : inputShape.slice()) as unknown[];
    if (sample.some((d) => !Number.isInteger(d) || (d as number) < 1))
      throw new ValueError(`${op}: the sample dims must be positive integers, got ${describeValue(inputShape)}; accepted forms: ${forms}`);
    if (this.length === 0) throw new ValueError('Sequential.build: the model has no layers; add some with model.add(...)');
    let shape = sample as number[];
    this.layers.forEach((l, i) => {
      if (i >= this._outShapes.length) this._buildLayer(l, shape, i);
      shape = this._outShapes[i]!;
    });
  }

  /** Builds the model for `x` if needed and checks `x`'s sample shape. @internal */
  _checkInput(op: string, x: unknown, what = 'x'): Tensor {
    const t = asTensor(op, what, x);
    if (t.ndim < 1) throw new ShapeError(`${op}: ${what} must have a batch dim, got a 0-d tensor`);
    if (this.length === 0) throw new ValueError(`${op}: the model has no layers; add some with model.add(...)`);
    if (!this.built) this.build(t.shape.slice(1));
    const want = this.inputShape!;
    if (!sameShape(t.shape.slice(1), want)) {
      throw new ShapeError(
        `${op}: the model expects ${what} of shape [batch, ${want.join(', ')}] (first layer '${this.layers[0]!.name}'), got ${what} of shape ${fmtShape(t.shape)}`,
      );
    }
    return t;
  }

  /** Chooses the optimizer, the loss and the metrics. Call it before `fit` and `evaluate`. */
  compile(options: CompileOptions): void {
    const op = 'Sequential.compile';
    const forms = "compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] })";
    checkArity(op, arguments, 1, forms);
    if (isPlainObject(options)) {
      const stray = Object.keys(options).find((k) => k === 'fromLogits' || k === 'from_logits');
      if (stray !== undefined) {
        throw new ValueError(
          `${op}: '${stray}' is an option of the loss, not of compile: use loss: keras.losses.SparseCategoricalCrossentropy({ fromLogits: true }) (or CategoricalCrossentropy, BinaryCrossentropy), or loss: { name, fromLogits: true }`,
        );
      }
    }
    const o = parseOptions(op, options, COMPILE_SPEC, { ...KERAS_KEYS, forms });
    if (o.loss === undefined) throw new ValueError(`${op}: loss is required; accepted forms: ${forms}`);
    const optimizer = checkOptimizerSpec(op, o.optimizer ?? 'rmsprop');
    const loss = checkLossSpec(op, o.loss);
    const metrics = (o.metrics ?? []) as MetricSpec[];
    checkMetrics(metrics);
    if (optimizer instanceof Optimizer) this._checkOwnOptimizer(op, optimizer);
    this._compiled = { optimizer, loss, metrics: metrics.slice() };
    this._optimizer = optimizer instanceof Optimizer ? optimizer : null;
    if (this._optimizer === null && this.built) this._ensureOptimizer();
  }

  /** An optim instance must update this model's parameters (else fit would train nothing). */
  private _checkOwnOptimizer(op: string, optimizer: Optimizer): void {
    const own = new Set<unknown>(this.parameters());
    const params = optimizer.paramGroups.flatMap((g) => [...(g as { params: Iterable<unknown> }).params]);
    const foreign = params.filter((p) => !own.has(p)).length;
    if (foreign > 0) {
      throw new ValueError(
        `${op}: the optimizer updates ${foreign} parameter${foreign === 1 ? '' : 's'} that ${foreign === 1 ? 'is' : 'are'} not this model's; build the model first (give the first layer inputDim/inputShape) and pass model.parameters() to the optimizer, or give the optimizer by name`,
      );
    }
  }

  /** The compile options, or an error saying to call compile. @internal */
  _requireCompiled(op: string): Compiled {
    if (this._compiled === null)
      throw new TapegradError(`${op}: the model is not compiled; call model.compile({ optimizer, loss, metrics }) first`);
    return this._compiled;
  }

  /** Creates the named optimizer on the model's parameters when it does not exist yet. @internal */
  _ensureOptimizer(): Optimizer {
    if (this._optimizer !== null) return this._optimizer;
    const spec = this._requireCompiled('Sequential.fit').optimizer;
    const params = this.parameters().filter((p) => p.requiresGrad);
    if (params.length === 0) throw new ValueError(`Sequential.fit: the model has no trainable parameters`);
    this._optimizer = makeOptimizer(spec as Exclude<OptimizerSpec, Optimizer>, params);
    return this._optimizer;
  }

  /** Writes a message to the progress stream of the running `fit` (nothing when verbose is 0). @internal */
  _log(text: string): void {
    this._stream?.write(text);
  }

  /**
   * Trains the model for `epochs` passes over `x`/`y` in batches (or over the `[x, y]` batches of a
   * `data.Dataset`/`DataLoader`: `fit(loader, options)`); returns the {@link History}.
   * Progress goes to `stream` (default stdout): a bar on a TTY, one line per epoch otherwise.
   */
  fit(x: Tensor, y: Tensor, options?: FitOptions): Promise<History>;
  fit(data: DataSource, options?: FitOptions): Promise<History>;
  fit(x: Tensor | DataSource, y?: Tensor | FitOptions, options?: FitOptions): Promise<History> {
    checkArity('Sequential.fit', arguments, 3, 'fit(x, y, options) or fit(datasetOrLoader, options)');
    return fitModel(this, x, y, options);
  }

  /**
   * The mean loss and metrics over `x`/`y` (or the batches of a Dataset/DataLoader): `{ loss, accuracy, ... }`,
   * computed without gradients in evaluation mode.
   */
  evaluate(x: Tensor, y: Tensor, options?: EvaluateOptions): Record<string, number>;
  evaluate(data: DataSource, options?: EvaluateOptions): Record<string, number>;
  evaluate(x: Tensor | DataSource, y?: Tensor | EvaluateOptions, options?: EvaluateOptions): Record<string, number> {
    checkArity('Sequential.evaluate', arguments, 3, 'evaluate(x, y, options) or evaluate(datasetOrLoader, options)');
    return evaluateModel(this, x, y, options);
  }

  /** The model's outputs for `x` (or a Dataset/DataLoader's inputs), computed in batches without gradients in evaluation mode. */
  predict(x: Tensor | DataSource, options: PredictOptions = {}): Tensor {
    checkArity('Sequential.predict', arguments, 2, 'predict(x, { batchSize, verbose })');
    return predictModel(this, x, options);
  }

  /**
   * Runs one optimizer step on the batch `x`/`y` and returns its loss, or `[loss, ...metrics]` when
   * the model was compiled with metrics (`{ returnDict: true }`: `{ loss, ...metrics }`). The
   * metrics are this batch's values (Keras 2's `reset_metrics: true`).
   */
  trainOnBatch(x: Tensor, y: Tensor, options: TrainOnBatchOptions = {}): BatchResult {
    checkArity('Sequential.trainOnBatch', arguments, 3, 'trainOnBatch(x, y, { sampleWeight, classWeight, returnDict })');
    return trainOnBatch(this, x, y, options);
  }

  /** The loss (and metrics, as {@link Sequential.trainOnBatch} returns them) of the batch `x`/`y`, in evaluation mode without gradients. */
  testOnBatch(x: Tensor, y: Tensor, options: TestOnBatchOptions = {}): BatchResult {
    checkArity('Sequential.testOnBatch', arguments, 3, 'testOnBatch(x, y, { sampleWeight, returnDict })');
    return testOnBatch(this, x, y, options);
  }

  /**
   * Copies of the weights, layer by layer in Keras' order and layouts: Dense `[kernel [in, units], bias]`,
   * Conv2D `[kernel [kh, kw, in, filters], bias]`, BatchNormalization `[gamma, beta, moving_mean,
   * moving_variance]`, LSTM/GRU `[kernel, recurrent_kernel, bias]` (see docs/keras.md).
   */
  getWeights(): Tensor[] {
    checkArity('Sequential.getWeights', arguments, 0, 'getWeights()');
    return readWeights(this.layers.flatMap((l) => slotsOf(l)));
  }

  /** Sets every weight from a list shaped like {@link Sequential.getWeights}'s (count and shapes are checked before anything changes). */
  setWeights(weights: readonly (Tensor | NestedArray)[]): void {
    checkArity('Sequential.setWeights', arguments, 1, 'setWeights(weights)');
    writeWeights(
      'Sequential.setWeights',
      this.layers.flatMap((l) => slotsOf(l)),
      weights,
    );
  }

  /** A table of the layers, their output shapes and parameter counts; printed (unless `print: false`) and returned. */
  summary(options: SummaryOptions = {}): string {
    checkArity('Sequential.summary', arguments, 1, 'summary({ print, stream, printFn })');
    return summarize(this, options);
  }

  /** The model as JSON: its layers' configs and, when given by name, the compile options. */
  getConfig(): ModelConfig {
    return modelConfig(this);
  }

  /**
   * Saves weights and config to a safetensors file (atomically); `keras.loadModel(path)` rebuilds the
   * model. `{ includeOptimizer: true }` saves the optimizer's state too, so training resumes exactly.
   */
  save(path: string, options: SaveOptions = {}): void {
    checkArity('Sequential.save', arguments, 2, 'model.save(path, { includeOptimizer })');
    saveModel(this, path, options);
  }

  /**
   * Writes the model as an ONNX file for ONNX Runtime (see `onnx.exportModel`), traced on a batch
   * of 3 zeros of the built input shape; the batch dim is dynamic unless `dynamicBatch: false`.
   */
  export(path: string, options: ExportOptions = {}): void {
    checkArity('Sequential.export', arguments, 2, 'model.export(path, { dynamicBatch, inputNames, outputNames })');
    const shape = this.inputShape;
    if (shape === null)
      throw new ValueError(
        'Sequential.export: the model is not built yet; give the first layer an inputShape/inputDim, or call build(inputShape), fit or predict first',
      );
    exportModelAs('Sequential.export', this, zeros([3, ...shape]), path, options, true);
  }
}
