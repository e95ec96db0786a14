import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ValueError, keras, nn, tensor, type Tensor } from '../../src/index.js';
import { CaptureStream, blobs } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'tapegrad-callbacks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A one-weight model y = w·x (w starts at 1) trained with SGD on mse: 4 samples, batch 2. */
function tiny(lr = 0.01): { model: keras.Sequential; x: Tensor; y: Tensor } {
  const model = new keras.Sequential([new keras.Dense({ units: 1, inputDim: 1, useBias: false, kernelInitializer: 'ones' })]);
  model.compile({ optimizer: { name: 'sgd', lr }, loss: 'mse' });
  return { model, x: tensor([[1], [1], [1], [1]]), y: tensor([[0], [0], [0], [0]]) };
}

/** A callback that replaces a logged value by a scripted one at each epoch end (it runs first). */
function script(key: string, values: number[]): keras.CallbackHooks {
  return { onEpochEnd: (epoch, logs) => void (logs[key] = values[epoch]!) };
}

function weights(model: keras.Sequential): number[] {
  return [...(model.layers[0] as keras.Dense).kernel!.dataSync()];
}

describe('EarlyStopping', () => {
  it('stops after `patience` epochs without improvement (Keras counting)', async () => {
    const { model, x, y } = tiny();
    const stop = new keras.EarlyStopping({ monitor: 'loss', patience: 2 });
    // best 0.5 at epoch 1; epochs 2 and 3 do not improve → stop at the end of epoch 3.
    const h = await model.fit(x, y, {
      epochs: 10,
      verbose: 0,
      callbacks: [script('loss', [1, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1, 1, 1]), stop],
    });
    expect(h.epoch).toEqual([0, 1, 2, 3]);
    expect(stop.stoppedEpoch).toBe(3);
    expect(stop.best).toBe(0.5);
    expect(stop.bestEpoch).toBe(1);
  });

  it('patience 0 stops at the first epoch without improvement; minDelta raises the bar', async () => {
    const a = tiny();
    const h1 = await a.model.fit(a.x, a.y, {
      epochs: 10,
      verbose: 0,
      callbacks: [script('loss', [3, 2, 1, 1.5, 1]), new keras.EarlyStopping({ monitor: 'loss' })],
    });
    expect(h1.epoch).toEqual([0, 1, 2, 3]);
    const b = tiny();
    // Improvements of 0.05 and 0.03 are below minDelta 0.1: no improvement at epoch 1 → stop.
    const h2 = await b.model.fit(b.x, b.y, {
      epochs: 10,
      verbose: 0,
      callbacks: [script('loss', [1, 0.95, 0.92, 0.5]), new keras.EarlyStopping({ monitor: 'loss', minDelta: 0.1 })],
    });
    expect(h2.epoch).toEqual([0, 1]);
  });

  it('mode auto maximises accuracy-like keys', async () => {
    const { model, x, y } = tiny();
    const h = await model.fit(x, y, {
      epochs: 10,
      verbose: 0,
      callbacks: [script('val_accuracy', [0.5, 0.6, 0.7, 0.65, 0.6]), new keras.EarlyStopping({ monitor: 'val_accuracy', patience: 1 })],
    });
    expect(h.epoch).toEqual([0, 1, 2, 3]);
  });

  it('restoreBestWeights puts back the weights of the best epoch', async () => {
    const { model, x, y } = tiny(0.1);
    const seen: number[][] = [];
    const record: keras.CallbackHooks = { onEpochEnd: () => void seen.push(weights(model)) };
    const stop = new keras.EarlyStopping({ monitor: 'loss', patience: 2, restoreBestWeights: true });
    await model.fit(x, y, { epochs: 10, verbose: 0, callbacks: [script('loss', [1, 0.2, 0.5, 0.6, 0.1]), record, stop] });
    expect(seen.length).toBe(4);
    expect(seen[1]).not.toEqual(seen[3]);
    expect(weights(model)).toEqual(seen[1]);
  });

  it('warns once when the monitored key is missing, and validates options', async () => {
    const { model, x, y } = tiny();
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    await model.fit(x, y, { epochs: 3, verbose: 0, callbacks: [new keras.EarlyStopping()] });
    await new Promise((r) => setTimeout(r, 10));
    process.off('warning', onWarning);
    expect(warnings.filter((w) => w.includes("'val_loss' is not in the logs")).length).toBe(1);
    expect(() => new keras.EarlyStopping({ mode: 'up' as never })).toThrow(
      /EarlyStopping: mode must be one of 'auto', 'min', 'max', got 'up'/,
    );
    expect(() => new keras.EarlyStopping({ patience: -1 })).toThrow(ValueError);
  });
});

