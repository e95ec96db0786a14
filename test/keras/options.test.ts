// Options of the keras API: snake_case spellings honoured, Keras' positional forms, unknown keys and
// wrong types rejected with typed errors, explicit class names that survive class renaming.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ArgumentTypeError, ValueError, keras, tensor, zeros } from '../../src/index.js';
import { monitorSuggestion } from '../../src/keras/callbacks-monitor.js';
import { CaptureStream } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'tapegrad-keras-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('snake_case spellings are the same options', () => {
  it('Dense honours input_dim, use_bias, kernel_initializer and bias_initializer', () => {
    const d = new keras.Dense({ units: 8, input_dim: 4, use_bias: false, kernel_initializer: 'ones' } as never);
    expect(d.inputShape).toEqual([4]);
    expect(d.built).toBe(true);
    expect(d.bias).toBeNull();
    expect(d.parameters().length).toBe(1);
    expect(d.call(tensor([[1, 1, 1, 1]])).toArray()).toEqual([[4, 4, 4, 4, 4, 4, 4, 4]]);
    const b = new keras.Dense(2, { input_shape: [3], bias_initializer: 'ones' } as never);
    expect(b.bias!.toArray()).toEqual([1, 1]);
  });

  it('a key given in both spellings is an error, a typo gets a suggestion', () => {
    expect(() => new keras.Dense({ units: 2, inputDim: 3, input_dim: 3 } as never)).toThrow(
      /option 'inputDim' given twice, as 'input_dim' and 'inputDim'/,
    );
    expect(() => new keras.Dense({ units: 2, bais: false } as never)).toThrow(/unknown option 'bais'/);
    expect(() => new keras.Dense({ units: 2, useBais: false } as never)).toThrow(/did you mean 'useBias'/);
    expect(() => new keras.Dense({ units: 2, kernel_regularizer: 'l2' } as never)).toThrow(ValueError);
  });

  it('fit reads batch_size, validation_split and initial_epoch', async () => {
    const model = new keras.Sequential([new keras.Dense(1, { inputDim: 2 })]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    let seen: keras.TrainingParams | null = null;
    const cb = new (class extends keras.Callback {
      override onTrainBegin(): void {
        seen = this.params;
      }
    })();
    const h = await model.fit(zeros([10, 2]), zeros([10, 1]), {
      batch_size: 4,
      validation_split: 0.2,
      initial_epoch: 1,
      epochs: 2,
      verbose: 0,
      callbacks: [cb],
    } as never);
    expect(seen).toMatchObject({ batchSize: 4, samples: 8, steps: 2 });
    expect(h.epoch).toEqual([1]);
    expect(Object.keys(h.history).sort()).toEqual(['loss', 'val_loss']);
  });

  it('callbacks read Keras spellings: restore_best_weights, min_lr, save_best_only, on_epoch_end', () => {
    expect(() => new keras.EarlyStopping({ restore_best_weights: true, min_delta: 0.1, start_from_epoch: 2 } as never)).not.toThrow();
    expect(() => new keras.ReduceLROnPlateau({ min_lr: 1e-5, factor: 0.5 } as never)).not.toThrow();
    const ckpt = new keras.ModelCheckpoint(join(dir, 'm.safetensors'), { save_best_only: true, monitor: 'loss' } as never);
    expect(ckpt.filepath).toBe(join(dir, 'm.safetensors'));
    let called = 0;
    const lambda = new keras.LambdaCallback({ on_epoch_end: () => void called++ } as never);
    void lambda.onEpochEnd!(0, {});
    expect(called).toBe(1);
    expect(() => new keras.LambdaCallback({ onEpochEnded: () => 0 } as never)).toThrow(
      /unknown option 'onEpochEnded'.*did you mean 'onEpochEnd'/,
    );
    expect(() => new keras.EarlyStopping({ patience: 2, verbos: 1 } as never)).toThrow(/unknown option 'verbos': did you mean 'verbose'/);
  });
});

describe("Keras' positional forms", () => {
  it('Dense(units, options), Dropout(rate, options), Activation(name, options), ModelCheckpoint(path, options)', () => {
    const d = new keras.Dense(8, { activation: 'relu', inputDim: 4 });
    expect([d.units, d.inputShape]).toEqual([8, [4]]);
    expect(new keras.Dropout(0.3, { seed: 1 }).seed).toBe(1);
    expect(new keras.Activation('tanh', { name: 'act' }).name).toBe('act');
    expect(() => new keras.Dense(8, { units: 4 } as never)).toThrow(/units given twice/);
    expect(() => new keras.Dense(8, 'relu' as never)).toThrow(ArgumentTypeError);
    expect(() => new keras.Dense({ activation: 'relu' } as never)).toThrow(/units is required/);
    expect(() => Reflect.construct(keras.Dropout, [0.2, { seed: 1 }, {}])).toThrow(/too many arguments/);
    expect(() => new keras.Flatten('channels_last' as never)).toThrow(ArgumentTypeError);
  });
});

