/**
 * Crafted Keras model files stay harmless: class names never reach Object.prototype, a config is
 * checked against the stored tensors before anything is built, and structure and size are bounded.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ValueError } from '../../src/autograd/errors.js';
import { tensor } from '../../src/autograd/ops/creation.js';
import { FormatError } from '../../src/io/format-error.js';
import type { RawTensor } from '../../src/io/raw-tensor.js';
import { encodeSafetensors } from '../../src/io/safetensors.js';
import * as keras from '../../src/keras/index.js';
import { Dense } from '../../src/keras/layers-core.js';
import { MAX_MESSAGE, tempDir, thrown } from './untrusted-helpers.js';

const CONFIG_KEY = 'tapegrad.keras.config';

function f32(shape: number[]): RawTensor {
  return { dtype: 'float32', shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) };
}

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir('tapegrad-keras-untrusted-')));
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

/** Writes a model file with this config text and these tensors; returns its path. */
function modelFile(config: unknown, tensors: Record<string, RawTensor> = {}): string {
  const file = path.join(dir, 'model.safetensors');
  const text = typeof config === 'string' ? config : JSON.stringify(config);
  fs.writeFileSync(file, encodeSafetensors(tensors, { [CONFIG_KEY]: text }));
  return file;
}

const sequential = (layers: unknown[]): unknown => ({ className: 'Sequential', version: 1, name: 's', layers });

describe('layer class names from a file', () => {
  const INHERITED = ['__proto__', 'constructor', 'valueOf', 'toString', 'hasOwnProperty', '__lookupGetter__'];

  it.each(INHERITED)('className %s is an unknown layer class, for loadModel and modelFromConfig', (className) => {
    const config = sequential([{ className, config: {} }]);
    const file = modelFile(config);
    for (const run of [
      () => keras.loadModel(file),
      () => keras.loadModel(file, { customObjects: { Other: () => new Dense(1) } }),
      () => keras.modelFromConfig(config as keras.ModelConfig),
    ]) {
      const err = thrown(run);
      expect(err).toBeInstanceOf(ValueError);
      expect(err.message).toContain(`layer 0 is a layer of class '${className}', which cannot be rebuilt from JSON`);
    }
  });

  it('a ModuleLayer wrapping "constructor" finds no custom factory', () => {
    const file = modelFile(sequential([{ className: 'ModuleLayer', config: { module: 'constructor' } }]));
    const err = thrown(() => keras.loadModel(file, { customObjects: {} }));
    expect(err).toBeInstanceOf(ValueError);
    expect(err.message).toContain('is a ModuleLayer wrapping constructor, which cannot be rebuilt');
  });

  it('a huge class name gives a short message', () => {
    const err = thrown(() => keras.loadModel(modelFile(sequential([{ className: 'C'.repeat(4_000_000), config: {} }]))));
    expect(err).toBeInstanceOf(ValueError);
    expect(err.message.length).toBeLessThan(MAX_MESSAGE);
  });
});

describe('configs are checked against the stored tensors before anything is built', () => {
  it('units: 5e7 in a small file fails before any weight is created', () => {
    const build = vi.spyOn(Dense.prototype, 'build');
    const file = modelFile(sequential([{ className: 'Dense', config: { units: 5e7, inputShape: [4] } }]));
    expect(fs.statSync(file).size).toBeLessThan(600);
    const err = thrown(() => keras.loadModel(file));
    expect(err).toBeInstanceOf(FormatError);
    expect(err.message).toMatch(/^loadModel: layer 0 is a Dense layer of 50000000 units, but the file holds no tensor "0\.kernel"/);
    expect(build).not.toHaveBeenCalled();
  });

  it.each([
    [
      'units that differ from the stored kernel',
      [{ className: 'Dense', config: { units: 5e7, inputShape: [4] } }],
      { '0.kernel': f32([4, 3]), '0.bias': f32([3]) },
      /Dense layer of 50000000 units, but its stored kernel has shape \[4, 3\]/,
    ],
    [
      'an input size that differs from the stored kernel',
      [{ className: 'Dense', config: { units: 3, inputShape: [1_000_000] } }],
      { '0.kernel': f32([4, 3]), '0.bias': f32([3]) },
      /on inputs of shape \[1000000\], but its stored kernel has shape \[4, 3\]/,
    ],
    [
      'a second layer fed a different size',
      [
        { className: 'Dense', config: { units: 3, inputShape: [4] } },
        { className: 'Dense', config: { units: 2 } },
      ],
      { '0.kernel': f32([4, 3]), '0.bias': f32([3]), '1.kernel': f32([5, 2]), '1.bias': f32([2]) },
      /layer 1 is a Dense layer of 2 units on inputs of shape \[3\]/,
    ],
    [
      'a Flatten whose product differs',
      [
        { className: 'Flatten', config: { inputShape: [2, 8] } },
        { className: 'Dense', config: { units: 2 } },
      ],
      { '1.kernel': f32([15, 2]), '1.bias': f32([2]) },
      /on inputs of shape \[16\]/,
    ],
    [
      'a missing bias',
      [{ className: 'Dense', config: { units: 3, inputShape: [4] } }],
      { '0.kernel': f32([4, 3]) },
      /with a bias, but the file holds no tensor "0\.bias"/,
    ],
    [
      'a bias of the wrong size',
      [{ className: 'Dense', config: { units: 3, inputShape: [4] } }],
      { '0.kernel': f32([4, 3]), '0.bias': f32([7]) },
      /stored bias has shape \[7\]/,
    ],
    ['non-integer units', [{ className: 'Dense', config: { units: 'many', inputShape: [4] } }], {}, /layer 0 \(Dense\) has units 'many'/],
  ])('%s is a FormatError, nothing built', (_what, layers, tensors, pattern) => {
    const build = vi.spyOn(Dense.prototype, 'build');
    const err = thrown(() => keras.loadModel(modelFile(sequential(layers), tensors)));
    expect(err).toBeInstanceOf(FormatError);
    expect(err.message).toMatch(pattern);
    expect(build).not.toHaveBeenCalled();
  });

  it('a model saved by tapegrad still loads and predicts the same', () => {
    const model = new keras.Sequential([
      new keras.Dense({ units: 3, inputDim: 4, activation: 'relu' }),
      new keras.Flatten(),
      new keras.Dense({ units: 2, useBias: false }),
    ]);
    const file = path.join(dir, 'ok.safetensors');
    model.save(file);
    const again = keras.loadModel(file);
    const input = tensor([[1, -2, 3, 0.5]], { dtype: 'float32' });
    expect(again.predict(input).toArray()).toEqual(model.predict(input).toArray());
  });
});

