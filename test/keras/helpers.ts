// Shared helpers of the keras tests: synthetic data made with a seeded generator, a capturing
// stream, and float64 reference math written with plain loops.
import { Generator, type Tensor, tensor } from '../../src/index.js';

/** Three well separated Gaussian blobs in 2-d: x float32 [n, 2], labels int32 [n], one-hot float32 [n, 3]. */
export function blobs(n: number, seed: number): { x: Tensor; labels: Tensor; oneHot: Tensor } {
  const g = new Generator(seed);
  const centers = [
    [-3, 0],
    [3, 0],
    [0, 4],
  ];
  const xs: number[][] = [];
  const ls: number[] = [];
  const oh: number[][] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    xs.push([centers[c]![0]! + g.normal(), centers[c]![1]! + g.normal()]);
    ls.push(c);
    oh.push([0, 1, 2].map((k) => (k === c ? 1 : 0)));
  }
  return { x: tensor(xs), labels: tensor(ls, { dtype: 'int32' }), oneHot: tensor(oh) };
}

/** A stream double that records what is written. */
export class CaptureStream {
  text = '';
  constructor(readonly isTTY = false) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
  lines(): string[] {
    return this.text.split('\n').filter((l) => l !== '');
  }
}

/** Softmax of one row in float64. */
export function softmaxRow(z: readonly number[]): number[] {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** Nested number arrays of a tensor. */
export function rows(t: Tensor): number[][] {
  return t.toArray() as number[][];
}
