// Runs exported ONNX bytes in ONNX Runtime (onnxruntime-web's WebAssembly build, one thread) and
// compares the outputs with tapegrad's.
import * as ort from 'onnxruntime-web';
import { expect } from 'vitest';
import { Tensor, noGrad, nn, onnx } from '../../src/index.js';

ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

const ORT_TYPE = { float32: 'float32', float64: 'float64', int32: 'int32', bool: 'bool' } as const;

/** Runs `bytes` on `inputs` (by graph input name) and returns the outputs by name. */
export async function runOrt(bytes: Uint8Array, inputs: Record<string, Tensor>): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(bytes);
  const feeds: Record<string, ort.Tensor> = {};
  for (const [name, t] of Object.entries(inputs)) {
    const data = t.dtype === 'bool' ? Uint8Array.from(t.dataSync()) : t.dataSync();
    feeds[name] = new ort.Tensor(ORT_TYPE[t.dtype], data as Float32Array, t.shape.slice());
  }
  const out = await session.run(feeds);
  await session.release();
  return out;
}

/** The largest absolute difference between an ORT output and a tapegrad tensor (shapes must agree). */
export function maxAbsDiff(actual: ort.Tensor, expected: Tensor): number {
  expect([...actual.dims]).toEqual(expected.shape);
  const a = actual.data as ArrayLike<number | bigint>;
  const e = expected.dataSync();
  let worst = 0;
  for (let i = 0; i < e.length; i++) {
    const d = Math.abs(Number(a[i]) - Number(e[i]));
    if (!(d <= worst)) worst = Number.isNaN(d) ? Infinity : d;
  }
  return worst;
}

/** Largest differences seen per case, printed by the test file at the end. */
export const seen: Record<string, number> = {};

/** The tensors of a result in order (a tensor, an array or an object of them). */
function flat(v: unknown): Tensor[] {
  if (v instanceof Tensor) return [v];
  if (Array.isArray(v)) return v.flatMap(flat);
  if (v !== null && typeof v === 'object') return Object.values(v).flatMap(flat);
  return [];
}

/**
 * Exports `model` on `inputs`, runs the file in ORT on `runInputs` (default the same inputs) and
 * checks every output against tapegrad's eval-mode outputs to `tol`. Returns the largest difference.
 */
export async function checkInOrt(
  label: string,
  model: nn.Module,
  inputs: Tensor[],
  options: onnx.ExportOptions = {},
  runInputs: Tensor[] = inputs,
  tol = 1e-5,
): Promise<number> {
  model.eval();
  const bytes = onnx.toBytes(model, inputs, options);
  const names = options.inputNames ?? (inputs.length === 1 ? ['input'] : inputs.map((_t, i) => `input${i}`));
  const feeds: Record<string, Tensor> = {};
  runInputs.forEach((t, i) => (feeds[names[i]!] = t));
  const out = await runOrt(bytes, feeds);
  const expected = noGrad(() => flat((model as nn.Module<Tensor[], unknown>).call(...runInputs)));
  const got = Object.values(out);
  expect(got.length).toBe(expected.length);
  let worst = 0;
  expected.forEach((e, i) => {
    const d = maxAbsDiff(got[i]!, e);
    worst = Math.max(worst, d);
  });
  seen[label] = Math.max(seen[label] ?? 0, worst);
  expect(worst, label).toBeLessThanOrEqual(tol);
  return worst;
}