describe('structure and size limits', () => {
  it('an input shape of more than 2^24 elements per sample is refused', () => {
    const err = thrown(() =>
      keras.loadModel(modelFile(sequential([{ className: 'Activation', config: { activation: 'relu', inputShape: [100000, 100000] } }]))),
    );
    expect(err).toBeInstanceOf(FormatError);
    expect(err.message).toMatch(/layer 0 declares input samples of shape \[100000, 100000\], more than 16777216 elements each/);
  });

  it('more than 100 000 layers are refused before any is built', () => {
    const text = `{"className":"Sequential","version":1,"name":"s","layers":[${Array(100_001).fill('{"className":"Dropout","config":{"rate":0.1}}').join(',')}]}`;
    const err = thrown(() => keras.loadModel(modelFile(text)));
    expect(err).toBeInstanceOf(FormatError);
    expect(err.message).toMatch(/the config has 100001 layers, more than the 100000 a model may have/);
  });

  it('a deeply nested config is a FormatError, not a RangeError', () => {
    const text = `{"className":"Sequential","layers":[{"className":"Dense","config":{"units":${'['.repeat(5000)}${']'.repeat(5000)}}}]}`;
    const err = thrown(() => keras.loadModel(modelFile(text)));
    expect(err).toBeInstanceOf(FormatError);
    expect(err.message).toMatch(/^loadModel: the model config in .* is nested more than 64 levels deep/);
  });

  it('a layer config that is not an object is refused with a short message', () => {
    const err = thrown(() => keras.loadModel(modelFile(sequential([{ className: 'Dense', config: 'x'.repeat(4_000_000) }]))));
    expect(err).toBeInstanceOf(FormatError);
    expect(err.message.length).toBeLessThan(MAX_MESSAGE);
  });

  it('10 000 layers load, named in order', () => {
    const layers = Array.from({ length: 10_000 }, () => ({ className: 'Activation', config: { activation: 'relu' } }));
    const model = keras.loadModel(modelFile(sequential(layers)));
    expect(model.length).toBe(10_000);
    const names = model.layers.map((l) => l.name);
    expect(names[0]).toBe('activation');
    expect(names[9_999]).toBe('activation_9999');
    expect(new Set(names).size).toBe(10_000);
  });
});

describe('Sequential.add takes constant work per layer', () => {
  it('adding n layers reads layer names O(n) times, not O(n²)', () => {
    let reads = 0;
    const n = 2000;
    const layers = Array.from({ length: n }, () => {
      const l = new keras.Activation('relu');
      let name = l.name;
      Object.defineProperty(l, 'name', {
        get: () => {
          reads++;
          return name;
        },
        set: (v: string) => {
          name = v;
        },
      });
      return l;
    });
    const model = new keras.Sequential();
    for (const l of layers) model.add(l);
    expect(model.layers.map((l) => l.name).slice(0, 3)).toEqual(['activation', 'activation_1', 'activation_2']);
    expect(reads).toBeLessThan(20 * n);
  });

  it('names stay unique, and a renamed layer frees its old name', () => {
    const model = new keras.Sequential([new keras.Dropout(0.1), new keras.Dropout(0.1)]);
    expect(model.layers.map((l) => l.name)).toEqual(['dropout', 'dropout_1']);
    expect(() => model.add(new keras.Dropout({ rate: 0.1, name: 'dropout_1' }))).toThrow(
      /a layer named 'dropout_1' is already in the model/,
    );
    model.layers[0]!.name = 'first';
    model.add(new keras.Dropout({ rate: 0.1, name: 'dropout' }));
    model.add(new keras.Dropout(0.1));
    expect(model.layers.map((l) => l.name)).toEqual(['first', 'dropout_1', 'dropout', 'dropout_2']);
  });
});
