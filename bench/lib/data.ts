/**
 * The benchmark's data: one seeded generator, so every peer (each in its own process) gets the
 * same inputs and initial weights, bit for bit, in float32.
 * @module
 */

/**
 * A small seeded generator (mulberry32), independent of every framework under test.
 * @example
 * ```ts
 * const rng = new Rng(42);
 * rng.next(); // in [0, 1)
 * ```
 */
export class Rng {
  private s: number;
  /** Starts the stream at `seed`. */
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  /** The next number in [0, 1). */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** `n` float32 numbers uniform in [lo, hi). */
  uniform(n: number, lo: number, hi: number): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * this.next();
    return out;
  }
  /** `n` integers uniform in [0, k). */
  ints(n: number, k: number): Int32Array {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = Math.floor(this.next() * k);
    return out;
  }
}

/** One dense layer's initial parameters, PyTorch layout: `weight` is [out, in] row-major. */
export interface LayerInit {
  /** Input features. */
  inF: number;
  /** Output features. */
  outF: number;
  /** [outF, inF], row-major. */
  weight: Float32Array;
  /** [outF]. */
  bias: Float32Array;
}

/** A fixed training batch: `x` is [batch, features] row-major, `y` the class labels. */
export interface Batch {
  /** Samples in the batch. */
  batch: number;
  /** Features per sample. */
  features: number;
  /** [batch, features], row-major, uniform in [0, 1) like scaled pixels. */
  x: Float32Array;
  /** Labels in [0, classes). */
  y: Int32Array;
  /** Number of classes. */
  classes: number;
}

/**
 * Initial weights of an MLP with the given layer sizes, drawn like PyTorch's `nn.Linear`
 * default (uniform in ±1/sqrt(fanIn) for weight and bias), from a fixed seed.
 * @example
 * ```ts
 * const layers = mlpInit([784, 128, 64, 10], 1);
 * layers[0].weight.length; // 128 * 784
 * ```
 */
export function mlpInit(sizes: readonly number[], seed: number): LayerInit[] {
  const rng = new Rng(seed);
  const layers: LayerInit[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const inF = sizes[l]!;
    const outF = sizes[l + 1]!;
    const bound = 1 / Math.sqrt(inF);
    layers.push({ inF, outF, weight: rng.uniform(outF * inF, -bound, bound), bias: rng.uniform(outF, -bound, bound) });
  }
  return layers;
}

/**
 * A fixed batch of synthetic MNIST-shaped data with random labels, from a fixed seed.
 * @example
 * ```ts
 * const b = makeBatch(64, 784, 10, 7);
 * ```
 */
export function makeBatch(batch: number, features: number, classes: number, seed: number): Batch {
  const rng = new Rng(seed);
  return { batch, features, classes, x: rng.uniform(batch * features, 0, 1), y: rng.ints(batch, classes) };
}

/**
 * `w` transposed: [out, in] to [in, out] (the layout TensorFlow.js and jax-js use for `x · W`).
 * @example
 * ```ts
 * transposeWeight(new Float32Array([1, 2, 3, 4, 5, 6]), 2, 3); // [1, 4, 2, 5, 3, 6]
 * ```
 */
export function transposeWeight(w: Float32Array, outF: number, inF: number): Float32Array {
  const t = new Float32Array(w.length);
  for (let o = 0; o < outF; o++) for (let i = 0; i < inF; i++) t[i * outF + o] = w[o * inF + i]!;
  return t;
}

/**
 * One-hot rows for the labels: [batch, classes] float32.
 * @example
 * ```ts
 * oneHot(new Int32Array([1]), 3); // [0, 1, 0]
 * ```
 */
export function oneHot(y: Int32Array, classes: number): Float32Array {
  const out = new Float32Array(y.length * classes);
  for (let i = 0; i < y.length; i++) out[i * classes + y[i]!] = 1;
  return out;
}