describe('ModelCheckpoint', () => {
  it('saveBestOnly writes only on improvement; files load back with the weights of that epoch', async () => {
    const { model, x, y } = tiny(0.1);
    const seen: number[][] = [];
    const ckpt = new keras.ModelCheckpoint({
      filepath: join(dir, 'ckpt-{epoch:02d}.safetensors'),
      monitor: 'val_loss',
      saveBestOnly: true,
    });
    const record: keras.CallbackHooks = { onEpochEnd: () => void seen.push(weights(model)) };
    await model.fit(x, y, { epochs: 4, verbose: 0, callbacks: [script('val_loss', [0.5, 0.7, 0.3, 0.4]), record, ckpt] });
    expect(ckpt.saved).toEqual([join(dir, 'ckpt-01.safetensors'), join(dir, 'ckpt-03.safetensors')]);
    expect(existsSync(join(dir, 'ckpt-02.safetensors'))).toBe(false);
    expect(existsSync(join(dir, 'ckpt-04.safetensors'))).toBe(false);
    expect(weights(keras.loadModel(join(dir, 'ckpt-03.safetensors')))).toEqual(seen[2]);
    expect(weights(keras.loadModel(join(dir, 'ckpt-01.safetensors')))).toEqual(seen[0]);
  });

  it('saves every epoch by default; saveWeightsOnly writes a plain state dict; fields come from the logs', async () => {
    const { model, x, y } = tiny();
    const every = new keras.ModelCheckpoint({ filepath: join(dir, 'e{epoch}-{loss:.2f}.safetensors') });
    const w = new keras.ModelCheckpoint({ filepath: join(dir, 'w.safetensors'), saveWeightsOnly: true });
    await model.fit(x, y, { epochs: 2, verbose: 0, callbacks: [script('loss', [0.123, 0.456]), every, w] });
    expect(every.saved).toEqual([join(dir, 'e1-0.12.safetensors'), join(dir, 'e2-0.46.safetensors')]);
    expect(Object.keys(nn.load(join(dir, 'w.safetensors')))).toEqual(['0.kernel']);
    expect(() => keras.loadModel(join(dir, 'w.safetensors'))).toThrow(/no model config/);
    const bad = new keras.ModelCheckpoint({ filepath: join(dir, '{nope}.safetensors') });
    await expect(model.fit(x, y, { epochs: 1, verbose: 0, callbacks: [bad] })).rejects.toThrow(/path field '\{nope\}'/);
  });
});

describe('CSVLogger', () => {
  it('writes epoch and the sorted keys, one row per epoch, and appends on request', async () => {
    const d = blobs(30, 1);
    const model = new keras.Sequential([new keras.Dense({ units: 3, activation: 'softmax', inputDim: 2 })]);
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const file = join(dir, 'log.csv');
    const h = await model.fit(d.x, d.oneHot, { epochs: 3, verbose: 0, callbacks: [new keras.CSVLogger(file)] });
    const acc = h.history['accuracy']!;
    const loss = h.history['loss']!;
    const want = ['epoch,accuracy,loss', ...[0, 1, 2].map((e) => `${e},${acc[e]},${loss[e]}`)].join('\n') + '\n';
    expect(readFileSync(file, 'utf8')).toBe(want);
    const h2 = await model.fit(d.x, d.oneHot, { epochs: 1, verbose: 0, callbacks: [new keras.CSVLogger(file, { append: true })] });
    expect(readFileSync(file, 'utf8')).toBe(`${want}0,${h2.history['accuracy']![0]},${h2.history['loss']![0]}\n`);
    await model.fit(d.x, d.oneHot, { epochs: 1, verbose: 0, callbacks: [new keras.CSVLogger(file, { separator: ';' })] });
    expect(readFileSync(file, 'utf8').split('\n')[0]).toBe('epoch;accuracy;loss');
  });
});

describe('TerminateOnNaN', () => {
  it('stops at the batch whose loss is NaN and reports it', async () => {
    const { model } = tiny();
    const x = tensor([[1], [1], [1], [1], [NaN], [1], [1], [1]]);
    const y = tensor([[0], [0], [0], [0], [0], [0], [0], [0]]);
    const term = new keras.TerminateOnNaN();
    let batches = 0;
    const out = new CaptureStream();
    const h = await model.fit(x, y, {
      epochs: 3,
      batchSize: 2,
      shuffle: false,
      verbose: 2,
      stream: out,
      callbacks: [term, { onBatchEnd: () => void batches++ }],
    });
    expect(term.stoppedBatch).toBe(2);
    expect(batches).toBe(3);
    expect(h.epoch).toEqual([0]);
    expect(out.text).toContain('Batch 2: invalid loss NaN, terminating training');
  });
});

