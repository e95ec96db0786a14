/** The wrong-call corpus for the onnx area (see types.ts). */
import { expect } from 'vitest';
import type { Lib } from './types.js';
import type { WrongCall } from './types.js';

const linear = (tg: Lib) => {
  tg.manualSeed(0);
  return new tg.nn.Linear(4, 2);
};

/** The op types of an ONNX model's nodes, found as the strings the file stores (enough for these checks). */
const hasText = (bytes: Uint8Array, s: string): boolean => Buffer.from(bytes).includes(s);

/** Calls of the onnx area. */
export const calls: WrongCall[] = [
  {
    code: "onnx.toBytes(model, x, { input_names: ['features'], output_names: ['logits'] })  // PyTorch's spelling",
    run: (tg) => tg.onnx.toBytes(linear(tg), tg.zeros([3, 4]), { input_names: ['features'], output_names: ['logits'] } as object),
    expect: { check: (bytes: Uint8Array) => { expect(hasText(bytes, 'features')).toBe(true); expect(hasText(bytes, 'logits')).toBe(true); } },
  },
  {
    code: 'onnx.toBytes(model, x, { opset_version: 17 })',
    run: (tg) => tg.onnx.toBytes(linear(tg), tg.zeros([3, 4]), { opset_version: 17 } as object),
    expect: { check: (bytes: Uint8Array) => expect(bytes.length).toBeGreaterThan(0) },
  },
  {
    code: 'onnx.toBytes(model, x, { opsetVersion: 13 })',
    run: (tg) => tg.onnx.toBytes(linear(tg), tg.zeros([3, 4]), { opsetVersion: 13 } as object),
    expect: { throws: 'ValueError', message: /onnx\.toBytes: opsetVersion must be one of 17, got 13/ },
  },
  {
    code: "onnx.toBytes(model, x, { dynamic_axes: { input: { 0: 'batch' } } })  // PyTorch's dynamic axes",
    run: (tg) => tg.onnx.toBytes(linear(tg), tg.zeros([3, 4]), { dynamic_axes: { input: { 0: 'batch' } } } as object),
    expect: { throws: 'ValueError', message: /onnx\.toBytes: unknown option 'dynamic_axes'.*dynamicBatch/s },
  },
  {
    code: "onnx.exportModel(model, x)  // no path",
    run: (tg) => (tg.onnx.exportModel as (...a: unknown[]) => void)(linear(tg), tg.zeros([3, 4])),
    expect: { throws: 'ArgumentTypeError', message: /onnx\.exportModel: path must be a non-empty string, got undefined/ },
  },
  {
    code: "onnx.exportModel(model, 'model.onnx', x)  // arguments swapped",
    run: (tg) => (tg.onnx.exportModel as (...a: unknown[]) => void)(linear(tg), 'model.onnx', tg.zeros([3, 4])),
    expect: { throws: 'ArgumentTypeError', message: /exampleInputs must be a Tensor or a non-empty array of Tensors, got 'model\.onnx'/ },
  },
  {
    code: "onnx.toBytes((x) => x.relu(), x)  // a function, not a Module",
    run: (tg) => (tg.onnx.toBytes as (...a: unknown[]) => void)((x: { relu(): unknown }) => x.relu(), tg.zeros([3, 4])),
    expect: { throws: 'ArgumentTypeError', message: /onnx\.toBytes: model must be an nn\.Module, got a function/ },
  },
  {
    code: "onnx.toBytes(model, x, { inputNames: 'features' })",
    run: (tg) => tg.onnx.toBytes(linear(tg), tg.zeros([3, 4]), { inputNames: 'features' } as object),
    expect: { throws: 'ArgumentTypeError', message: /onnx\.toBytes: inputNames must be an array/ },
  },
  {
    code: "onnx.toBytes(model, x, { inputNames: ['a', 'b'] })  // one input",
    run: (tg) => tg.onnx.toBytes(linear(tg), tg.zeros([3, 4]), { inputNames: ['a', 'b'] }),
    expect: { throws: 'ValueError', message: /inputNames has 2 names but the model has 1 inputs/ },
  },
  {
    code: 'onnx.toBytes(model, randn([1, 4]), { dynamicBatch: true })  // batch of 1',
    run: (tg) => tg.onnx.toBytes(linear(tg), tg.zeros([1, 4]), { dynamicBatch: true }),
    expect: { throws: 'ValueError', message: /dynamicBatch needs example inputs with a batch \(dim 0\) of at least 2/ },
  },
  {
    code: 'onnx.toBytes(model, x, { dynamicBatch: 1 })',
    run: (tg) => tg.onnx.toBytes(linear(tg), tg.zeros([3, 4]), { dynamicBatch: 1 } as object),
    expect: { throws: 'ArgumentTypeError', message: /onnx\.toBytes: dynamicBatch must be a boolean, got 1/ },
  },
  {
    code: 'onnx.toBytes(model, x) where forward calls a custom autograd.Function (Cube)',
    run: (tg) => {
      class Cube extends tg.autograd.Function {
        static override forward(_ctx: unknown, x: InstanceType<Lib['Tensor']>) { return x.mul(x).mul(x); }
      }
      class Net extends tg.nn.Module<[InstanceType<Lib['Tensor']>], InstanceType<Lib['Tensor']>> {
        forward(x: InstanceType<Lib['Tensor']>) { return Cube.apply(x); }
      }
      return tg.onnx.toBytes(new Net(), tg.zeros([2, 3]));
    },
    expect: { throws: 'UnsupportedOpError', message: /the custom autograd Function 'Cube' cannot be exported to ONNX/ },
  },
  {
    code: 'onnx.toBytes(model, x) where forward calls F.conv2d (exported through its primitives)',
    run: (tg) => {
      class Net extends tg.nn.Module<[InstanceType<Lib['Tensor']>], InstanceType<Lib['Tensor']>> {
        w = new tg.nn.Parameter(tg.zeros([2, 1, 3, 3]));
        forward(x: InstanceType<Lib['Tensor']>) { return tg.nn.F.conv2d(x, this.w); }
      }
      return tg.onnx.toBytes(new Net(), tg.zeros([1, 1, 5, 5]));
    },
    expect: { check: (bytes: Uint8Array) => { expect(hasText(bytes, 'Gather')).toBe(true); expect(hasText(bytes, 'MatMul')).toBe(true); } },
  },
  {
    code: 'keras: model.export(path) before the model is built',
    run: (tg) => new tg.keras.Sequential([new tg.keras.Dense({ units: 2 })]).export('never-written.onnx'),
    expect: { throws: 'ValueError', message: /Sequential\.export: the model is not built yet/ },
  },
];