describe('explicit class names', () => {
  it('save, load and summary do not depend on JS class names (bundlers rename classes)', () => {
    const renamed = [keras.Sequential, keras.Dense, keras.Flatten, keras.Dropout] as unknown as { name: string }[];
    const before = renamed.map((c) => Object.getOwnPropertyDescriptor(c, 'name')!);
    renamed.forEach((c) => Object.defineProperty(c, 'name', { value: `${c.name}2`, configurable: true }));
    try {
      const model = new keras.Sequential([new keras.Flatten({ inputShape: [2, 2] }), new keras.Dropout(0.1), new keras.Dense(3)]);
      expect(model.layers.map((l) => l.name)).toEqual(['flatten', 'dropout', 'dense']);
      const text = model.summary({ print: false });
      expect(text).toContain('flatten (Flatten)');
      expect(text).not.toMatch(/Flatten2|Dense2|Sequential2/);
      expect(String(model).startsWith('Sequential(')).toBe(true);
      const path = join(dir, 'renamed.safetensors');
      model.save(path);
      const back = keras.loadModel(path);
      expect(back.getConfig().layers.map((l) => l.className)).toEqual(['Flatten', 'Dropout', 'Dense']);
    } finally {
      renamed.forEach((c, i) => Object.defineProperty(c, 'name', before[i]!));
    }
  });

  it('a custom layer may state its own className; otherwise its JS name is used', () => {
    class Doubler extends keras.Layer {
      static override className = 'Double';
      forward(x: ReturnType<typeof tensor>) {
        return x.mul(2);
      }
    }
    class Plain extends keras.Layer {
      forward(x: ReturnType<typeof tensor>) {
        return x;
      }
    }
    expect(new Doubler().moduleName()).toBe('Double');
    expect(new Plain().moduleName()).toBe('Plain');
  });
});

describe('saving compile options with options', () => {
  it('a fromLogits loss and an optimizer object survive save and load', () => {
    const model = new keras.Sequential([new keras.Dense(3, { inputDim: 2 })]);
    model.compile({
      optimizer: keras.optimizers.Adam({ learning_rate: 0.05 } as never),
      loss: keras.losses.SparseCategoricalCrossentropy({ fromLogits: true }),
    });
    const path = join(dir, 'logits.safetensors');
    model.save(path);
    const back = keras.loadModel(path);
    expect(back.getConfig().compile).toEqual({
      optimizer: { name: 'adam', learning_rate: 0.05 },
      loss: { name: 'sparseCategoricalCrossentropy', fromLogits: true },
      metrics: [],
    });
    expect((back.optimizer!.paramGroups[0] as { lr: number }).lr).toBe(0.05);
    const x = tensor([[1, 2]]);
    const y = tensor([2], { dtype: 'int32' });
    expect(back.evaluate(x, y)).toEqual(model.evaluate(x, y));
  });
});

describe('messages', () => {
  it('unknown names: "known losses" (not "losss"), with a suggestion', () => {
    expect(() => keras.lossName('categorical_crossentropyy')).toThrow(/did you mean 'categoricalCrossentropy'.*known losses:/);
    expect(() => keras.lossName('hinge')).toThrow(/known losses: categoricalCrossentropy/);
    expect(() => keras.lossName(42 as never)).toThrow(ArgumentTypeError);
  });

  it("EarlyStopping's warning for monitor 'val_acc' suggests 'val_accuracy'", async () => {
    expect(monitorSuggestion('val_acc', ['loss', 'accuracy', 'val_loss', 'val_accuracy'])).toBe('val_accuracy');
    expect(monitorSuggestion('acc', ['loss', 'accuracy'])).toBe('accuracy');
    expect(monitorSuggestion('val_accuracy', ['loss', 'acc', 'val_loss', 'val_acc'])).toBe('val_acc');
    const model = new keras.Sequential([new keras.Dense(2, { activation: 'softmax', inputDim: 2 })]);
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.message);
    process.on('warning', onWarning);
    const x = tensor([
      [0, 1],
      [1, 0],
    ]);
    const y = tensor([0, 1], { dtype: 'int32' });
    await model.fit(x, y, { epochs: 1, verbose: 0, validationData: [x, y], callbacks: [new keras.EarlyStopping({ monitor: 'val_acc' })] });
    await new Promise((r) => setTimeout(r, 10));
    process.off('warning', onWarning);
    expect(warnings.some((w) => /'val_acc' is not in the logs.*did you mean 'val_accuracy'\?/.test(w))).toBe(true);
  });

  it('summary takes printFn (Keras print_fn), one call per line', () => {
    const model = new keras.Sequential([new keras.Dense(2, { inputDim: 3 })]);
    const lines: string[] = [];
    const text = model.summary({ print_fn: (l: string) => lines.push(l) } as never);
    expect(lines.join('\n')).toBe(text);
    expect(() => model.summary({ printFn: () => 0, stream: new CaptureStream() })).toThrow(/stream or printFn, not both/);
    expect(() => model.summary({ lineLength: 80 } as never)).toThrow(/unknown option 'lineLength'/);
  });

  it('trainable: false freezes a layer', () => {
    const model = new keras.Sequential([new keras.Dense(2, { inputDim: 3, trainable: false }), new keras.Dense(1)]);
    expect(model.summary({ print: false })).toMatch(/Trainable params: 3\nNon-trainable params: 8/);
    expect(model.getConfig().layers[0]!.config['trainable']).toBe(false);
  });
});

describe('Keras data forms', () => {
  it('fit, evaluate and predict take nested arrays like Keras takes lists; build takes [null, ...dims]', async () => {
    const model = new keras.Sequential([new keras.Dense(1, { useBias: false, kernelInitializer: 'ones' })]);
    model.build([null, 2]);
    expect(model.inputShape).toEqual([2]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    // pred = x1 + x2: 3 and 7 against targets 0 → mse (9 + 49) / 2 = 29.
    expect(
      model.evaluate(
        [
          [1, 2],
          [3, 4],
        ] as never,
        [[0], [0]] as never,
      )['loss'],
    ).toBeCloseTo(29, 5);
    expect(model.predict([[1, 2]] as never).toArray()).toEqual([[3]]);
    await expect(model.fit('x' as never, [[0]] as never)).rejects.toThrow(/x must be a Tensor or an array of numbers, got 'x'/);
    expect(() => model.build([0, 2])).toThrow(/sample dims must be positive integers/);
  });
});