describe('LearningRateScheduler and ReduceLROnPlateau', () => {
  it('the scheduler sets the learning rate each epoch, and the steps use it', async () => {
    const { model, x, y } = tiny(1);
    const schedule = (epoch: number) => 0.1 / (epoch + 1);
    const h = await model.fit(x, y, { epochs: 3, batchSize: 4, verbose: 0, callbacks: [new keras.LearningRateScheduler(schedule)] });
    expect(h.history['lr']).toEqual([0.1, 0.05, 0.1 / 3]);
    expect(model.optimizer!.paramGroups[0]!.lr).toBeCloseTo(0.1 / 3, 12);
    // mse of w·1 against 0: dL/dw = 2w, so each epoch (one step) multiplies w by 1 - 2·lr.
    expect(weights(model)[0]).toBeCloseTo((1 - 0.2) * (1 - 0.1) * (1 - 0.2 / 3), 6);
    expect(() => new keras.LearningRateScheduler(0.1 as never)).toThrow(/schedule must be a function/);
    await expect(model.fit(x, y, { epochs: 1, verbose: 0, callbacks: [new keras.LearningRateScheduler(() => NaN)] })).rejects.toThrow(
      /returned NaN/,
    );
  });

  it('ReduceLROnPlateau multiplies the rate by factor after patience flat epochs, down to minLr', async () => {
    const { model, x, y } = tiny(1);
    const plateau = new keras.ReduceLROnPlateau({ monitor: 'loss', factor: 0.5, patience: 2, minLr: 0.3 });
    const h = await model.fit(x, y, { epochs: 7, verbose: 0, callbacks: [script('loss', [1, 1, 1, 1, 1, 1, 1]), plateau] });
    // lr logged before the epoch's reduction: cut at the end of epochs 2 and 4, clamped at 0.3 after that.
    expect(h.history['lr']).toEqual([1, 1, 1, 0.5, 0.5, 0.3, 0.3]);
    expect(model.optimizer!.paramGroups[0]!.lr).toBe(0.3);
    expect(() => new keras.ReduceLROnPlateau({ factor: 1 })).toThrow(/ReduceLROnPlateau: factor must be > 0 and < 1/);
  });
});

describe('custom callbacks', () => {
  it('hooks run in Keras order with epoch/batch indices and logs; async hooks are awaited', async () => {
    const { model, x, y } = tiny();
    const calls: string[] = [];
    let flag = false;
    class Recorder extends keras.Callback {
      override onTrainBegin(): void {
        calls.push(`trainBegin:${this.params.epochs}x${this.params.steps}`);
      }
      override onEpochBegin(epoch: number): void {
        calls.push(`epochBegin${epoch}:${flag}`);
      }
      override onBatchBegin(batch: number, logs: keras.Logs): void {
        calls.push(`batchBegin${batch}:${logs['size']}`);
      }
      override onBatchEnd(batch: number, logs: keras.Logs): void {
        calls.push(`batchEnd${batch}:${typeof logs['loss']}`);
      }
      override async onEpochEnd(epoch: number, logs: keras.Logs): Promise<void> {
        calls.push(`epochEnd${epoch}:${Object.keys(logs).join(',')}`);
        await new Promise((r) => setTimeout(r, 5));
        flag = true;
      }
      override onTrainEnd(): void {
        calls.push(`trainEnd:${this.model === model}`);
      }
    }
    await model.fit(x, y, { epochs: 2, batchSize: 3, verbose: 0, callbacks: [new Recorder()] });
    expect(calls).toEqual([
      'trainBegin:2x2',
      'epochBegin0:false',
      'batchBegin0:3',
      'batchEnd0:number',
      'batchBegin1:1',
      'batchEnd1:number',
      'epochEnd0:loss',
      'epochBegin1:true',
      'batchBegin0:3',
      'batchEnd0:number',
      'batchBegin1:1',
      'batchEnd1:number',
      'epochEnd1:loss',
      'trainEnd:true',
    ]);
  });

  it('a plain object or LambdaCallback works, and setting stopTraining stops after the batch', async () => {
    const { model, x, y } = tiny();
    let batches = 0;
    const h = await model.fit(x, y, {
      epochs: 5,
      batchSize: 1,
      verbose: 0,
      callbacks: [
        new keras.LambdaCallback({ onBatchEnd: (b) => void (b === 1 && (model.stopTraining = true)) }),
        { onBatchEnd: () => void batches++ },
      ],
    });
    expect(batches).toBe(2);
    expect(h.epoch).toEqual([0]);
  });
});
